"""Chart series from the ledger: stock level over time (balance_after), daily demand with a moving
average, the forecast with its band, and event markers. Times are UTC POSIX seconds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from invdesk.db.engine import Database
from invdesk.db.tables import movement_t, warehouse_t
from invdesk.domain import forecast as fc
from invdesk.domain.security import Actor
from invdesk.domain.stock import MovementKind as K
from invdesk.reports import data
from invdesk.reports.filters import ReportFilter, Scope, begin_report, resolve
from invdesk.services.catalog.lookup import product_ref
from invdesk.services.catalog.policy_lookup import stock_of, thresholds

m = movement_t.c
w = warehouse_t.c
DEFAULT_HISTORY_DAYS = 3 * 366
MOVING_AVERAGE_DAYS = 7


@dataclass(frozen=True)
class Line:
    """x (POSIX seconds, UTC) and y values of one plotted line or set of markers."""

    name: str
    x: tuple[float, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class ProductSeries:
    sku: str
    name: str
    levels: tuple[Line, ...]
    """Units on hand after each movement, one line per warehouse (a step line)."""
    receipts: tuple[Line, ...]
    alerts: tuple[Line, ...]
    """Markers where stock fell to its policy's threshold or ran out."""
    demand: Line
    moving_average: Line
    forecast: Line
    band_low: Line
    band_high: Line
    explanation: str
    reorder_points: dict[str, int] = field(default_factory=dict)


def _ts(value: datetime | date) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()


def product_series(
    db: Database,
    actor: Actor,
    sku: str,
    *,
    warehouse: str | None = None,
    days: int = DEFAULT_HISTORY_DAYS,
    horizon: int = 90,
) -> ProductSeries:
    """Everything a product chart shows, for the last `days` days (all warehouses unless one is
    named). Raises PermissionDenied (needs reports) and NotFound."""
    with db.read(replica=True) as conn:  # may lag: a report
        begin_report(conn, actor)
        product = product_ref(conn, sku)
        now = db.now()
        scope = resolve(
            conn, ReportFilter(warehouse=warehouse, since=now - timedelta(days=days)), now
        )
        rows = conn.execute(
            select(m.at, w.code, m.kind, m.units, m.balance_after, m.warehouse_id)
            .join(warehouse_t, w.id == m.warehouse_id)
            .where(m.product_id == product.id, m.at >= scope.since, m.at < scope.until)
            .where(*(() if scope.warehouse_id is None else (m.warehouse_id == scope.warehouse_id,)))
            .order_by(m.id)
        ).all()
        opening = _opening(conn, product.id, scope)
        codes = {wid: code for _at, code, _kind, _units, _balance, wid in rows}
        policies = thresholds(conn, stock_of(conn, ((product.id, wid) for wid in codes)), now)
    walk = _walk(rows, opening, scope)
    day_list = _demand_days(rows, opening, scope)
    demand = [float(walk.demand_by_day.get(d, 0)) for d in day_list]
    result = fc.forecast(demand, horizon=horizon)
    points = {codes[wid]: t.need.threshold for (_pid, wid), t in policies.items()}
    future = [scope.until.date() + timedelta(days=h) for h in range(1, horizon + 1)]
    return ProductSeries(
        sku=product.sku,
        name=product.name,
        levels=_lines(walk.levels),
        receipts=_lines(walk.receipts),
        alerts=_alerts(walk.levels, points),
        demand=Line("Daily demand", tuple(_ts(d) for d in day_list), tuple(demand)),
        moving_average=Line(
            f"{MOVING_AVERAGE_DAYS}-day average",
            tuple(_ts(d) for d in day_list),
            tuple(moving_average(demand, MOVING_AVERAGE_DAYS)),
        ),
        forecast=Line("Forecast", tuple(_ts(d) for d in future), result.daily),
        band_low=Line("Low (80%)", tuple(_ts(d) for d in future), result.low),
        band_high=Line("High (80%)", tuple(_ts(d) for d in future), result.high),
        explanation=result.explanation,
        reorder_points=points,
    )


Points = dict[str, tuple[list[float], list[float]]]
"""x and y values per warehouse code, filled while walking the ledger."""


@dataclass(frozen=True)
class _Walk:
    levels: Points
    receipts: Points
    demand_by_day: dict[date, int]


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _walk(rows: Sequence[Any], opening: dict[str, int], scope: Scope) -> _Walk:
    """Levels after each movement (from the opening balances), receipts and demand per day."""
    levels: Points = {}
    for code, balance in opening.items():
        levels[code] = ([scope.since.timestamp()], [float(balance)])
    receipts: Points = {}
    demand_by_day: dict[date, int] = {}
    for at, code, kind, units, balance, _wid in rows:
        at = _utc(at)
        xs, ys = levels.setdefault(code, ([], []))
        xs.append(at.timestamp())
        ys.append(float(balance))
        if kind == K.RECEIVE.value:
            rx, ry = receipts.setdefault(code, ([], []))
            rx.append(at.timestamp())
            ry.append(float(balance))
        if kind in data.SALES:
            demand_by_day[at.date()] = demand_by_day.get(at.date(), 0) + int(units)
    # Levels continue flat up to now.
    for xs, ys in levels.values():
        if ys:
            xs.append(scope.until.timestamp())
            ys.append(ys[-1])
    return _Walk(levels, receipts, demand_by_day)


def _demand_days(rows: Sequence[Any], opening: dict[str, int], scope: Scope) -> list[date]:
    """The days demand is counted on: from the product's first movement (days before it existed
    are not days without sales) to the end of the period."""
    first = scope.since.date()
    if rows and not opening:
        first = max(first, _utc(rows[0][0]).date())
    return [first + timedelta(days=i) for i in range((scope.until.date() - first).days + 1)]


def _lines(points: Points) -> tuple[Line, ...]:
    return tuple(Line(c, tuple(v[0]), tuple(v[1])) for c, v in sorted(points.items()))


def _opening(conn: Connection, product_id: int, scope: Scope) -> dict[str, int]:
    last = (
        select(func.max(m.id))
        .where(m.product_id == product_id, m.at < scope.since)
        .group_by(m.warehouse_id)
    )
    if scope.warehouse_id is not None:
        last = last.where(m.warehouse_id == scope.warehouse_id)
    stmt = (
        select(w.code, m.balance_after)
        .join(warehouse_t, w.id == m.warehouse_id)
        .where(m.id.in_(last))
    )
    return {code: int(balance) for code, balance in conn.execute(stmt)}


def _alerts(by_wh: Points, reorder: dict[str, int]) -> tuple[Line, ...]:
    """Where a level crossed down to its policy's threshold (today's) or to zero."""
    out = []
    for code, (xs, ys) in sorted(by_wh.items()):
        point = reorder.get(code, 0)
        ax, ay = [], []
        for i in range(1, len(ys)):
            for limit in {point, 0}:
                if ys[i - 1] > limit >= ys[i]:
                    ax.append(xs[i])
                    ay.append(ys[i])
                    break
        out.append(Line(code, tuple(ax), tuple(ay)))
    return tuple(out)


def moving_average(values: list[float], window: int) -> list[float]:
    """Trailing mean over up to `window` values (shorter at the start)."""
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def warehouse_trend(db: Database, actor: Actor, flt: ReportFilter) -> tuple[Line, ...]:
    """Units on hand per warehouse at the end of each day of the period (for the Reports page)."""
    with db.read(replica=True) as conn:  # may lag: a report
        begin_report(conn, actor)
        scope = resolve(conn, flt, db.now())
        opening = data.units_at(conn, scope, scope.since)
        net = data.daily_net_by_warehouse(conn, scope)
    first, last = scope.since.date(), (scope.until - timedelta(microseconds=1)).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    lines = []
    for code in sorted(set(opening) | set(net)):
        running, ys = opening.get(code, 0), []
        for d in days:
            running += net.get(code, {}).get(d, 0)
            ys.append(float(running))
        lines.append(Line(code, tuple(_ts(d) for d in days), tuple(ys)))
    return tuple(lines)
