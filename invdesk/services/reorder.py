"""Reorder suggestions per warehouse and policy; a transfer from a warehouse with surplus comes first."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from invdesk.db.engine import Database
from invdesk.db.models import Movement, StockLevel, table_of
from invdesk.domain.restock import (
    SCOPE_RANK,
    Need,
    PolicyRule,
    PolicyScope,
    Suggestion,
    assess,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.availability import held
from invdesk.services.lookup import product_t, warehouse_code, warehouse_ref, warehouse_t
from invdesk.services.policy_lookup import DEMAND_KINDS, policy_t, rule_of, scope_key

_level = table_of(StockLevel)
_movement = table_of(Movement)
Key = tuple[int, int]  # (product id, warehouse id)


def _policies(conn: Connection) -> dict[tuple[int, str], tuple[PolicyScope, PolicyRule]]:
    return {
        (row.warehouse_id, row.scope_key): (PolicyScope(row.scope), rule_of(row))
        for row in conn.execute(select(policy_t))
    }


def _demand(
    conn: Connection, lookbacks: set[int], now: datetime
) -> dict[tuple[int, int, int], int]:
    m = _movement.c
    found: dict[tuple[int, int, int], int] = {}
    for days in lookbacks:
        rows = conn.execute(
            select(m.product_id, m.warehouse_id, func.sum(m.units).label("units"))
            .where(m.kind.in_(DEMAND_KINDS), m.at >= now - timedelta(days=days))
            .group_by(m.product_id, m.warehouse_id)
        )
        for row in rows:
            found[(days, row.product_id, row.warehouse_id)] = int(row.units)
    return found


def suggestions(db: Database, actor: Actor, warehouse: str | None = None) -> list[Suggestion]:
    """What to order, per warehouse, following each row's most specific policy.

    Each row below its policy's threshold gets a suggested quantity; when another warehouse holds
    more of the product than its own policy's target, a transfer from it is suggested first and
    only the rest is to be purchased. Ordered by warehouse, then SKU.
    """
    require(actor, Permission.VIEW)
    now = db.now()
    s = _level.c
    as_of = held(now)  # a hold past its expiry counts as released; the sweeper writes that
    with db.read() as conn:
        only = None if warehouse is None else warehouse_ref(conn, warehouse_code(warehouse)).id
        policies = _policies(conn)
        lookbacks = {r.lookback_days for _, r in policies.values() if r.needs_demand}
        demand = _demand(conn, lookbacks, now)
        levels = conn.execute(
            as_of.join(
                select(
                    s.product_id,
                    s.warehouse_id,
                    s.on_hand,
                    as_of.reserved.label("reserved"),
                    product_t.c.sku,
                    product_t.c.name,
                    product_t.c.category_id,
                    warehouse_t.c.code,
                )
                .select_from(_level)
                .join(product_t, product_t.c.id == s.product_id)
                .join(warehouse_t, warehouse_t.c.id == s.warehouse_id)
                .where(product_t.c.active, warehouse_t.c.active)
                .order_by(warehouse_t.c.code, product_t.c.sku)
            )
        ).all()
    assessed: list[tuple[Any, PolicyScope, PolicyRule, Need]] = []
    surplus: dict[int, dict[str, int]] = defaultdict(dict)
    for row in levels:
        keys = [
            scope_key(PolicyScope.PRODUCT, row.product_id),
            scope_key(PolicyScope.CATEGORY, row.category_id),
            PolicyScope.WAREHOUSE.value,
        ]
        found = [policies[(row.warehouse_id, k)] for k in keys if (row.warehouse_id, k) in policies]
        if not found:
            continue
        scope, rule = min(found, key=lambda item: SCOPE_RANK[item[0]])
        available = row.on_hand - row.reserved
        units = demand.get((rule.lookback_days, row.product_id, row.warehouse_id), 0)
        per_day = units / rule.lookback_days if rule.needs_demand else 0.0
        need = assess(rule, available, per_day)
        if need.below:
            assessed.append((row, scope, rule, need))
        elif available > need.target:
            surplus[row.product_id][row.code] = available - need.target
    result: list[Suggestion] = []
    for row, scope, rule, need in assessed:
        if only is not None and row.warehouse_id != only:
            continue
        result.extend(_split(row, scope, rule, need, surplus[row.product_id]))
    return result


def _split(
    row: Any, scope: PolicyScope, rule: PolicyRule, need: Need, donors: dict[str, int]
) -> list[Suggestion]:
    """Transfers from the warehouses with the most surplus first, then a purchase for the rest."""
    wanted = need.suggested
    out: list[Suggestion] = []

    def suggest(qty: int, reason: str, action: str, source: str | None = None) -> None:
        out.append(
            Suggestion(
                warehouse=row.code,
                sku=row.sku,
                product_name=row.name,
                available=row.on_hand - row.reserved,
                threshold=need.threshold,
                suggested_qty=qty,
                policy=rule.kind,
                scope=scope,
                reason=reason,
                action=action,
                source=source,
            )
        )

    for source, extra in sorted(donors.items(), key=lambda item: (-item[1], item[0])):
        if wanted <= 0:
            break
        if extra <= 0:
            continue
        moved = min(wanted, extra)
        wanted -= moved
        donors[source] = extra - moved
        suggest(
            moved, f"{need.reason}; {source} has {extra:,} above its own target", "transfer", source
        )
    if wanted > 0:
        suggest(wanted, need.reason, "purchase")
    return out
