"""Reading shipments: one with its lines, a listing, and what is in transit per warehouse pair."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from invdesk.db.engine import Database
from invdesk.db.tables import lot_t, product_t, shipment_line_t, shipment_t, warehouse_t
from invdesk.domain.errors import NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.transit import (
    OPEN_STATUSES,
    ShipmentLineView,
    ShipmentStatus,
    ShipmentSummary,
    ShipmentView,
    TransitRoute,
)

_s, _l = shipment_t.c, shipment_line_t.c
_src, _dst = warehouse_t.alias("src"), warehouse_t.alias("dst")
_HEAD = (
    select(
        _s.id,
        _src.c.code.label("source"),
        _dst.c.code.label("destination"),
        _s.status,
        _s.reference,
        _s.shipped_by,
        _s.shipped_at,
        _s.received_at,
    )
    .join(_src, _src.c.id == _s.source_id)
    .join(_dst, _dst.c.id == _s.destination_id)
)


def read_shipment(conn: Connection, shipment_id: str) -> ShipmentView | None:
    """A shipment with its lines, in the caller's transaction; None if there is none."""
    head = conn.execute(_HEAD.where(_s.id == shipment_id)).first()
    if head is None:
        return None
    lines = conn.execute(
        select(
            product_t.c.sku,
            product_t.c.name,
            lot_t.c.number,
            lot_t.c.expiry,
            _l.shipped,
            _l.received,
            _l.short,
            _l.unit_cost,
        )
        .join(product_t, product_t.c.id == _l.product_id)
        .outerjoin(lot_t, lot_t.c.id == _l.lot_id)
        .where(_l.shipment_id == shipment_id)
        .order_by(product_t.c.sku, _l.id)
    )
    fields = dict(head._mapping)
    fields["status"] = ShipmentStatus(fields["status"])
    return ShipmentView(**fields, lines=tuple(ShipmentLineView(*row) for row in lines))


def get_shipment(db: Database, actor: Actor, shipment_id: str) -> ShipmentView:
    """One shipment (a transfer shipped in two steps) with its lines. Raises NotFound."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        found = read_shipment(conn, shipment_id.strip())
    if found is None:
        raise NotFound(f"No transfer {shipment_id}.", field="shipment")
    return found


def list_shipments(
    db: Database,
    actor: Actor,
    *,
    in_transit: bool = False,
    source: str | None = None,
    destination: str | None = None,
    limit: int = 500,
) -> list[ShipmentSummary]:
    """Shipments, newest first; `in_transit`: only those still expecting goods (oldest first)."""
    require(actor, Permission.VIEW)
    totals = (
        select(
            _l.shipment_id,
            func.count().label("lines"),
            func.sum(_l.shipped).label("shipped"),
            func.sum(_l.received).label("received"),
            func.sum(_l.short).label("short"),
        )
        .group_by(_l.shipment_id)
        .subquery()
    )
    stmt = _HEAD.add_columns(
        totals.c.lines, totals.c.shipped, totals.c.received, totals.c.short
    ).join(totals, totals.c.shipment_id == _s.id)
    if in_transit:
        stmt = stmt.where(_s.status.in_(OPEN_STATUSES)).order_by(_s.shipped_at, _s.id)
    else:
        stmt = stmt.order_by(_s.shipped_at.desc(), _s.id)
    if source:
        stmt = stmt.where(func.upper(_src.c.code) == source.strip().upper())
    if destination:
        stmt = stmt.where(func.upper(_dst.c.code) == destination.strip().upper())
    with db.read() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
    return [
        ShipmentSummary(
            **{
                **row._mapping,
                "status": ShipmentStatus(row.status),
                **{k: int(getattr(row, k)) for k in ("lines", "shipped", "received", "short")},
            }
        )
        for row in rows
    ]


def in_transit(db: Database, actor: Actor) -> list[TransitRoute]:
    """Per warehouse pair: open shipments, units still expected, and since when (oldest shipped)."""
    require(actor, Permission.VIEW)
    expected = func.sum(_l.shipped - _l.received - _l.short)
    stmt = (
        select(
            _src.c.code,
            _dst.c.code,
            func.count(func.distinct(_s.id)),
            expected,
            func.min(_s.shipped_at),
        )
        .select_from(shipment_t)
        .join(shipment_line_t, _l.shipment_id == _s.id)
        .join(_src, _src.c.id == _s.source_id)
        .join(_dst, _dst.c.id == _s.destination_id)
        .where(_s.status.in_(OPEN_STATUSES))
        .group_by(_src.c.code, _dst.c.code)
        .order_by(_src.c.code, _dst.c.code)
    )
    with db.read() as conn:
        rows = conn.execute(stmt).all()
    return [TransitRoute(r[0], r[1], int(r[2]), int(r[3]), r[4]) for r in rows]
