"""Supplier performance on SQLite and PostgreSQL: on-time against the expected date or the promised
lead time, lead times per delivery, fill rate over closed POs, spend by delivery month; its report sheet,
and what is on order in the low-stock and forecast sheets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from invdesk.db.tables import po_receipt_t, po_t
from invdesk.domain import purchasing as p
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.reports import runner
from invdesk.reports.excel import FIRST_DATA_ROW, HEADER_ROW
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.services.purchasing.performance import supplier_performance
from invdesk.services.stock import operations, policies
from tests import support

ACTOR = support.ACTOR


def _po(db, qty, expected=None):
    po = orders.create_po(
        db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", qty, "2.00"),), expected), ACTOR
    )
    return orders.send_po(db, po.number, ACTOR)


def _receive(db, number, qty):
    receiving.receive_po(db, p.ReceivePurchase(number, (Line("BOLT", qty),)), ACTOR)


def _back_date(db, number, sent_days_ago, expected_days_ago=None, first_delivery_days_ago=None):
    """Move a PO (and its first delivery) into the past, as if it had been sent back then."""
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        values = {"sent_at": now - timedelta(days=sent_days_ago)}
        if expected_days_ago is not None:
            values["expected"] = (now - timedelta(days=expected_days_ago)).date()
        conn.execute(update(po_t).where(po_t.c.number == number).values(**values))
        if first_delivery_days_ago is not None:
            first = min(r.id for r in conn.execute(po_receipt_t.select()))
            conn.execute(
                update(po_receipt_t)
                .where(po_receipt_t.c.id == first)
                .values(at=now - timedelta(days=first_delivery_days_ago))
            )


@pytest.fixture
def history(db):
    support.warehouse(db, "MAIN")
    support.product(db, "BOLT")
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme", lead_days=7), ACTOR)
    suppliers.create_supplier(db, p.SupplierDetails("BETA", "Beta"), ACTOR)
    late = _po(db, 10)  # 6 on time (day 3 of 5), 4 late (day 10): received in full
    _receive(db, late.number, 6)
    _receive(db, late.number, 4)
    _back_date(db, late.number, 10, expected_days_ago=5, first_delivery_days_ago=7)
    short = _po(db, 8)  # no expected date: due after the promised 7 days; 3 of 8, then cancelled
    _receive(db, short.number, 3)
    orders.cancel_po(db, short.number, ACTOR, reason="supplier out of stock")
    _po(db, 5)  # sent, nothing yet: an order, not yet in the fill rate
    orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 1),)), ACTOR)
    return db


def test_performance_judges_deliveries_and_fills_per_supplier(history):
    acme, beta = supplier_performance(history, ACTOR)
    assert (acme.supplier, acme.orders, acme.lines, acme.promised_lead_days) == ("ACME", 3, 3, 7)
    assert acme.on_time_rate == pytest.approx(2 / 3)  # day 3 and the short one on time; day 10 late
    assert (acme.average_lead_days, acme.worst_lead_days) == (pytest.approx(13 / 3), 10)
    assert acme.fill_rate == pytest.approx(13 / 18)  # (10 + 3) of (10 + 8); the open PO waits
    now = datetime.now(UTC)
    expected: dict[str, Decimal] = {}
    for days, units in ((7, 6), (0, 4), (0, 3)):
        month = (now - timedelta(days=days)).strftime("%Y-%m")
        expected[month] = expected.get(month, Decimal(0)) + units * Decimal("2.00")
    assert dict(acme.spend_by_month) == expected
    assert (beta.orders, beta.on_time_rate, beta.fill_rate, beta.average_lead_days) == (
        0,
        None,
        None,
        None,
    )


def test_a_period_counts_the_orders_sent_in_it(history):
    since = datetime.now(UTC) - timedelta(days=5)
    acme = supplier_performance(history, ACTOR, since=since)[0]
    assert (acme.orders, acme.worst_lead_days, acme.fill_rate) == (2, 0, pytest.approx(3 / 8))


def test_a_clerk_may_not_see_supplier_performance(history):
    with pytest.raises(PermissionDenied):
        supplier_performance(history, Actor("clerk", Role.CLERK))


def _rows(path, name):
    ws = load_workbook(path)[name]
    header = [c.value for c in ws[HEADER_ROW]]
    rows = list(ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert rows[-1][0] == "Total"
    return [dict(zip(header, row, strict=True)) for row in rows[:-1]]


def test_the_supplier_performance_sheet_reads_back(history, tmp_path):
    path = tmp_path / "suppliers.xlsx"
    runner.generate(history, Actor("boss", Role.MANAGER), "supplier-performance", path)
    acme, beta = _rows(path, "Supplier performance")
    assert (acme["Supplier"], acme["POs"], acme["Lines"], acme["Worst lead (days)"]) == (
        "ACME", 3, 3, 10,
    )  # fmt: skip
    assert acme["On time"] == pytest.approx(2 / 3)
    assert acme["Fill rate"] == pytest.approx(13 / 18)
    assert acme["Spend"] == pytest.approx(26.0)
    months = [key for key in acme if str(key).startswith("Spend ")]
    assert sum(acme[m] or 0 for m in months) == pytest.approx(26.0)
    assert (beta["Supplier"], beta["POs"], beta["On time"]) == ("BETA", 0, None)


def test_low_stock_and_forecast_sheets_show_what_is_on_order(db, tmp_path):
    support.warehouse(db, "MAIN")
    support.product(db, "BOLT")
    support.stocked(db, "BOLT", 30)
    for _ in range(5):
        operations.issue(db, IssueStock("MAIN", (Line("BOLT", 5),)), ACTOR)
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=10, qty=20)), ACTOR
    )
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme", lead_days=7), ACTOR)
    _po(db, 4)
    manager = Actor("boss", Role.MANAGER)
    path = tmp_path / "plan.xlsx"
    runner.generate(db, manager, "low-stock", path)
    (low,) = _rows(path, "Low stock")
    assert (low["Available"], low["On order"], low["Suggested order"]) == (5, 4, 20)
    runner.generate(db, manager, "forecast", path)
    (forecast,) = _rows(path, "Forecast")
    assert (forecast["On hand"], forecast["On order"]) == (5, 4)
