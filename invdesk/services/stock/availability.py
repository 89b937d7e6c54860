"""Reserved and available as every read shows them: a hold past its expiry counts as released.

Releasing an overdue hold (its ledger row, the counters) is the sweeper's job and only the
sweeper's. Until it has run, a read computes what it will change instead of changing it
(STYLE.md rule 20), so a page, a look-up, a report or an API call stays one read-only statement
that can run on a replica. Every place that shows reserved or available takes them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    or_,
    select,
)

from invdesk.db.tables import level_t, location_t, lot_t, quant_t, reservation_t
from invdesk.domain.orders import OrderStatus
from invdesk.domain.stock import ReservationStatus
from invdesk.domain.tracking import LocationType

_r = reservation_t.c
_ACTIVE = ReservationStatus.ACTIVE.value
_OPEN = OrderStatus.OPEN.value


def overdue_holds(at: datetime) -> Subquery:
    """Per stock row (product_id, warehouse_id), the units of active holds expired by `at`.

    An index range read (status, expires_at) over the holds the sweeper has yet to release:
    usually none or a handful, so joining it costs a stock read next to nothing.
    """
    return (
        # sum() of a BIGINT is NUMERIC on PostgreSQL; units stay whole numbers (int, not Decimal).
        select(_r.product_id, _r.warehouse_id, cast(func.sum(_r.qty), BigInteger).label("units"))
        .where(_r.status == _ACTIVE, _r.expires_at <= at)
        .group_by(_r.product_id, _r.warehouse_id)
        .subquery("overdue")
    )


@dataclass(frozen=True)
class Held:
    """Stock rows' reserved and available with overdue holds counted as released.

    Use `join` on a statement over stock_level, then select `reserved` and `available`.
    """

    overdue: Subquery
    reserved: ColumnElement[int]
    available: ColumnElement[int]

    def join(self, stmt: Select[Any]) -> Select[Any]:
        """`stmt` (over stock_level) with the overdue units of each of its rows joined."""
        o, s = self.overdue.c, level_t.c
        return stmt.outerjoin(
            self.overdue, and_(o.product_id == s.product_id, o.warehouse_id == s.warehouse_id)
        )


def unsellable(at: datetime) -> ColumnElement[int]:
    """Units of each stock_level row (correlated) that are on hand but not for sale as of `at`:
    in an expired lot or in a quarantine location. Zero for a shop without lots or bins (its
    one quant has neither), at the cost of one index probe per row: for pages, not for scans."""
    q, lot, loc = quant_t.c, lot_t.c, location_t.c
    s = level_t.c
    return (
        select(func.coalesce(func.sum(q.on_hand), 0))
        .select_from(quant_t)
        .outerjoin(lot_t, lot.id == q.lot_id)
        .outerjoin(location_t, loc.id == q.location_id)
        .where(
            q.product_id == s.product_id,
            q.warehouse_id == s.warehouse_id,
            q.on_hand > 0,
            or_(lot.expiry < at.date(), loc.type == LocationType.QUARANTINE.value),
        )
        .correlate(level_t)
        .scalar_subquery()
    )


def held(at: datetime) -> Held:
    """Reserved and available of stock_level rows as of `at` (the database clock's now)."""
    overdue = overdue_holds(at)
    s = level_t.c
    reserved = s.reserved - func.coalesce(overdue.c.units, 0)
    return Held(overdue, reserved, s.on_hand - reserved)


def reservation_status(at: datetime) -> ColumnElement[str]:
    """A hold's status as of `at`: an active one past its expiry reads as expired."""
    return _status_as_of(_r.status, _r.expires_at, _ACTIVE, ReservationStatus.EXPIRED.value, at)


def reservation_status_is(status: ReservationStatus, at: datetime) -> ColumnElement[bool]:
    """Holds whose status as of `at` is `status`, as conditions the (status, expires_at) index serves."""
    return _status_is(_r.status, _r.expires_at, _ACTIVE, ReservationStatus.EXPIRED.value,
                      status.value, at)  # fmt: skip


def order_status(
    status: ColumnElement[str], expires_at: ColumnElement[datetime], at: datetime
) -> ColumnElement[str]:
    """An order's status as of `at`: an open one past its time to live reads as expired."""
    return _status_as_of(status, expires_at, _OPEN, OrderStatus.EXPIRED.value, at)


def order_status_is(
    status: ColumnElement[str],
    expires_at: ColumnElement[datetime],
    wanted: OrderStatus,
    at: datetime,
) -> ColumnElement[bool]:
    """Orders whose status as of `at` is `wanted`."""
    return _status_is(status, expires_at, _OPEN, OrderStatus.EXPIRED.value, wanted.value, at)


def _status_as_of(
    status: ColumnElement[str],
    expires_at: ColumnElement[datetime],
    open_: str,
    expired: str,
    at: datetime,
) -> ColumnElement[str]:
    return case((and_(status == open_, expires_at <= at), expired), else_=status)


def _status_is(
    status: ColumnElement[str],
    expires_at: ColumnElement[datetime],
    open_: str,
    expired: str,
    wanted: str,
    at: datetime,
) -> ColumnElement[bool]:
    if wanted == open_:
        return and_(status == open_, expires_at > at)
    if wanted == expired:
        return or_(status == expired, and_(status == open_, expires_at <= at))
    return status == wanted
