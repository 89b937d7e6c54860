"""Races at the stock grain: clerks taking and moving the last units of lots and locations at
once oversell nothing, never take a quant below zero, and leave quants that add up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.stock import operations
from invdesk.services.trust import verify
from tests import support
from tests.integration import racing, workers


@pytest.fixture(scope="module", autouse=True)
def _worker_processes() -> Iterator[None]:
    yield
    racing.shutdown()


def test_clerks_racing_for_the_last_units_of_three_lots_take_each_once(db):
    support.warehouse(db)
    support.tracked(db, "MILK", "lot")
    for lot, month in (("A", 6), ("B", 4), ("C", 5)):
        operations.receive(
            db,
            ReceiveStock("MAIN", (Line("MILK", 5, lot=lot, expiry=f"2099-0{month}-01"),)),
            support.ACTOR,
        )
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(
            pool, workers.grain_one, [(url, "MILK", "MAIN", i % 16) for i in range(96)]
        )

    assert results.count("ok") == 15
    assert support.on_hand(db, "MILK") == (0, 0)
    assert support.quants(db, "MILK") == {}
    report = verify.verify_all(db, support.ACTOR)
    assert report.discrepancies == [] and report.findings == []


def test_moves_racing_issues_between_two_bins_lose_and_double_nothing(db):
    support.warehouse(db)
    support.product(db, "BOLT")
    support.location(db, "MAIN", "A")
    support.location(db, "MAIN", "B")
    operations.receive(db, ReceiveStock("MAIN", (Line("BOLT", 20, location="A"),)), support.ACTOR)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(
            pool, workers.grain_one, [(url, "BOLT", "MAIN", i % 16) for i in range(90)]
        )

    issued, moved = results.count("ok"), results.count("moved")
    left = support.quants(db, "BOLT")
    assert issued <= 20
    assert sum(left.values()) == 20 - issued
    assert left.get(("B", None), 0) <= moved
    assert support.on_hand(db, "BOLT") == (20 - issued, 0)
    report = verify.verify_all(db, support.ACTOR)
    assert report.discrepancies == [] and report.findings == []
