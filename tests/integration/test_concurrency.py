"""Many clerks at once: no oversell, no negative stock, no deadlock, totals conserved."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from invdesk.db.models import Movement, Reservation
from invdesk.domain.stock import ReserveStock
from invdesk.services.stock import reservations
from invdesk.services.trust import verify
from tests import support
from tests.integration import racing, workers


@pytest.fixture(scope="module", autouse=True)
def _worker_processes() -> Iterator[None]:
    """The SQLite races share their worker processes; they stop with this module."""
    yield
    racing.shutdown()


def _kinds(db, kind: str) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Movement).where(Movement.kind == kind)
            ).scalar_one()
        )


def test_sixteen_clerks_issuing_the_last_ten_units_sell_exactly_ten(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(
            pool, workers.issue_one, [(url, "SKU-1", "MAIN", i % 16) for i in range(100)]
        )
    assert results.count("ok") == 10
    assert results.count("short") == 90
    assert support.on_hand(db, "SKU-1") == (0, 0)
    assert _kinds(db, "issue") == 10
    assert verify.verify(db, support.ACTOR) == []


def test_sixteen_clerks_reserving_the_last_ten_units_hold_exactly_ten(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(
            pool, workers.reserve_one, [(url, "SKU-1", "MAIN", i % 16) for i in range(100)]
        )
    assert results.count("ok") == 10
    assert support.on_hand(db, "SKU-1") == (10, 10)
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(Reservation)).scalar_one() == 10
    assert _kinds(db, "reserve") == 10
    assert verify.verify(db, support.ACTOR) == []


def test_opposite_transfers_conserve_totals_and_never_deadlock(db):
    support.warehouse(db, "AAA")
    support.warehouse(db, "ZZZ")
    skus = ["P1", "P2", "P3"]
    for sku in skus:
        support.product(db, sku)
        support.stocked(db, sku, qty=40, wh="AAA")
        support.stocked(db, sku, qty=40, wh="ZZZ")
    url = racing.url_of(db)
    readings: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            readings.append(workers.total_on_hand(db, "P2"))

    calls = []
    for i in range(96):
        order = skus if i % 2 else list(reversed(skus))
        source, destination = ("AAA", "ZZZ") if i % 2 else ("ZZZ", "AAA")
        calls.append((url, source, destination, order, i % 16))
    with racing.clerks(db) as pool:
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            results = racing.run_all(pool, workers.transfer_lines, calls)
        finally:
            stop.set()
            watcher.join()
    assert set(results) <= {"ok", "short"}
    assert results.count("ok") >= 90
    assert readings and set(readings) == {80}
    for sku in skus:
        assert support.on_hand(db, sku, "AAA")[0] + support.on_hand(db, sku, "ZZZ")[0] == 80
    assert _kinds(db, "transfer_out") == _kinds(db, "transfer_in") == 3 * results.count("ok")
    assert verify.verify(db, support.ACTOR) == []


def test_the_same_request_sent_concurrently_applies_once(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    url = racing.url_of(db)
    with racing.clerks(db, 8) as pool:
        started = time.monotonic()
        results = racing.run_all(
            pool, workers.issue_with_request, [(url, "SKU-1", "MAIN", "double-click-1")] * 8
        )
    assert time.monotonic() - started < 30
    assert len(set(results)) == 1
    assert support.on_hand(db, "SKU-1") == (9, 0)
    assert _kinds(db, "issue") == 1


def test_clerks_reserving_and_issuing_the_last_ten_units_get_exactly_ten(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(
            pool, workers.reserve_or_issue_one, [(url, "SKU-1", "MAIN", i % 16) for i in range(64)]
        )
    assert results.count("ok") == 10
    issued, held = _kinds(db, "issue"), _kinds(db, "reserve")
    assert issued + held == 10
    assert support.on_hand(db, "SKU-1") == (10 - issued, held)
    assert verify.verify(db, support.ACTOR) == []


def test_clerks_racing_to_commit_and_release_one_hold_finish_it_once(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    hold = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 4), support.ACTOR)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        results = racing.run_all(pool, workers.finish_hold, [(url, hold.id, i) for i in range(16)])
    assert results.count("refused") == 15
    (outcome,) = [r for r in results if r != "refused"]
    with db.read() as conn:
        rows = conn.execute(
            select(Movement.kind).where(
                Movement.reservation_id == hold.id, Movement.kind != "reserve"
            )
        ).all()
    assert rows == ([("issue",)] if outcome == "committed" else [("release",)])
    assert support.on_hand(db, "SKU-1") == ((6, 0) if outcome == "committed" else (10, 0))
    assert verify.verify(db, support.ACTOR) == []


def test_the_same_reservation_request_sent_concurrently_holds_once(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    url = racing.url_of(db)
    with racing.clerks(db, 8) as pool:
        results = racing.run_all(
            pool, workers.reserve_with_request, [(url, "SKU-1", "MAIN", "cart-7")] * 8
        )
    assert len(set(results)) == 1
    assert support.on_hand(db, "SKU-1") == (10, 3)
    assert _kinds(db, "reserve") == 1
    assert verify.verify(db, support.ACTOR) == []
