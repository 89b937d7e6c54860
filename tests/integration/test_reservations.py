"""Reservations hold stock, are committed or released once, and expire into the ledger once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from invdesk.db.models import Movement
from invdesk.domain.errors import InsufficientStock, ValidationError
from invdesk.domain.stock import IssueStock, Line, ReservationStatus, ReserveStock
from invdesk.services.reads import queries
from invdesk.services.stock import operations, reservations
from invdesk.services.trust import verify
from tests import support


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(db):
    ticking = Clock()
    db.clock = ticking
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    return ticking


def _expire_rows(db) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Movement).where(Movement.kind == "expire")
            ).scalar_one()
        )


def test_a_hold_makes_stock_unavailable_to_issues(db, clock):
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 8), support.ACTOR)
    with pytest.raises(InsufficientStock) as caught:
        operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 3),)), support.ACTOR)
    assert caught.value.available == 2
    operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 2),)), support.ACTOR)
    assert support.on_hand(db, "SKU-1") == (8, 8)


def test_commit_turns_the_hold_into_an_issue(db, clock):
    hold = reservations.reserve(
        db, ReserveStock("SKU-1", "MAIN", 4, reference="WEB-1"), support.ACTOR
    )
    result = reservations.commit(db, hold.id, support.ACTOR)
    (row,) = result.movements
    assert (row.kind, row.qty, row.reserved_delta, row.reservation_id) == ("issue", -4, -4, hold.id)
    assert row.reference == "WEB-1"
    assert support.on_hand(db, "SKU-1") == (6, 0)
    with pytest.raises(ValidationError, match="already committed"):
        reservations.release(db, hold.id, support.ACTOR)


def test_release_gives_the_units_back(db, clock):
    hold = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 4), support.ACTOR)
    reservations.release(db, hold.id, support.ACTOR)
    assert support.on_hand(db, "SKU-1") == (10, 0)
    with pytest.raises(ValidationError, match="already released"):
        reservations.commit(db, hold.id, support.ACTOR)


def test_an_expired_hold_is_released_once_by_the_sweeper(db, clock):
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 4, ttl_seconds=60), support.ACTOR)
    clock.now += timedelta(seconds=59)
    assert reservations.sweep(db, support.ACTOR) == 0
    clock.now += timedelta(seconds=2)
    assert reservations.sweep(db, support.ACTOR) == 1
    assert reservations.sweep(db, support.ACTOR) == 0
    assert support.on_hand(db, "SKU-1") == (10, 0)
    assert _expire_rows(db) == 1
    (hold,) = reservations.list_reservations(db, support.ACTOR)
    assert hold.status is ReservationStatus.EXPIRED


def test_committing_an_expired_hold_is_refused_and_releases_it(db, clock):
    hold = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 4, ttl_seconds=60), support.ACTOR)
    clock.now += timedelta(minutes=5)
    with pytest.raises(ValidationError, match="expired"):
        reservations.commit(db, hold.id, support.ACTOR, request_id="late-pick")
    assert support.on_hand(db, "SKU-1") == (10, 0)
    assert _expire_rows(db) == 1
    with pytest.raises(ValidationError, match="already expired"):
        reservations.commit(db, hold.id, support.ACTOR, request_id="late-pick")
    assert _expire_rows(db) == 1


def test_an_issue_blocked_only_by_expired_holds_goes_through(db, clock):
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 10, ttl_seconds=60), support.ACTOR)
    clock.now += timedelta(minutes=2)
    operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 10),)), support.ACTOR)
    assert support.on_hand(db, "SKU-1") == (0, 0)
    assert verify.verify(db, support.ACTOR) == []


def test_stock_levels_never_count_an_expired_hold(db, clock):
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 6, ttl_seconds=60), support.ACTOR)
    clock.now += timedelta(minutes=2)
    (level,) = queries.stock_levels(db, support.ACTOR)
    assert level.available == 10


def test_two_sweepers_at_once_release_each_hold_exactly_once(db, clock):
    import threading

    for _ in range(5):
        reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 2, ttl_seconds=60), support.ACTOR)
    clock.now += timedelta(minutes=2)
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda: counts.append(reservations.sweep(db, support.ACTOR)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 5
    assert _expire_rows(db) == 5
    assert support.on_hand(db, "SKU-1") == (10, 0)
    assert verify.verify(db, support.ACTOR) == []
