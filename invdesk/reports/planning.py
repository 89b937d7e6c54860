"""Planning figures: the low-stock / reorder list and per-product demand forecasts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import batched
from typing import Any

from sqlalchemy import Connection, func, select

from invdesk.db.tables import level_t, product_t, warehouse_t
from invdesk.domain import forecast as fc
from invdesk.reports import data
from invdesk.reports.filters import Scope
from invdesk.services.catalog.policy_lookup import RowStock, stock_of, thresholds
from invdesk.services.reads.on_order import on_order, preferred_terms
from invdesk.services.stock.availability import held

m, s, p, w = data.m, data.s, data.p, data.w
FORECAST_HISTORY_DAYS = 182
FORECAST_LIMIT = 300
DEMAND_WINDOW_DAYS = 30
"""The days the report's average daily demand and days of cover look back over."""
LOW_STOCK_BATCH = 500


def low_stock_rows(conn: Connection, scope: Scope) -> Iterator[list[Any]]:
    """SKU, product, warehouse, on hand, reserved, available, avg daily demand, reorder point,
    order qty, days of cover, unit cost, order value, rule: the stock rows below the threshold of
    their restock policy (the rows the Reorder page suggests ordering), with the policy's order."""
    since = scope.until - timedelta(days=DEMAND_WINDOW_DAYS)
    demand = (
        select(m.product_id, m.warehouse_id, func.sum(m.units).label("units"))
        .where(m.kind.in_(data.SALES), m.at >= since, m.at < scope.until)
        .group_by(m.product_id, m.warehouse_id)
        .subquery()
    )
    as_of = held(scope.now)  # a hold past its expiry counts as released
    stmt = as_of.join(
        select(
            s.product_id, s.warehouse_id, p.category_id, p.sku, p.name, w.code, s.on_hand,
            as_of.reserved, data.as_minor(s.avg_cost), func.coalesce(demand.c.units, 0),
        )
        .select_from(level_t)
        .join(product_t, p.id == s.product_id)
        .join(warehouse_t, w.id == s.warehouse_id)
        .outerjoin(
            demand,
            (demand.c.product_id == s.product_id) & (demand.c.warehouse_id == s.warehouse_id),
        )
        .where(p.active.is_(True), w.active.is_(True))
        .order_by(w.code, p.sku)
    )  # fmt: skip
    stmt = data.scoped(stmt, scope, warehouse=s.warehouse_id)
    for batch in batched(data.stream(conn, stmt), LOW_STOCK_BATCH):
        # Net of what is on order and covering the supplier's lead time, as the Reorder page.
        keys = [(int(r[0]), int(r[1])) for r in batch]
        ordered = on_order(conn, keys=keys)
        terms = preferred_terms(conn, {pid for pid, _wid in keys})
        rows = (
            RowStock(
                r[0], r[1], r[2], r[6] - r[7], ordered.get((r[0], r[1]), 0),
                terms[r[0]].lead_days if r[0] in terms else None,
            )
            for r in batch
        )  # fmt: skip
        found = thresholds(conn, rows, scope.now)
        for pid, wid, _cid, sku, name, code, on_hand, reserved, cost, units in batch:
            threshold = found.get((pid, wid))
            if threshold is None or not threshold.need.below:
                continue
            daily = int(units) / DEMAND_WINDOW_DAYS
            available = on_hand - reserved
            order = threshold.need.suggested
            cover = available / daily if daily else None
            yield [
                sku, name, code, on_hand, reserved, available, daily, threshold.need.threshold,
                order, cover, cost / data.MINOR, order * cost / data.MINOR, threshold.why,
            ]  # fmt: skip


@dataclass(frozen=True)
class ProductForecast:
    sku: str
    name: str
    warehouse: str
    on_hand: int
    result: fc.Forecast
    reorder_point: int | None
    """The threshold of the row's restock policy; None without one."""
    below_on: date | None

    @property
    def cover(self) -> float | None:
        return fc.days_of_cover(self.on_hand, self.result.daily)


def forecasts(conn: Connection, scope: Scope, limit: int = FORECAST_LIMIT) -> list[ProductForecast]:
    """Forecasts for the busiest (product, warehouse) pairs, from the daily demand of the
    FORECAST_HISTORY_DAYS days before the end of the period."""
    end = scope.until
    history = Scope(
        scope.warehouse_id,
        scope.warehouse,
        scope.category_id,
        scope.category,
        end - timedelta(days=FORECAST_HISTORY_DAYS),
        end,
        scope.now,
    )
    series = data.daily_demand(conn, history, limit=limit)
    if not series:
        return []
    info = _stock_info(conn, list(series))
    policies = thresholds(conn, stock_of(conn, series), scope.now)
    first_day = history.since.date() + timedelta(days=1)
    # Whole days only: the day the period ends in is not over yet.
    days = [first_day + timedelta(days=i) for i in range((end.date() - first_day).days)]
    out = []
    starts = _first_days(conn, list(series))
    for (pid, wid), by_day in series.items():
        sku, name, code, on_hand = info[(pid, wid)]
        # Days before the product was first stocked there are not days without sales.
        start = starts.get((pid, wid), first_day)
        values = [float(by_day.get(d, 0)) for d in days if d >= start]
        result = fc.forecast(values, horizon=90)
        policy = policies.get((pid, wid))
        point = None if policy is None else policy.need.threshold
        below = None if point is None else fc.date_below(on_hand, point, result.daily, end.date())
        out.append(ProductForecast(sku, name, code, on_hand, result, point, below))
    out.sort(key=lambda f: (-f.result.total(30), f.sku, f.warehouse))
    return out


def _first_days(conn: Connection, keys: list[tuple[int, int]]) -> dict[tuple[int, int], date]:
    stmt = (
        select(m.product_id, m.warehouse_id, func.min(m.at))
        .where(m.product_id.in_({pid for pid, _ in keys}))
        .group_by(m.product_id, m.warehouse_id)
    )
    return {(pid, wid): data.to_date(at) for pid, wid, at in conn.execute(stmt)}


def _stock_info(
    conn: Connection, keys: list[tuple[int, int]]
) -> dict[tuple[int, int], tuple[str, str, str, int]]:
    products = {pid for pid, _ in keys}
    stmt = (
        select(p.id, p.sku, p.name, w.id, w.code, func.coalesce(s.on_hand, 0))
        .select_from(product_t)
        .join(warehouse_t, w.id.in_({wid for _, wid in keys}))
        .outerjoin(level_t, (s.product_id == p.id) & (s.warehouse_id == w.id))
        .where(p.id.in_(products))
    )
    wanted = set(keys)
    return {
        (pid, wid): (sku, name, code, int(on_hand))
        for pid, sku, name, wid, code, on_hand in conn.execute(stmt)
        if (pid, wid) in wanted
    }
