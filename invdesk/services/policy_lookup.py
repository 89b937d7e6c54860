"""Finding the restock policy that applies to a stock row, and the demand a days-of-cover rule needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from invdesk.db.models import Movement, Product, RestockPolicy, table_of
from invdesk.domain.restock import SCOPE_RANK, PolicyKind, PolicyRule, PolicyScope
from invdesk.domain.stock import MovementKind

policy_t = table_of(RestockPolicy)
_movement = table_of(Movement)
_product = table_of(Product)
# Demand is what left to customers: issues (incl. committed reservations), net of nothing else.
DEMAND_KINDS = (MovementKind.ISSUE.value,)


def scope_key(scope: PolicyScope, target_id: int | None) -> str:
    return scope.value if scope is PolicyScope.WAREHOUSE else f"{scope.value}:{target_id}"


def rule_of(row: Any) -> PolicyRule:
    return PolicyRule(
        PolicyKind(row.kind),
        point=row.point,
        qty=row.qty,
        level=row.level,
        cover_days=row.cover_days,
        lookback_days=row.lookback_days,
        target_days=row.target_days,
    )


def effective(
    conn: Connection, product_id: int, warehouse_id: int, category_id: int | None = None
) -> tuple[PolicyScope, PolicyRule] | None:
    """The most specific policy for a product in a warehouse: product > category > warehouse."""
    if category_id is None:
        category_id = conn.execute(
            select(_product.c.category_id).where(_product.c.id == product_id)
        ).scalar_one()
    keys = [
        scope_key(PolicyScope.PRODUCT, product_id),
        scope_key(PolicyScope.CATEGORY, category_id),
        PolicyScope.WAREHOUSE.value,
    ]
    rows = conn.execute(
        select(policy_t).where(
            policy_t.c.warehouse_id == warehouse_id, policy_t.c.scope_key.in_(keys)
        )
    ).all()
    if not rows:
        return None
    best = min(rows, key=lambda row: SCOPE_RANK[PolicyScope(row.scope)])
    return PolicyScope(best.scope), rule_of(best)


def effective_for_rows(
    conn: Connection, rows: list[tuple[int, int, int]]
) -> dict[tuple[int, int], PolicyRule]:
    """`effective` for a page of (product id, warehouse id, category id) rows in one query."""
    if not rows:
        return {}
    candidates = {
        (wid, scope_key(scope, target))
        for pid, wid, cid in rows
        for scope, target in (
            (PolicyScope.PRODUCT, pid),
            (PolicyScope.CATEGORY, cid),
            (PolicyScope.WAREHOUSE, None),
        )
    }
    found = conn.execute(
        select(policy_t).where(
            policy_t.c.warehouse_id.in_({wid for wid, _key in candidates}),
            policy_t.c.scope_key.in_({key for _wid, key in candidates}),
        )
    ).all()
    by_key = {(row.warehouse_id, row.scope_key): row for row in found}
    rules: dict[tuple[int, int], PolicyRule] = {}
    for pid, wid, cid in rows:
        for scope, target in (
            (PolicyScope.PRODUCT, pid),
            (PolicyScope.CATEGORY, cid),
            (PolicyScope.WAREHOUSE, None),
        ):  # most specific first
            row = by_key.get((wid, scope_key(scope, target)))
            if row is not None:
                rules[(pid, wid)] = rule_of(row)
                break
    return rules


def demand_per_day(
    conn: Connection, product_id: int, warehouse_id: int, lookback_days: int, now: datetime
) -> float:
    """Average units issued a day over the last `lookback_days` (0.0 without history)."""
    m = _movement.c
    units = conn.execute(
        select(func.coalesce(func.sum(m.units), 0)).where(
            m.product_id == product_id,
            m.warehouse_id == warehouse_id,
            m.kind.in_(DEMAND_KINDS),
            m.at >= now - timedelta(days=lookback_days),
        )
    ).scalar_one()
    return int(units) / lookback_days if lookback_days > 0 else 0.0
