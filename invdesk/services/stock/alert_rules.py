"""Raising and resolving alerts inside the stock transaction that crossed a threshold."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    String,
    bindparam,
    case,
    cast,
    exists,
    insert,
    literal,
    select,
    update,
)

from invdesk.db.tables import alert_t, level_t, policy_t, product_t
from invdesk.domain.restock import (
    UNRESOLVED,
    AlertKind,
    AlertStatus,
    Need,
    PolicyKind,
    PolicyRule,
    PolicyScope,
    alert_kind,
    assess,
)
from invdesk.services.catalog import policy_lookup
from invdesk.services.catalog.policy_lookup import scope_key
from invdesk.services.stock import events

# The kinds this module keeps in step with available stock; lot expiry alerts (expiry_alerts) have
# their own life: a stock change must neither resolve them nor count them as "an alert to look at".
STOCK_KINDS = (AlertKind.LOW_STOCK.value, AlertKind.OUT_OF_STOCK.value)
_RULE_COLUMNS = ("kind", "point", "qty", "level", "cover_days", "lookback_days", "target_days")
_a = alert_t.c


def _state_statement() -> Select[Any]:
    """Built once: the counters, the unresolved alert and the three candidate policies of a row."""
    by_product, by_category, by_warehouse = (policy_t.alias(n) for n in ("pp", "pc", "pw"))
    category_key = literal(f"{PolicyScope.CATEGORY.value}:") + cast(product_t.c.category_id, String)
    policy_cols = [
        c.label(f"{t.name}_{c.name}")
        for t in (by_product, by_category, by_warehouse)
        for c in t.c
        if c.name in _RULE_COLUMNS
    ]
    at_warehouse = level_t.c.warehouse_id
    return (
        select(level_t.c.on_hand, level_t.c.reserved, _a.id, _a.kind, *policy_cols)
        .join(product_t, product_t.c.id == level_t.c.product_id)
        .outerjoin(
            alert_t,
            (_a.product_id == level_t.c.product_id)
            & (_a.warehouse_id == level_t.c.warehouse_id)
            & _a.status.in_(UNRESOLVED)
            & _a.kind.in_(STOCK_KINDS),
        )
        .outerjoin(
            by_product,
            (by_product.c.warehouse_id == at_warehouse)
            & (by_product.c.scope_key == bindparam("al_pkey")),
        )
        .outerjoin(
            by_category,
            (by_category.c.warehouse_id == at_warehouse)
            & (by_category.c.scope_key == category_key),
        )
        .outerjoin(
            by_warehouse,
            (by_warehouse.c.warehouse_id == at_warehouse)
            & (by_warehouse.c.scope_key == PolicyScope.WAREHOUSE.value),
        )
        .where(
            level_t.c.product_id == bindparam("al_pid"),
            level_t.c.warehouse_id == bindparam("al_wid"),
        )
    )


_STATE = _state_statement()


def may_change(*, counter_moves_with_row: bool = False) -> ColumnElement[int]:
    """1 if `check` on a stock row could do anything after a change of its available stock, else 0.

    An SQL expression on the parameters al_pid, al_wid (the row) and al_delta (the change), so the
    statement that writes the change answers it in the same round trip (the ledger INSERT returns
    it). 0 means: no unresolved alert, and either available stock did not go down or the row has no
    policy and still has stock, which is when `check` returns without a write. On PostgreSQL that
    INSERT runs after the counter UPDATE locked the row, so its snapshot sees every alert another
    clerk committed on it, as `check`'s own SELECT would. With `counter_moves_with_row` (PostgreSQL,
    where the ledger row's trigger moves the counter) the statement's snapshot still has the counter
    as it was before the row, so the change is added to it.
    """
    pid, wid = bindparam("al_pid", type_=BigInteger), bindparam("al_wid", type_=BigInteger)
    unresolved = exists().where(
        _a.product_id == pid,
        _a.warehouse_id == wid,
        _a.status.in_([literal(status) for status in UNRESOLVED]),
        _a.kind.in_([literal(kind) for kind in STOCK_KINDS]),
    )
    category = select(product_t.c.category_id).where(product_t.c.id == pid).scalar_subquery()
    keys = [
        literal(f"{PolicyScope.PRODUCT.value}:") + cast(pid, String),
        literal(f"{PolicyScope.CATEGORY.value}:") + cast(category, String),
        literal(PolicyScope.WAREHOUSE.value),
    ]
    policy = exists().where(policy_t.c.warehouse_id == wid, policy_t.c.scope_key.in_(keys))
    available: ColumnElement[Any] = (
        select(level_t.c.on_hand - level_t.c.reserved)
        .where(level_t.c.product_id == pid, level_t.c.warehouse_id == wid)
        .scalar_subquery()
    )
    delta = bindparam("al_delta", type_=BigInteger)
    if counter_moves_with_row:
        available = available + delta
    went_down = delta < 0
    return case((unresolved, 1), (went_down & (policy | (available <= 0)), 1), else_=0)


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
    rows = conn.execute(
        _STATE,
        {
            "al_pid": product_id,
            "al_wid": warehouse_id,
            "al_pkey": scope_key(PolicyScope.PRODUCT, product_id),
        },
    ).all()
    if not rows:
        return
    first = rows[0]
    available = first.on_hand - first.reserved
    if available_delta is not None and available_delta >= 0 and first.id is None:
        return
    need = _need(conn, first, product_id, warehouse_id, available, at)
    wanted = alert_kind(available, need)
    current = [row for row in rows if row.id is not None]
    if wanted is not None and any(row.kind == wanted.value for row in current):
        return  # already raised
    for row in current:
        _resolve(conn, row.id, product_id, warehouse_id, at)
    if wanted is not None:
        threshold = 0 if wanted is AlertKind.OUT_OF_STOCK or need is None else need.threshold
        _raise(conn, product_id, warehouse_id, wanted, available, threshold, at, sku, warehouse)


def _need(
    conn: Connection, row: Any, product_id: int, warehouse_id: int, available: int, at: datetime
) -> Need | None:
    """What the row's most specific policy says about its available stock; None without one."""
    rule = _most_specific(row)
    if rule is None:
        return None
    demand = (
        policy_lookup.demand_per_day(conn, product_id, warehouse_id, rule.lookback_days, at)
        if rule.needs_demand
        else 0.0
    )
    return assess(rule, available, demand)


def resolve_alert(
    conn: Connection, alert_id: int, product_id: int, warehouse_id: int, at: datetime
) -> None:
    """Resolve one unresolved alert in the caller's transaction (and tell the subscribers)."""
    _resolve(conn, alert_id, product_id, warehouse_id, at)


def raise_alert(
    conn: Connection,
    product_id: int,
    warehouse_id: int,
    kind: AlertKind,
    available: int,
    threshold: int,
    at: datetime,
    sku: str,
    warehouse: str,
) -> None:
    """Open a new alert in the caller's transaction (and tell the subscribers)."""
    _raise(conn, product_id, warehouse_id, kind, available, threshold, at, sku, warehouse)


def _resolve(
    conn: Connection, alert_id: int, product_id: int, warehouse_id: int, at: datetime
) -> None:
    conn.execute(
        update(alert_t)
        .where(_a.id == alert_id)
        .values(
            status=AlertStatus.RESOLVED.value,
            resolved_at=at,
            updated_at=at,
            version=_a.version + 1,
        )
    )
    events.collect(conn, events.AlertResolved(alert_id, product_id, warehouse_id))


def _raise(
    conn: Connection,
    product_id: int,
    warehouse_id: int,
    kind: AlertKind,
    available: int,
    threshold: int,
    at: datetime,
    sku: str,
    warehouse: str,
) -> None:
    new_id = conn.execute(
        insert(alert_t)
        .values(
            product_id=product_id,
            warehouse_id=warehouse_id,
            kind=kind.value,
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
        events.AlertRaised(new_id, product_id, warehouse_id, sku, warehouse, kind.value, available),
    )


def _most_specific(row: Any) -> PolicyRule | None:
    """The product policy, else the category's, else the warehouse's, from the joined columns."""
    for prefix in ("pp", "pc", "pw"):
        kind = getattr(row, f"{prefix}_kind")
        if kind is not None:
            values = {c: getattr(row, f"{prefix}_{c}") for c in _RULE_COLUMNS[1:]}
            return PolicyRule(PolicyKind(kind), **values)
    return None
