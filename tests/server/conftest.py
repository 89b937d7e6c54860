"""One real `invdesk serve` per database kind for the whole session, on a seeded database.

Starting a server takes seconds, so the API modules share it (and a second, rate-limited server on
the same database). The tests write only with fresh references and keys, or with figures read
just before, so none depends on what another test did; the tests that need a server of their own
(races, shutdown, kill -9) start one. Each kind's tests run in one xdist group, on one worker, so
the servers start once per run, not once per worker.
"""

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


# Each kind's API tests form one unit of work for xdist (SHARED_SETUP in tests/conftest.py): one
# worker starts that kind's servers, once.
@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def served_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('serve')}/invdesk.db"
    factory = request.getfixturevalue("pg_database_factory")
    url: str = factory()
    return url


@pytest.fixture(scope="session")
def api(served_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    secrets = seed(served_db_url)
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with serving(served_db_url, log=log) as base:
        found = Api(base, served_db_url, secrets)
        yield found
        found.close()
    assert "Traceback" not in log.read_text(errors="replace")


@pytest.fixture(scope="session")
def limited(api: Api, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server on the same database with a tiny rate: 1 request/s, bursts of 3 per
    token. Tests other than the rate limit's send it at most one request per token."""
    log = tmp_path_factory.mktemp("limited") / "serve.log"
    with serving(api.db_url, options=("--rate-limit", "1", "--burst", "3"), log=log) as base:
        yield base
    assert "Traceback" not in log.read_text(errors="replace")
