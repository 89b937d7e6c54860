"""Which quants a take comes from (first expiry first out) and where a receipt goes (putaway).

The smallest piece the transit service needs until the core's version lands (CORE.md): the same
names and signatures, so callers do not change when it is replaced.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import case, select

from invdesk.db.tables import location_t, lot_t, putaway_t, quant_t
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.tracking import LocationType
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock import ledger

_q, _lot, _loc = quant_t.c, lot_t.c, location_t.c


class Piece(NamedTuple):
    """Units taken from one quant: its location (None: default) and lot (None: no lot)."""

    location_id: int | None
    lot_id: int | None
    qty: int


def pick(
    op: ledger.Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    *,
    location_id: int | None = None,
    lot_id: int | None = None,
    allow_expired: bool = False,
) -> list[Piece]:
    """Quants to take `units` from: earliest expiry first, then lots without expiry, then no lot.

    Quarantine locations are skipped unless named; expired lots unless `allow_expired`. The caller
    has locked the product's counter row in this warehouse, so the quants cannot move meanwhile.
    Raises InsufficientStock when the quants that may be taken hold fewer units.
    """
    expiry_unknown = case((_lot.expiry.is_(None), 1), else_=0)
    stmt = (
        select(_q.location_id, _q.lot_id, _q.on_hand)
        .select_from(quant_t)
        .outerjoin(lot_t, _lot.id == _q.lot_id)
        .outerjoin(location_t, _loc.id == _q.location_id)
        .where(_q.product_id == product.id, _q.warehouse_id == warehouse.id, _q.on_hand > 0)
        .order_by(expiry_unknown, _lot.expiry, _q.lot_id.is_(None), _q.lot_id, _q.id)
    )
    if location_id is not None:
        stmt = stmt.where(_q.location_id == location_id)
    else:
        stmt = stmt.where((_q.location_id.is_(None)) | (_loc.type != LocationType.QUARANTINE.value))
    if lot_id is not None:
        stmt = stmt.where(_q.lot_id == lot_id)
    if not allow_expired:
        stmt = stmt.where(_lot.expiry.is_(None) | (_lot.expiry >= op.at.date()))
    pieces: list[Piece] = []
    left = units
    for row in op.conn.execute(stmt):
        if left == 0:
            break
        qty = min(left, int(row.on_hand))
        pieces.append(Piece(row.location_id, row.lot_id, qty))
        left -= qty
    if left:
        found = units - left
        raise InsufficientStock(
            f"Not enough {product.sku} that may be taken in {warehouse.code}: {found:,} "
            f"(expired lots and quarantine left out), {units:,} requested.",
            available=found,
            requested=units,
            field="qty",
        )
    return pieces


def putaway_location(op: ledger.Op, product: ProductRef, warehouse: WarehouseRef) -> int | None:
    """Where receipts of the product go in the warehouse: its putaway location, else the default."""
    return op.conn.execute(
        select(putaway_t.c.location_id).where(
            putaway_t.c.product_id == product.id, putaway_t.c.warehouse_id == warehouse.id
        )
    ).scalar_one_or_none()
