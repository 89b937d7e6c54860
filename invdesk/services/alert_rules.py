"""Raising and resolving alerts inside the stock transaction that crossed a threshold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from invdesk.db.models import Alert, Product, StockLevel, table_of
from invdesk.domain.restock import UNRESOLVED, AlertKind, AlertStatus, alert_kind, assess
from invdesk.services import events, policy_lookup

alert_t = table_of(Alert)
_level = table_of(StockLevel)
_product = table_of(Product)
_a = alert_t.c


def check(
    conn: Connection,
    product_id: int,
    warehouse_id: int,
    at: datetime,
    *,
    sku: str = "",
    warehouse: str = "",
    available_delta: int | None = None,
) -> None:
    """Bring the alert of one stock row in line with its available stock and policy.

    Runs in the caller's transaction, after the stock counters changed: the row is locked by that
    change, so two clerks cannot raise the same alert twice. At most one unresolved alert per row.
    `available_delta` (the change just made, if known) lets the common case stop early: stock that
    did not go down cannot raise an alert, so without an unresolved one there is nothing to do.
    """
    # One statement for the counters, the product's category and the unresolved alert, if any.
    rows = conn.execute(
        select(_level.c.on_hand, _level.c.reserved, _product.c.category_id, _a.id, _a.kind)
        .join(_product, _product.c.id == _level.c.product_id)
        .outerjoin(
            alert_t,
            (_a.product_id == _level.c.product_id)
            & (_a.warehouse_id == _level.c.warehouse_id)
            & _a.status.in_(UNRESOLVED),
        )
        .where(_level.c.product_id == product_id, _level.c.warehouse_id == warehouse_id)
    ).all()
    if not rows:
        return
    available = rows[0].on_hand - rows[0].reserved
    if available_delta is not None and available_delta >= 0 and rows[0].id is None:
        return
    found = policy_lookup.effective(conn, product_id, warehouse_id, rows[0].category_id)
    need = None
    if found is not None:
        rule = found[1]
        demand = (
            policy_lookup.demand_per_day(conn, product_id, warehouse_id, rule.lookback_days, at)
            if rule.needs_demand
            else 0.0
        )
        need = assess(rule, available, demand)
    wanted = alert_kind(available, need)
    current = [row for row in rows if row.id is not None]
    for row in current:
        if wanted is not None and row.kind == wanted.value:
            return
    for row in current:
        conn.execute(
            update(alert_t)
            .where(_a.id == row.id)
            .values(
                status=AlertStatus.RESOLVED.value,
                resolved_at=at,
                updated_at=at,
                version=_a.version + 1,
            )
        )
        events.collect(conn, events.AlertResolved(row.id, product_id, warehouse_id))
    if wanted is None:
        return
    threshold = 0 if wanted is AlertKind.OUT_OF_STOCK or need is None else need.threshold
    new_id = conn.execute(
        insert(alert_t)
        .values(
            product_id=product_id,
            warehouse_id=warehouse_id,
            kind=wanted.value,
            status=AlertStatus.OPEN.value,
            available=available,
            threshold=threshold,
            raised_at=at,
            updated_at=at,
            version=1,
        )
        .returning(_a.id)
    ).scalar_one()
    events.collect(
        conn,
        events.AlertRaised(
            new_id, product_id, warehouse_id, sku, warehouse, wanted.value, available
        ),
    )
