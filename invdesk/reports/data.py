"""Report queries over the ledger and the stock counters. Every figure comes from SQL on one
read snapshot; big results stream (server-side cursor on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Date, Select, and_, case, cast, func, select
from sqlalchemy import type_coerce as coerce

from invdesk.db.tables import category_t, level_t, movement_t, product_t, warehouse_t
from invdesk.domain.stock import MovementKind as K
from invdesk.reports.filters import Scope
from invdesk.services.stock.availability import held

m = movement_t.c
s = level_t.c
p = product_t.c
w = warehouse_t.c
STREAM_BATCH = 5000
MINOR = 10_000

SALES = (K.ISSUE.value,)
"""Kinds that count as demand. A committed reservation is recorded as an issue."""


def as_minor(col: Any) -> Any:
    return coerce(col, BigInteger)


def scoped(
    stmt: Select[Any], scope: Scope, *, period: bool = False, warehouse: Any = m.warehouse_id
) -> Select[Any]:
    """The scope's warehouse and category conditions (the product table joined), and with
    `period` its dates on the ledger. `warehouse` names the warehouse column of a statement over
    stock rows rather than the ledger."""
    if scope.warehouse_id is not None:
        stmt = stmt.where(warehouse == scope.warehouse_id)
    if scope.category_id is not None:
        stmt = stmt.where(p.category_id == scope.category_id)
    if period:
        stmt = stmt.where(m.at >= scope.since, m.at < scope.until)
    return stmt


def stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    """Rows without holding them all: a server-side cursor fetching STREAM_BATCH at a time."""
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    try:
        yield from result
    finally:
        result.close()


def day_of(conn: Connection, col: Any) -> Any:
    """The UTC calendar day of a timestamp (the report transaction runs in UTC)."""
    return func.date(col) if conn.dialect.name == "sqlite" else cast(col, Date)


def to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- stock on hand and valuation -------------------------------------------------------------


def valuation_rows(conn: Connection, scope: Scope) -> Iterator[list[Any]]:
    """Warehouse, SKU, name, category, unit, on hand, reserved, available, avg cost, value."""
    as_of = held(scope.now)  # a hold past its expiry counts as released
    stmt = as_of.join(
        select(
            w.code, p.sku, p.name, category_t.c.name.label("category"), p.unit,
            s.on_hand, as_of.reserved, as_minor(s.avg_cost).label("cost"),
        )
        .select_from(level_t)
        .join(product_t, p.id == s.product_id)
        .join(warehouse_t, w.id == s.warehouse_id)
        .join(category_t, category_t.c.id == p.category_id)
        .where(s.on_hand > 0)
        .order_by(w.code, p.sku)
    )  # fmt: skip
    stmt = scoped(stmt, scope, warehouse=s.warehouse_id)
    for code, sku, name, category, unit, on_hand, reserved, cost in stream(conn, stmt):
        yield [
            code, sku, name, category, unit, on_hand, reserved, on_hand - reserved,
            cost / MINOR, on_hand * cost / MINOR,
        ]  # fmt: skip


def valuation_by_warehouse(conn: Connection, scope: Scope) -> list[list[Any]]:
    """Warehouse, name, products in stock, units on hand, value (moving-average cost)."""
    value = func.sum(s.on_hand * as_minor(s.avg_cost))
    stmt = (
        select(w.code, w.name, func.count(), func.sum(s.on_hand), value)
        .select_from(level_t)
        .join(product_t, p.id == s.product_id)
        .join(warehouse_t, w.id == s.warehouse_id)
        .where(s.on_hand > 0)
        .group_by(w.code, w.name)
        .order_by(w.code)
    )
    stmt = scoped(stmt, scope, warehouse=s.warehouse_id)
    return [
        [code, name, int(n), int(units), int(val) / MINOR]
        for code, name, n, units, val in conn.execute(stmt)
    ]


# --- movement history ------------------------------------------------------------------------


def movement_rows(conn: Connection, scope: Scope) -> Iterator[list[Any]]:
    """At, kind, SKU, product, warehouse, qty, balance after, unit cost, value, ref, reason, user."""
    stmt = scoped(
        select(
            m.at, m.kind, p.sku, p.name, w.code, m.qty, m.balance_after,
            as_minor(m.unit_cost).label("cost"), m.reference, m.reason, m.user,
        )
        .join(product_t, p.id == m.product_id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .order_by(m.id),
        scope,
        period=True,
    )  # fmt: skip
    for at, kind, sku, name, code, qty, balance, cost, ref, reason, user in stream(conn, stmt):
        unit = None if cost is None else cost / MINOR
        value = None if cost is None else qty * cost / MINOR
        yield [at, kind, sku, name, code, qty, balance, unit, value, ref, reason, user]


# --- sales: top sellers, daily demand ---------------------------------------------------------


@dataclass(frozen=True)
class Sales:
    sku: str
    name: str
    category: str
    units: int
    lines: int
    revenue: float
    cogs: float


def top_sellers(conn: Connection, scope: Scope, limit: int = 100) -> list[Sales]:
    """Products by units issued in the period; revenue at list price, COGS at moving-average cost."""
    units = func.sum(m.units)
    cogs = func.sum(m.units * func.coalesce(as_minor(m.unit_cost), 0))
    stmt = scoped(
        select(p.sku, p.name, category_t.c.name, units, func.count(), as_minor(p.price), cogs)
        .join(product_t, p.id == m.product_id)
        .join(category_t, category_t.c.id == p.category_id)
        .where(m.kind.in_(SALES))
        .group_by(p.sku, p.name, category_t.c.name, p.price)
        .order_by(units.desc(), p.sku)
        .limit(limit),
        scope,
        period=True,
    )
    return [
        Sales(sku, name, cat, int(u), int(n), int(u) * int(price) / MINOR, int(c) / MINOR)
        for sku, name, cat, u, n, price, c in conn.execute(stmt)
    ]


# --- turnover ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turnover:
    warehouse: str
    opening_units: int
    closing_units: int
    issued_units: int
    cogs: float

    @property
    def average_units(self) -> float:
        return (self.opening_units + self.closing_units) / 2


def units_at(conn: Connection, scope: Scope, moment: datetime) -> dict[str, int]:
    """Units on hand per warehouse at a moment: the last balance_after of each stock before it."""
    last = scoped(
        select(func.max(m.id).label("id"))
        .join(product_t, p.id == m.product_id)
        .where(m.at < moment)
        .group_by(m.product_id, m.warehouse_id),
        scope,
    ).subquery()
    stmt = (
        select(w.code, func.sum(m.balance_after))
        .join(last, last.c.id == m.id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .group_by(w.code)
    )
    return {code: int(units) for code, units in conn.execute(stmt)}


def turnover(conn: Connection, scope: Scope) -> list[Turnover]:
    opening = units_at(conn, scope, scope.since)
    closing = units_at(conn, scope, scope.until)
    stmt = scoped(
        select(
            w.code,
            func.sum(m.units),
            func.sum(m.units * func.coalesce(as_minor(m.unit_cost), 0)),
        )
        .join(product_t, p.id == m.product_id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .where(m.kind.in_(SALES))
        .group_by(w.code),
        scope,
        period=True,
    )
    issued = {code: (int(u), int(c) / MINOR) for code, u, c in conn.execute(stmt)}
    codes = sorted(set(opening) | set(closing) | set(issued))
    return [
        Turnover(
            code,
            opening.get(code, 0),
            closing.get(code, 0),
            issued.get(code, (0, 0.0))[0],
            issued.get(code, (0, 0.0))[1],
        )
        for code in codes
    ]


# --- restock frequency --------------------------------------------------------------------------


def restock_rows(conn: Connection, scope: Scope) -> list[list[Any]]:
    """SKU, product, warehouse, receipts, units, first, last, days between, units per receipt."""
    first, last = func.min(m.at), func.max(m.at)
    stmt = scoped(
        select(p.sku, p.name, w.code, func.count(), func.sum(m.units), first, last)
        .join(product_t, p.id == m.product_id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .where(m.kind == K.RECEIVE.value)
        .group_by(p.sku, p.name, w.code)
        .order_by(func.count().desc(), p.sku, w.code),
        scope,
        period=True,
    )
    rows = []
    for sku, name, code, n, units, a, b in conn.execute(stmt):
        a, b = _aware(a), _aware(b)
        gap = (b - a).total_seconds() / 86400 / (n - 1) if n > 1 else None
        rows.append([sku, name, code, int(n), int(units), a, b, gap, int(units) / n])
    return rows


def _aware(value: Any) -> datetime:
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- returns --------------------------------------------------------------------------------------


def returns_rows(conn: Connection, scope: Scope) -> list[list[Any]]:
    """SKU, product, category, sold, returned to stock, returned damaged, return rate, top reason."""

    def units_of(kind: str) -> Any:
        return func.sum(case((m.kind == kind, m.units), else_=0))

    kinds = (K.ISSUE.value, K.RETURN.value, K.RETURN_DAMAGED.value)
    stmt = scoped(
        select(
            p.id,
            p.sku,
            p.name,
            category_t.c.name,
            units_of(K.ISSUE.value),
            units_of(K.RETURN.value),
            units_of(K.RETURN_DAMAGED.value),
        )
        .join(product_t, p.id == m.product_id)
        .join(category_t, category_t.c.id == p.category_id)
        .where(m.kind.in_(kinds))
        .group_by(p.id, p.sku, p.name, category_t.c.name),
        scope,
        period=True,
    )
    reasons = _top_reasons(conn, scope)
    rows = []
    for pid, sku, name, cat, sold, back, damaged in conn.execute(stmt):
        if not back and not damaged:
            continue
        rate = (int(back) + int(damaged)) / int(sold) if sold else None
        rows.append([sku, name, cat, int(sold), int(back), int(damaged), rate, reasons.get(pid)])
    rows.sort(key=lambda r: (-(r[4] + r[5]), r[0]))
    return rows


def _top_reasons(conn: Connection, scope: Scope) -> dict[int, str]:
    stmt = scoped(
        select(m.product_id, m.reason, func.count())
        .join(product_t, p.id == m.product_id)
        .where(
            and_(
                m.kind.in_((K.RETURN.value, K.RETURN_DAMAGED.value)),
                m.reason.is_not(None),
            )
        )
        .group_by(m.product_id, m.reason),
        scope,
        period=True,
    )
    best: dict[int, tuple[int, str]] = {}
    for pid, reason, n in conn.execute(stmt):
        if pid not in best or (n, reason) > best[pid]:
            best[pid] = (int(n), reason)
    return {pid: reason for pid, (_n, reason) in best.items()}


# --- daily series ------------------------------------------------------------------------------------


def daily_demand(
    conn: Connection, scope: Scope, limit: int | None = None
) -> dict[tuple[int, int], dict[date, int]]:
    """Units issued per (product id, warehouse id) and UTC day in the period (busiest first)."""
    day = day_of(conn, m.at)
    stmt = scoped(
        select(m.product_id, m.warehouse_id, day.label("day"), func.sum(m.units))
        .join(product_t, p.id == m.product_id)
        .where(m.kind.in_(SALES))
        .group_by(m.product_id, m.warehouse_id, day),
        scope,
        period=True,
    )
    if limit is not None:
        busiest = scoped(
            select(m.product_id, m.warehouse_id)
            .join(product_t, p.id == m.product_id)
            .where(m.kind.in_(SALES))
            .group_by(m.product_id, m.warehouse_id)
            .order_by(func.sum(m.units).desc(), m.product_id, m.warehouse_id)
            .limit(limit),
            scope,
            period=True,
        ).subquery()
        stmt = stmt.join(
            busiest,
            and_(busiest.c.product_id == m.product_id, busiest.c.warehouse_id == m.warehouse_id),
        )
    out: dict[tuple[int, int], dict[date, int]] = defaultdict(dict)
    for pid, wid, d, units in conn.execute(stmt):
        out[(pid, wid)][to_date(d)] = int(units)
    return dict(out)


def daily_net_by_warehouse(conn: Connection, scope: Scope) -> dict[str, dict[date, int]]:
    """Net change of units on hand per warehouse and UTC day in the period."""
    day = day_of(conn, m.at)
    stmt = scoped(
        select(w.code, day.label("day"), func.sum(m.qty))
        .join(product_t, p.id == m.product_id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .group_by(w.code, day),
        scope,
        period=True,
    )
    out: dict[str, dict[date, int]] = defaultdict(dict)
    for code, d, qty in conn.execute(stmt):
        out[code][to_date(d)] = int(qty)
    return dict(out)
