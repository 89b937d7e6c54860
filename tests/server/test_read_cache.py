"""Reads from each server process's cache stay within its bound: a change made through another
process, or by a desktop PC, shows within MAX_STALENESS_S; a revoked token is refused within
GRANT_TTL_SECONDS; a token limited to warehouses sees only them in a kept answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.server.auth import GRANT_TTL_SECONDS
from invdesk.services.channels import tokens
from invdesk.services.channels.stock_cache import MAX_STALENESS_S
from tests import support
from tests.server.conftest import Api
from tests.server.running import serving

DEADLINE_S = 60.0  # only a failing test waits this long


@pytest.fixture(scope="module")
def other(api: Api, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server process on the same database (as behind a load balancer)."""
    log = tmp_path_factory.mktemp("other") / "serve.log"
    with serving(api.db_url, log=log) as base:
        yield base
    assert "Traceback" not in log.read_text(errors="replace")


def _stock(base: str, secret: str, code: str = "A-1") -> dict[str, Any]:
    answer = httpx.get(
        f"{base}/api/v1/inventory/{code}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def _main(found: dict[str, Any]) -> tuple[int, int]:
    row = next(w for w in found["warehouses"] if w["warehouse"] == "MAIN")
    return row["on_hand"], row["reserved"]


def _shows_within_bound(
    ask: Callable[[], dict[str, Any]], wanted: tuple[int, int], done_at: float, bound: float
) -> None:
    """Ask until the answer shows `wanted`; an answer that does not must have been asked for
    less than `bound` after `done_at` (the change had committed by then)."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        asked = time.monotonic()
        got = _main(ask())
        if got == wanted:
            return
        assert asked < done_at + bound, (
            f"{got} was answered {asked - done_at:.2f} s after the change to {wanted} had "
            f"committed (bound {bound} s)"
        )
        assert time.monotonic() < deadline


def test_a_receipt_through_one_process_shows_in_the_others_reads_within_the_bound(
    api: Api, other: str
) -> None:
    secret = api.secrets["all"]
    for base in (api.base, other):
        _stock(base, secret)  # kept by both processes now
    moved = api.as_("all").post(
        "/inventory/replenish", json={"sku": "A-1", "warehouse": "MAIN", "qty": 3}
    )
    done_at = time.monotonic()
    assert moved.status_code == 201
    # The process that made the change answers with it at once...
    wanted = _main(_stock(api.base, secret))
    assert wanted[0] == moved.json()["balance_after"]
    # ...the other within the bound.
    _shows_within_bound(lambda: _stock(other, secret), wanted, done_at, MAX_STALENESS_S)


def test_an_order_through_one_process_shows_in_the_others_reads_within_the_bound(
    api: Api, other: str
) -> None:
    secret = api.secrets["all"]
    on_hand, reserved = _main(_stock(api.base, secret))
    _stock(other, secret)
    order = {"channel": "web_shop", "reference": "CACHE-1", "warehouse": "MAIN"}
    placed = api.as_("all").post("/orders", json=order | {"lines": [{"sku": "A-1", "qty": 2}]})
    done_at = time.monotonic()
    assert placed.status_code == 201
    assert _main(_stock(api.base, secret)) == (on_hand, reserved + 2)
    _shows_within_bound(
        lambda: _stock(other, secret), (on_hand, reserved + 2), done_at, MAX_STALENESS_S
    )


def test_a_change_made_by_a_desktop_pc_shows_in_every_process_within_the_bound(
    api: Api, other: str
) -> None:
    secret = api.secrets["all"]
    on_hand, reserved = _main(_stock(api.base, secret))
    _stock(other, secret)
    with Database.open(api.db_url) as desktop:
        support.stocked(desktop, "A-1", 4, "MAIN")
    done_at = time.monotonic()
    for base in (api.base, other):
        _shows_within_bound(
            lambda base=base: _stock(base, secret),
            (on_hand + 4, reserved),
            done_at,
            MAX_STALENESS_S,
        )


def test_a_revoked_token_is_refused_by_every_process_within_the_bound(api: Api, other: str) -> None:
    with Database.open(api.db_url) as db:
        _, secret = tokens.add_token(db, SYSTEM, "short-lived", ["read"])
        for base in (api.base, other):
            _stock(base, secret)  # its grant is kept by both processes now
        tokens.revoke_token(db, SYSTEM, "short-lived")
    done_at = time.monotonic()
    deadline = done_at + DEADLINE_S
    for base in (api.base, other):
        while True:
            asked = time.monotonic()
            answer = httpx.get(
                f"{base}/api/v1/inventory/A-1", headers={"Authorization": f"Bearer {secret}"}
            )
            if answer.status_code == 401:
                assert "revoked" in answer.json()["error"]["message"]
                break
            assert answer.status_code == 200
            assert asked < done_at + GRANT_TTL_SECONDS, (
                f"accepted {asked - done_at:.2f} s after the revoke (bound {GRANT_TTL_SECONDS} s)"
            )
            assert time.monotonic() < deadline


def test_a_warehouse_limited_token_sees_only_its_warehouses_in_kept_answers(
    api: Api, other: str
) -> None:
    everything, shop = api.secrets["all"], api.secrets["shop-only"]
    for base in (api.base, other):
        full = _stock(base, everything)  # kept with both warehouses
        assert {w["warehouse"] for w in full["warehouses"]} == {"MAIN", "SHOP"}
        limited = _stock(base, shop)
        assert [w["warehouse"] for w in limited["warehouses"]] == ["SHOP"]
        assert limited["available"] == limited["warehouses"][0]["available"]
        assert limited["available"] < full["available"]
        # And the other way round: a kept limited answer is never what an unlimited token gets.
        no_shop_row = _stock(base, shop, "B-2")  # B-2 has no SHOP stock row
        assert no_shop_row["warehouses"] == [] and no_shop_row["available"] == 0
        assert [w["warehouse"] for w in _stock(base, everything, "B-2")["warehouses"]] == ["MAIN"]
