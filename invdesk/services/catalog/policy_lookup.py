"""Which restock policy applies to a stock row, and what it says: the one home of every threshold.

The Stock page, the Reorder page, the low-stock report, the forecast sheet and the product chart all
ask `thresholds`; alerts apply the same `assess` to the same policy inside the stock transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select, tuple_

from invdesk.db.tables import level_t, movement_t, policy_t, product_t
from invdesk.domain.restock import Need, PolicyKind, PolicyRule, PolicyScope, assess
from invdesk.domain.stock import MovementKind

# Demand is what left to customers: issues (incl. committed reservations), net of nothing else.
DEMAND_KINDS = (MovementKind.ISSUE.value,)
# Rows per policy / demand query: keeps IN lists short on a report over every stock row.
_CHUNK = 500
Key = tuple[int, int]  # (product id, warehouse id)
_MOST_SPECIFIC_FIRST = (PolicyScope.PRODUCT, PolicyScope.CATEGORY, PolicyScope.WAREHOUSE)


class RowStock(NamedTuple):
    """What the threshold of one stock row depends on besides its policy."""

    product_id: int
    warehouse_id: int
    category_id: int | None
    available: int
    on_order: int = 0
    """Units on sent POs: a suggestion is net of them (alerts pass none: the shelf now)."""
    lead_days: int | None = None
    """The preferred supplier's lead time: days of cover covers at least that."""


@dataclass(frozen=True)
class RowThreshold:
    """A stock row's policy, the demand it used and what it says (threshold, below, why)."""

    scope: PolicyScope
    rule: PolicyRule
    demand: float
    """Average units issued a day over the rule's lookback; 0.0 for rules that ignore demand."""
    need: Need

    @property
    def why(self) -> str:
        return f"{_SCOPE_TEXT[self.scope]} {_KIND_TEXT[self.rule.kind]}: {self.need.reason}"


_SCOPE_TEXT = {
    PolicyScope.PRODUCT: "product",
    PolicyScope.CATEGORY: "category",
    PolicyScope.WAREHOUSE: "warehouse",
}
_KIND_TEXT = {
    PolicyKind.REORDER_POINT: "reorder point",
    PolicyKind.MIN_MAX: "min/max",
    PolicyKind.DAYS_OF_COVER: "days of cover",
}


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


def thresholds(
    conn: Connection, rows: Iterable[RowStock], now: datetime
) -> dict[Key, RowThreshold]:
    """The threshold of each stock row and why: its most specific policy (product > category >
    warehouse) applied to its available stock and, for days of cover, its demand up to `now`.
    Rows without a policy are left out."""
    found: dict[Key, RowThreshold] = {}
    batch: list[RowStock] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _CHUNK:
            found.update(_thresholds(conn, batch, now))
            batch = []
    if batch:
        found.update(_thresholds(conn, batch, now))
    return found


def stock_of(conn: Connection, keys: Iterable[Key]) -> list[RowStock]:
    """The `RowStock` of existing stock rows (product id, warehouse id)."""
    wanted = sorted(set(keys))
    out: list[RowStock] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        stmt = (
            select(
                level_t.c.product_id,
                level_t.c.warehouse_id,
                product_t.c.category_id,
                level_t.c.on_hand - level_t.c.reserved,
            )
            .join(product_t, product_t.c.id == level_t.c.product_id)
            .where(tuple_(level_t.c.product_id, level_t.c.warehouse_id).in_(chunk))
        )
        out.extend(RowStock(int(p), int(w), c, int(a)) for p, w, c, a in conn.execute(stmt))
    return out


def effective(
    conn: Connection, product_id: int, warehouse_id: int
) -> tuple[PolicyScope, PolicyRule] | None:
    """The most specific policy for a product in a warehouse: product > category > warehouse."""
    category_id = conn.execute(
        select(product_t.c.category_id).where(product_t.c.id == product_id)
    ).scalar_one()
    return _policies(conn, [(product_id, warehouse_id, category_id)]).get(
        (product_id, warehouse_id)
    )


def _policies(
    conn: Connection, rows: Sequence[tuple[int, int, int | None]]
) -> dict[Key, tuple[PolicyScope, PolicyRule]]:
    """The most specific policy of each (product id, warehouse id, category id), in one query."""
    candidates = {
        (wid, scope_key(scope, target))
        for pid, wid, cid in rows
        for scope, target in zip(_MOST_SPECIFIC_FIRST, (pid, cid, None), strict=True)
    }
    if not candidates:
        return {}
    found = conn.execute(
        select(policy_t).where(
            policy_t.c.warehouse_id.in_({wid for wid, _key in candidates}),
            policy_t.c.scope_key.in_({key for _wid, key in candidates}),
        )
    ).all()
    by_key = {(row.warehouse_id, row.scope_key): row for row in found}
    policies: dict[Key, tuple[PolicyScope, PolicyRule]] = {}
    for pid, wid, cid in rows:
        for scope, target in zip(_MOST_SPECIFIC_FIRST, (pid, cid, None), strict=True):
            row = by_key.get((wid, scope_key(scope, target)))
            if row is not None:
                policies[(pid, wid)] = (scope, rule_of(row))
                break
    return policies


def _thresholds(
    conn: Connection, rows: Sequence[RowStock], now: datetime
) -> dict[Key, RowThreshold]:
    policies = _policies(conn, [(r.product_id, r.warehouse_id, r.category_id) for r in rows])
    by_lookback: dict[int, list[Key]] = {}
    for key, (_scope, rule) in policies.items():
        if rule.needs_demand:
            by_lookback.setdefault(rule.lookback_days, []).append(key)
    units = {
        (days, *key): sold
        for days, keys in by_lookback.items()
        for key, sold in _units_out(conn, keys, days, now).items()
    }
    found: dict[Key, RowThreshold] = {}
    for r in rows:
        key = (r.product_id, r.warehouse_id)
        if key not in policies:
            continue
        scope, rule = policies[key]
        demand = 0.0
        if rule.needs_demand:
            demand = units.get((rule.lookback_days, *key), 0) / rule.lookback_days
        found[key] = RowThreshold(
            scope, rule, demand, assess(rule, r.available, demand, r.on_order, r.lead_days)
        )
    return found


def _units_out(conn: Connection, keys: list[Key], days: int, now: datetime) -> dict[Key, int]:
    m = movement_t.c
    stmt = (
        select(m.product_id, m.warehouse_id, func.sum(m.units))
        .where(
            tuple_(m.product_id, m.warehouse_id).in_(keys),
            m.kind.in_(DEMAND_KINDS),
            m.at >= now - timedelta(days=days),
            m.at <= now,
        )
        .group_by(m.product_id, m.warehouse_id)
    )
    return {(int(p), int(w)): int(u) for p, w, u in conn.execute(stmt)}


def demand_per_day(
    conn: Connection, product_id: int, warehouse_id: int, lookback_days: int, now: datetime
) -> float:
    """Average units issued a day over the last `lookback_days` (0.0 without history): the demand
    `thresholds` uses, for one row (alerts, inside the stock transaction)."""
    m = movement_t.c
    units = conn.execute(
        select(func.coalesce(func.sum(m.units), 0)).where(
            m.product_id == product_id,
            m.warehouse_id == warehouse_id,
            m.kind.in_(DEMAND_KINDS),
            m.at >= now - timedelta(days=lookback_days),
        )
    ).scalar_one()
    return int(units) / lookback_days if lookback_days > 0 else 0.0
