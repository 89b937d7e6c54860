"""Reads never write: a hold past its expiry shows as released on every screen, report and look-up,
computed by the query, while its release (the ledger row, the counters) waits for the sweeper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from invdesk.db.engine import Database
from invdesk.db.models import Reservation, StockLevel
from invdesk.domain.browse import PageRequest, StockQuery, StockSort
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.domain.orders import OrderLine, OrderStatus, PlaceOrder
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import ReservationStatus, ReserveStock
from invdesk.reports import runner
from invdesk.services.reads import browse, dialog_lookups, queries, reorder
from invdesk.services.stock import orders, policies, reservations
from invdesk.services.trust import verify
from tests import support

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MANAGER = Actor("manager", Role.MANAGER)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def overdue(db: Database, clock: Clock) -> Database:
    """10 of SKU-1 in MAIN; a 6-unit hold and a 2-unit order, both a minute past their expiry;
    a 1-unit hold still running. Nothing has swept them."""
    db.clock = clock
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 6, ttl_seconds=60), SYSTEM)
    orders.place_order(
        db, PlaceOrder("WEB-1", "MAIN", (OrderLine("SKU-1", 2),), "web_shop", 60), SYSTEM
    )
    reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 1, ttl_seconds=3600), SYSTEM)
    clock.now = START + timedelta(minutes=2)
    return db


def _read_only_url(url: str, path: Path) -> str:
    """The same database through connections that cannot write at all."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    return url


@pytest.fixture
def read_only(overdue: Database, db_url: str, clock: Clock, tmp_path: Path) -> Iterator[Database]:
    """`overdue`'s database opened read-only: a read that tried to sweep would fail."""
    kwargs = {}
    if overdue.dialect == "postgresql":
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    with Database.open(_read_only_url(db_url, tmp_path), **kwargs) as database:
        database.clock = clock
        yield database


def _stored(db: Database) -> tuple[int, int, list[str]]:
    """What the tables hold: reserved counter, ledger rows, hold statuses (by id)."""
    with db.read() as conn:
        reserved = conn.execute(select(StockLevel.reserved)).scalar_one()
        statuses = conn.execute(select(Reservation.status).order_by(Reservation.id)).scalars()
        return reserved, support.ledger_count(db), list(statuses)


def test_a_read_only_connection_refuses_the_sweep_a_read_used_to_run(read_only):
    with pytest.raises(
        (DatabaseUnavailable, DBAPIError), match=r"read-?only|may not write|accepts no changes"
    ):
        reservations.sweep(read_only, SYSTEM)


def test_every_stock_read_counts_overdue_holds_as_released_and_writes_nothing(
    overdue, read_only, tmp_path
):
    before = _stored(overdue)
    assert before[0] == 9 and before[2] == ["active"] * 3  # nothing swept yet

    (level,) = queries.stock_levels(read_only, SYSTEM)  # the CLI's `stock`
    assert (level.on_hand, level.reserved, level.available) == (10, 1, 9)
    (row,) = browse.stock_page(read_only, SYSTEM, StockQuery(), PageRequest()).rows  # Stock page
    assert (row.on_hand, row.reserved, row.available) == (10, 1, 9)
    (again,) = browse.stock_rows(read_only, SYSTEM, StockQuery(), [(row.product_id, 1)]).rows
    assert again.reserved == 1
    figure = dialog_lookups.stock_figure(read_only, SYSTEM, "SKU-1", "MAIN")  # the stock dialogs
    assert (figure.reserved, figure.available) == (1, 9)
    (totals,) = browse.warehouse_totals(read_only, SYSTEM)  # Warehouses page
    assert totals.reserved == 1
    assert browse.dashboard(read_only, SYSTEM).open_reservations == 1

    holds = reservations.list_reservations(read_only, SYSTEM)
    assert [h.status for h in holds] == [
        ReservationStatus.ACTIVE,
        ReservationStatus.EXPIRED,
        ReservationStatus.EXPIRED,
    ]
    active = reservations.list_reservations(read_only, SYSTEM, ReservationStatus.ACTIVE)
    assert [h.qty for h in active] == [1]
    order = orders.get_order(read_only, SYSTEM, "WEB-1")
    assert order.status is OrderStatus.EXPIRED
    assert order.lines[0].reservation_status == "expired"
    assert orders.list_orders(read_only, SYSTEM, OrderStatus.OPEN) == []

    path = tmp_path / "valuation.xlsx"
    runner.generate(read_only, MANAGER, "valuation", path)
    sheet = load_workbook(path)["Stock on hand"]
    header = next(r for r in sheet.iter_rows(values_only=True) if "Reserved" in r)
    data = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "SKU-1")
    shown = dict(zip(header, data, strict=True))
    assert (shown["On hand"], shown["Reserved"], shown["Available"]) == (10, 1, 9)

    assert _stored(overdue) == before  # nothing was written by any of it


def test_the_sweeper_then_writes_what_the_reads_showed(overdue):
    shown = queries.stock_levels(overdue, SYSTEM)
    assert _stored(overdue)[0] == 9
    assert reservations.sweep(overdue, SYSTEM) == 2
    assert orders.expire_orders(overdue, SYSTEM) == 1
    assert _stored(overdue)[0] == 1
    assert queries.stock_levels(overdue, SYSTEM) == shown
    assert verify.verify(overdue, SYSTEM) == []


def test_sorting_by_available_uses_the_released_figure(overdue):
    support.product(overdue, "SKU-2")
    support.stocked(overdue, "SKU-2", qty=8)
    q = StockQuery(sort=StockSort.AVAILABLE)
    rows = browse.stock_page(overdue, SYSTEM, q, PageRequest()).rows
    assert [(r.sku, r.available) for r in rows] == [("SKU-2", 8), ("SKU-1", 9)]


def test_reorder_suggestions_see_the_released_stock(overdue):
    rule = PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=10)
    policies.set_policy(overdue, SetPolicy("MAIN", rule), MANAGER)
    assert reorder.suggestions(overdue, SYSTEM) == []  # 9 available is above the point
    with overdue.read() as conn:
        assert conn.execute(text("SELECT reserved FROM stock_level")).scalar_one() == 9
