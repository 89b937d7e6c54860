"""One real `invdesk serve` per test module and database kind, on a seeded database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.channels import tokens
from tests import support
from tests.server.running import serving

# Every token the tests use: name -> (scopes, warehouse limits).
TOKENS = {
    "all": (("read", "orders", "stock"), ()),
    "reader": (("read",), ()),
    "seller": (("orders",), ()),
    "stocker": (("stock",), ()),
    "shop-only": (("read", "orders", "stock"), ("SHOP",)),
    "gone": (("read", "orders", "stock"), ()),
}
CASE = "CASE-A1"  # a case barcode: 6 units of A-1
EAN = "4006381333931"


@dataclass
class Api:
    base: str
    db_url: str
    secrets: dict[str, str]
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def as_(self, token: str) -> httpx.Client:
        """A client that sends `token`'s secret as its Bearer token."""
        if token not in self.clients:
            self.clients[token] = httpx.Client(
                base_url=f"{self.base}/api/v1",
                headers={"Authorization": f"Bearer {self.secrets[token]}"},
                timeout=30.0,
            )
        return self.clients[token]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def seed(url: str) -> dict[str, str]:
    """Two warehouses, three products with stock, and the tokens of TOKENS ("gone" revoked)."""
    with Database.open(url) as db:
        migrate.upgrade(db)
        support.warehouse(db, "MAIN")
        support.warehouse(db, "SHOP")
        support.product(db, "A-1", barcodes=((EAN, 1), (CASE, 6)))
        support.product(db, "B-2")
        support.product(db, "C-3")
        support.stocked(db, "A-1", 50, "MAIN")
        support.stocked(db, "A-1", 20, "SHOP")
        support.stocked(db, "B-2", 5, "MAIN")
        secrets = {}
        for name, (scopes, warehouses) in TOKENS.items():
            secrets[name] = tokens.add_token(db, SYSTEM, name, scopes, warehouses)[1]
        tokens.revoke_token(db, SYSTEM, "gone")
    return secrets


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('serve')}/invdesk.db"
    factory = request.getfixturevalue("pg_database_factory")
    url: str = factory()
    return url


@pytest.fixture(scope="module")
def api(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    secrets = seed(module_db_url)
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with serving(module_db_url, log=log) as base:
        found = Api(base, module_db_url, secrets)
        yield found
        found.close()
    assert "Traceback" not in log.read_text(errors="replace")
