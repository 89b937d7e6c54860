"""Traceability and lot expiry alerts on SQLite and PostgreSQL: a recall finds every order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from invdesk.domain.catalog import EditWarehouse
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import AlertKind, AlertStatus
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import IssueStock, Line, MovementKind, TransferStock
from invdesk.domain.transit import ReceiveShipment
from invdesk.services.catalog import warehouses
from invdesk.services.reads import alerts, trace
from invdesk.services.stock import expiry_alerts, operations, orders, transit
from tests import support
from tests.lots import receive_lot, receive_serials, tracked_product

ACTOR = support.ACTOR
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def milk(db):
    """MILK in MAIN: lot A (expires 2030-03-10, 6 units) and lot B (2030-06-01, 6 units)."""
    db.clock = lambda: NOW
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    tracked_product(db, "MILK")
    receive_lot(db, "MILK", "MAIN", 6, "A", date(2030, 3, 10))
    receive_lot(db, "MILK", "MAIN", 6, "B", date(2030, 6, 1))
    return db


def _order(db, reference: str, qty: int) -> None:
    orders.place_order(db, PlaceOrder(reference, "MAIN", (OrderLine("MILK", qty),)), ACTOR)
    orders.fulfil_order(db, reference, ACTOR)


def test_a_recall_trace_lists_every_order_that_took_the_lot(milk):
    db = milk
    _order(db, "WEB-1", 4)  # all from A (first expiry first)
    _order(db, "WEB-2", 4)  # 2 from A, 2 from B
    _order(db, "WEB-3", 1)  # from B only
    orders.place_order(db, PlaceOrder("WEB-4", "MAIN", (OrderLine("MILK", 1),)), ACTOR)

    found = trace.trace_lot(db, ACTOR, "MILK", "A")

    assert [(o.reference, o.units) for o in found.orders] == [("WEB-1", 4), ("WEB-2", 2)]
    assert [m.kind for m in found.history] == [MovementKind.RECEIVE] + [MovementKind.ISSUE] * 2
    assert found.total_on_hand == 0
    assert (found.lot.expiry, found.lot.serial) == (date(2030, 3, 10), False)
    b = trace.trace_lot(db, ACTOR, "MILK", "B")
    assert [o.reference for o in b.orders] == ["WEB-2", "WEB-3"]  # WEB-4 holds, took nothing yet
    assert [(x.lot, x.units) for x in trace.order_lots(db, ACTOR, "WEB-2")] == [("A", 2), ("B", 2)]


def test_a_lot_history_shows_transfers_shipments_and_where_it_is_now(milk):
    db = milk
    operations.transfer(db, TransferStock("MAIN", "SHOP", (Line("MILK", 1, lot="B"),)), ACTOR)
    shipped = transit.ship(db, TransferStock("MAIN", "SHOP", (Line("MILK", 2, lot="B"),)), ACTOR)
    transit.receive_shipment(db, ReceiveShipment(shipped.movements[0].transfer_id), ACTOR)
    operations.issue(db, IssueStock("SHOP", (Line("MILK", 1, lot="B"),)), ACTOR)

    found = trace.trace_lot(db, ACTOR, "MILK", "B")

    assert [(m.kind.value, m.warehouse, m.qty) for m in found.history] == [
        ("receive", "MAIN", 6),
        ("transfer_out", "MAIN", -1),
        ("transfer_in", "SHOP", 1),
        ("ship", "MAIN", -2),
        ("transit_in", "SHOP", 2),
        ("issue", "SHOP", -1),
    ]
    assert [(p.warehouse, p.on_hand) for p in found.on_hand] == [("MAIN", 3), ("SHOP", 2)]
    assert found.orders == ()


def test_a_serial_history_is_one_call_and_a_lot_is_not_a_serial(db):
    support.warehouse(db, "MAIN")
    tracked_product(db, "PHONE", "serial")
    receive_serials(db, "PHONE", "MAIN", "SN-1", "SN-2")
    operations.issue(db, IssueStock("MAIN", (Line("PHONE", 1, serials=("SN-2",)),)), ACTOR)
    found = trace.trace_lot(db, ACTOR, "PHONE", "SN-2", serial=True)
    assert [m.kind for m in found.history] == [MovementKind.RECEIVE, MovementKind.ISSUE]
    assert found.lot.serial and found.total_on_hand == 0
    with pytest.raises(NotFound, match="no lot"):
        trace.trace_lot(db, ACTOR, "PHONE", "SN-1", serial=False)
    with pytest.raises(NotFound, match="No order"):
        trace.order_lots(db, ACTOR, "NOPE")


def _lot_alerts(db) -> set[tuple[str, str, int]]:
    kinds = (AlertKind.LOT_EXPIRING, AlertKind.LOT_EXPIRED)
    return {
        (a.kind.value, a.warehouse, a.available)
        for a in alerts.list_alerts(db, ACTOR)
        if a.kind in kinds
    }


def test_expiry_alerts_are_raised_by_the_calendar_and_resolved_when_the_stock_is_gone(milk):
    db = milk
    done = expiry_alerts.check_expiry(db, ACTOR)
    assert (done.raised, done.resolved) == (1, 0)
    assert _lot_alerts(db) == {("lot_expiring", "MAIN", 6)}  # A within 30 days, B not
    assert expiry_alerts.check_expiry(db, ACTOR).raised == 0  # once per product and warehouse

    # A stock movement resolves low-stock alerts, never a lot alert.
    operations.issue(db, IssueStock("MAIN", (Line("MILK", 1, lot="B"),)), ACTOR)
    assert _lot_alerts(db) == {("lot_expiring", "MAIN", 6)}

    # Days later A has expired: it is an expired-stock alert now.
    later = expiry_alerts.check_expiry(db, ACTOR, today=date(2030, 3, 11))
    assert (later.raised, later.resolved) == (1, 1)
    assert _lot_alerts(db) == {("lot_expired", "MAIN", 6)}

    # The expired units are written off (an override, with its reason): nothing left to alert.
    cmd = IssueStock("MAIN", (Line("MILK", 6, lot="A"),), reason="destroyed", allow_expired=True)
    db.clock = lambda: datetime(2030, 3, 11, 9, tzinfo=UTC)
    operations.issue(db, cmd, ACTOR)
    assert expiry_alerts.check_expiry(db, ACTOR).resolved == 1
    assert _lot_alerts(db) == set()
    resolved = alerts.list_alerts(db, ACTOR, statuses=(AlertStatus.RESOLVED,))
    assert {a.kind for a in resolved} == {AlertKind.LOT_EXPIRING, AlertKind.LOT_EXPIRED}


def test_the_warning_days_are_a_warehouse_setting(milk):
    db = milk
    edited = warehouses.edit_warehouse(db, EditWarehouse("MAIN", expiry_warning_days=100), SYSTEM)
    assert edited.expiry_warning_days == 100
    expiry_alerts.check_expiry(db, ACTOR)
    assert _lot_alerts(db) == {("lot_expiring", "MAIN", 12)}  # B too, now
    warehouses.edit_warehouse(db, EditWarehouse("MAIN", expiry_warning_days=0), SYSTEM)
    expiry_alerts.check_expiry(db, ACTOR)
    assert _lot_alerts(db) == set()
    with pytest.raises(ValidationError, match="between 0 and"):
        warehouses.edit_warehouse(db, EditWarehouse("MAIN", expiry_warning_days=-1), SYSTEM)


def test_the_lot_trace_report_names_the_order_of_each_taking(milk, tmp_path):
    from openpyxl import load_workbook

    from invdesk.reports import runner
    from invdesk.reports.filters import ReportFilter
    from tests.integration.test_reports import _data, _header

    db = milk
    _order(db, "WEB-1", 8)  # 6 of A, 2 of B
    path = tmp_path / "lots.xlsx"
    # The ledger's time is the server's on PostgreSQL: a period around any clock.
    every = ReportFilter(
        warehouse="MAIN",
        since=datetime(2000, 1, 1, tzinfo=UTC),
        until=datetime(2100, 1, 1, tzinfo=UTC),
    )
    result = runner.generate(db, SYSTEM, "lot-trace", path, every)
    sheet = load_workbook(path)["Lot trace"]
    assert result.sheets == ("Lot trace",)
    head = _header(sheet)
    rows = [dict(zip(head, row, strict=True)) for row in _data(sheet)]
    assert [(r["Lot / serial"], r["Kind"], r["Qty"], r["Order"]) for r in rows] == [
        ("A", "receive", 6, None),
        ("A", "issue", -6, "WEB-1"),
        ("B", "receive", 6, None),
        ("B", "issue", -2, "WEB-1"),
    ]
