"""Supplier performance: how many orders, how fast and how complete each supplier delivers, and
what was spent with them, from the POs sent in a period and their `po_receipt` rows.

What counts (the report's notes say the same):
* the orders are the POs *sent* in the period (`sent_at` from `since` up to `until`); drafts were
  never promised and count nowhere;
* a delivery is one receipt booking against a PO (one request id; several lines at once);
* on time: delivered on or before the PO's expected date, or, without one, the sent day plus the
  supplier's promised lead time; a PO with neither is not judged;
* lead time: calendar days (UTC) from the day a PO was sent to the day of each delivery;
* fill rate: units received / units ordered on the *closed* POs (received or cancelled): an
  open PO may still be completed, so its shortfall is not the supplier's yet;
* spend: received units times the line's unit price, by the month of the delivery.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, or_, select

from invdesk.db.engine import Database
from invdesk.db.tables import po_line_t, po_receipt_t, po_t, supplier_t
from invdesk.domain.purchasing import POStatus, SupplierPerformance
from invdesk.domain.security import Actor, Permission, require

_CLOSED = (POStatus.RECEIVED.value, POStatus.CANCELLED.value)


def supplier_performance(
    db: Database, actor: Actor, since: datetime | None = None, until: datetime | None = None
) -> list[SupplierPerformance]:
    """Per supplier (by code; active ones, and any with orders in the period): orders, lines,
    promised, average and worst lead time, on-time and fill rates, spend by month, for the POs
    sent from `since` (default: ever) up to `until` (default: now). Rates are None where there
    is nothing to judge. Needs the reports permission."""
    require(actor, Permission.REPORTS)
    with db.read() as conn:
        return performance_of(conn, since, until)


def performance_of(
    conn: Connection, since: datetime | None, until: datetime | None
) -> list[SupplierPerformance]:
    """`supplier_performance` inside a read the caller holds (a report's snapshot)."""
    orders = _orders(conn, since, until)
    lines = _lines(conn, list(orders))
    receipts = _receipts(conn, list(orders))
    wanted = {o.supplier_id for o in orders.values()}
    s = supplier_t.c
    suppliers = conn.execute(
        select(s.id, s.code, s.name, s.lead_days)
        .where(or_(s.active, s.id.in_(wanted)))
        .order_by(s.code)
    ).all()
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for order in orders.values():
        tallies[order.supplier_id].orders += 1
    promised = {int(r.id): r.lead_days for r in suppliers}
    for line in lines:
        order = orders[line.order_id]
        tally = tallies[order.supplier_id]
        tally.lines += 1
        if order.status in _CLOSED:
            tally.ordered += int(line.ordered)
            tally.received += int(line.received)
    for (order_id, _request), delivery in receipts.items():
        order = orders[order_id]
        tally = tallies[order.supplier_id]
        day = _day(delivery.at)
        tally.leads.append((day - _day(order.sent_at)).days)
        due = _due(order, promised.get(order.supplier_id))
        if due is not None:
            tally.judged += 1
            tally.on_time += day <= due
        for month, amount in delivery.spend.items():
            tally.spend[month] += amount
    return [tallies[int(r.id)].result(r.code, r.name, r.lead_days) for r in suppliers]


@dataclass
class _Tally:
    orders: int = 0
    lines: int = 0
    ordered: int = 0
    received: int = 0
    judged: int = 0
    on_time: int = 0
    leads: list[int] = field(default_factory=list)
    spend: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def result(self, code: str, name: str, promised: int | None) -> SupplierPerformance:
        return SupplierPerformance(
            supplier=code,
            name=name,
            orders=self.orders,
            lines=self.lines,
            promised_lead_days=promised,
            average_lead_days=sum(self.leads) / len(self.leads) if self.leads else None,
            worst_lead_days=max(self.leads) if self.leads else None,
            on_time_rate=self.on_time / self.judged if self.judged else None,
            fill_rate=self.received / self.ordered if self.ordered else None,
            spend_by_month=tuple(sorted(self.spend.items())),
        )


@dataclass
class _Delivery:
    at: datetime
    spend: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def _orders(conn: Connection, since: datetime | None, until: datetime | None) -> dict[int, Any]:
    o = po_t.c
    stmt = select(o.id, o.supplier_id, o.status, o.expected, o.sent_at).where(
        o.sent_at.is_not(None)
    )
    if since is not None:
        stmt = stmt.where(o.sent_at >= since)
    if until is not None:
        stmt = stmt.where(o.sent_at < until)
    return {int(r.id): r for r in conn.execute(stmt)}


def _lines(conn: Connection, order_ids: list[int]) -> list[Any]:
    line = po_line_t.c
    found: list[Any] = []
    for chunk in _chunks(order_ids):
        stmt = select(line.order_id, line.ordered, line.received).where(line.order_id.in_(chunk))
        found += conn.execute(stmt).all()
    return found


def _receipts(conn: Connection, order_ids: list[int]) -> dict[tuple[int, str], _Delivery]:
    """Deliveries per (PO, request id): when (the first row's time) and what they cost by month."""
    line, r = po_line_t.c, po_receipt_t.c
    deliveries: dict[tuple[int, str], _Delivery] = {}
    for chunk in _chunks(order_ids):
        stmt = (
            select(line.order_id, r.request_id, r.at, r.units, line.unit_price)
            .join(po_line_t, line.id == r.line_id)
            .where(line.order_id.in_(chunk))
            .order_by(r.at, r.id)
        )
        for order_id, request_id, at, units, price in conn.execute(stmt):
            key = (int(order_id), str(request_id))
            delivery = deliveries.setdefault(key, _Delivery(at))
            if price is not None:
                amount = Decimal(int(units)) * price
                delivery.spend[_day(at).strftime("%Y-%m")] += amount
    return deliveries


def _due(order: Any, promised: int | None) -> date | None:
    if order.expected is not None:
        return order.expected if isinstance(order.expected, date) else date.fromisoformat(
            str(order.expected)
        )  # fmt: skip
    if promised is None:
        return None
    return _day(order.sent_at) + timedelta(days=promised)


def _day(at: datetime) -> date:
    """The UTC calendar day of a stored time."""
    return (at if at.tzinfo is None else at.astimezone(UTC)).date()


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
