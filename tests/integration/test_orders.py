"""Orders: all-or-nothing holds, fulfil and cancel, expiry, idempotent references, one sweeper."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from invdesk.db.engine import Database
from invdesk.db.models import Movement
from invdesk.domain.errors import Conflict, DuplicateRequest, InsufficientStock, ValidationError
from invdesk.domain.orders import OrderLine, OrderStatus, PlaceOrder
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import ReserveStock
from invdesk.services.stock import orders, reservations
from tests import support


@pytest.fixture
def shop(db):
    support.warehouse(db)
    support.product(db, "A")
    support.product(db, "B")
    support.stocked(db, "A", qty=10)
    support.stocked(db, "B", qty=3)
    return db


def _place(db, ref="WEB-1", a=4, b=2, ttl=3600):
    lines = (OrderLine("A", a), OrderLine("B", b))
    return orders.place_order(db, PlaceOrder(ref, "MAIN", lines, "web_shop", ttl), SYSTEM)


def test_an_order_whose_second_line_lacks_stock_reserves_nothing(shop):
    before = support.ledger_count(shop)
    with pytest.raises(InsufficientStock, match="Line 2"):
        _place(shop, b=5)
    assert support.on_hand(shop, "A") == (10, 0)
    assert support.on_hand(shop, "B") == (3, 0)
    assert support.ledger_count(shop) == before
    assert orders.list_orders(shop, SYSTEM) == []


def test_place_fulfil_turns_holds_into_issues(shop):
    order = _place(shop)
    assert order.status is OrderStatus.OPEN and len(order.lines) == 2
    assert support.on_hand(shop, "A") == (10, 4)
    done = orders.fulfil_order(shop, "WEB-1", SYSTEM)
    assert done.status is OrderStatus.FULFILLED
    assert {line.reservation_status for line in done.lines} == {"committed"}
    assert support.on_hand(shop, "A") == (6, 0) and support.on_hand(shop, "B") == (1, 0)
    assert orders.fulfil_order(shop, "WEB-1", SYSTEM).status is OrderStatus.FULFILLED  # repeat


def test_cancel_releases_the_holds(shop):
    _place(shop)
    assert orders.cancel_order(shop, "WEB-1", SYSTEM).status is OrderStatus.CANCELLED
    assert support.on_hand(shop, "A") == (10, 0)
    with pytest.raises(Conflict, match="is cancelled; it cannot be fulfilled"):
        orders.fulfil_order(shop, "WEB-1", SYSTEM)


def test_the_same_reference_twice_creates_one_order(shop):
    first = _place(shop)
    again = _place(shop)
    assert again.id == first.id and again.replayed
    assert support.on_hand(shop, "A") == (10, 4)
    with pytest.raises(DuplicateRequest):
        _place(shop, a=1)


def test_an_expired_order_frees_its_stock_and_cannot_be_fulfilled(shop):
    _place(shop, ttl=60)
    later = shop.now() + timedelta(minutes=5)
    shop.clock = lambda: later
    with pytest.raises(ValidationError, match="expired"):
        orders.fulfil_order(shop, "WEB-1", SYSTEM)
    assert orders.expire_orders(shop, SYSTEM) == 1
    assert support.on_hand(shop, "A") == (10, 0)
    assert orders.get_order(shop, SYSTEM, "WEB-1").status is OrderStatus.EXPIRED


def _expire_rows(db: Database) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Movement).where(Movement.kind == "expire")
            ).scalar_one()
        )


def test_two_sweepers_at_once_write_each_release_exactly_once(shop, db_url):
    for _ in range(10):
        reservations.reserve(shop, ReserveStock("A", "MAIN", 1, ttl_seconds=1), SYSTEM)
    later = shop.now() + timedelta(minutes=1)
    clients = [Database.open(db_url) for _ in range(2)]
    for client in clients:
        client.clock = lambda: later
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def sweeper(db: Database) -> None:
        barrier.wait()
        counts.append(reservations.sweep(db, SYSTEM))

    try:
        threads = [threading.Thread(target=sweeper, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        reservations.sweep(clients[0], SYSTEM)  # whatever a skipped sweeper left
    finally:
        for c in clients:
            c.dispose()
    assert _expire_rows(shop) == 10
    assert sum(counts) <= 10
    assert support.on_hand(shop, "A") == (10, 0)
