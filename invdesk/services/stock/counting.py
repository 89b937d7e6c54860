"""A count at the stock grain: a whole warehouse spread over locations and lots, or one quant.

Called by `operations.adjust` with the counter row locked. A whole-warehouse count of a product
kept in several places books its difference where it can: a shortfall out of the quants first
expiry first (expired and all: a count records what is gone), a surplus into the putaway
location (a lot-tracked product is counted lot by lot instead). A count naming a location
and/or lot sets that quant.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from invdesk.db import counters
from invdesk.db.tables import quant_t
from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import MovementKind, MovementView
from invdesk.domain.tracking import Tracking
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock import ledger
from invdesk.services.stock.ledger import DEFAULT_SPOT, Spot
from invdesk.services.stock.pieces import record_in, record_out
from invdesk.services.stock.quants import (
    Piece,
    location_spot,
    lot_for_receipt,
    pick,
    putaway_spot,
)


def quant_on_hand(op: ledger.Op, product: ProductRef, warehouse: WarehouseRef, spot: Spot) -> int:
    q = quant_t.c
    value = op.conn.execute(
        select(q.on_hand).where(
            q.product_id == product.id,
            q.warehouse_id == warehouse.id,
            func.coalesce(q.location_id, 0) == (spot.location_id or 0),
            func.coalesce(q.lot_id, 0) == (spot.lot_id or 0),
        )
    ).scalar()
    return int(value or 0)


def count_grain(
    op: ledger.Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    before: counters.Level,
    counted: int,
    checked: Any,
) -> tuple[MovementView, ...]:
    """Book a count (`checked`: a CheckedAdjust) at the grain; the counter row is locked."""
    whole = checked.location is None and checked.lot is None
    if whole:
        diff = counted - before.on_hand
        spot = DEFAULT_SPOT
    else:
        spot = location_spot(op, warehouse, checked.location, field="location")
        if checked.lot is not None:
            if product.tracking == Tracking.NONE:
                raise ValidationError(f"{product.sku} is not tracked by lot.", field="lot")
            lot_id, number = lot_for_receipt(
                op, product, checked.lot, None, None, serial=product.tracking == Tracking.SERIAL
            )
            spot = spot._replace(lot_id=lot_id, lot=number)
            if product.tracking == Tracking.SERIAL and counted > 1:
                raise ValidationError(
                    f"A serial number is one unit: count {checked.lot} as 0 or 1.", field="counted"
                )
        diff = counted - quant_on_hand(op, product, warehouse, spot)
    after_on_hand = before.on_hand + diff
    if after_on_hand < before.reserved:
        raise ValidationError(
            f"This count leaves {after_on_hand:,} units of {product.sku} in {warehouse.code}, "
            f"below the {before.reserved:,} reserved; release those reservations first.",
            field="counted",
        )
    after = counters.set_on_hand(op.conn, product.id, warehouse.id, after_on_hand)
    fields = dict(
        unit_cost_minor=after.avg_cost_minor, reference=checked.reference, reason=checked.reason
    )
    if diff < 0:
        pieces = (
            pick(op, product, warehouse, -diff, allow_expired=True)
            if whole
            else [Piece(spot, -diff)]
        )
        return tuple(
            record_out(op, MovementKind.ADJUST, product, warehouse, after, pieces, **fields)
        )
    if diff > 0 and whole:
        if product.tracking != Tracking.NONE:
            raise ValidationError(
                f"{product.sku} is tracked by {product.tracking}: count it "
                f"{'lot by lot' if product.tracking == Tracking.LOT else 'serial by serial'}.",
                field="lot",
            )
        spot = putaway_spot(op, product, warehouse)
    if diff == 0:
        return (
            ledger.record(
                op,
                MovementKind.ADJUST,
                product,
                warehouse,
                qty=0,
                units=0,
                balance_after=after.on_hand,
                spot=spot,
                **fields,
            ),
        )
    return tuple(
        record_in(op, MovementKind.ADJUST, product, warehouse, after, [Piece(spot, diff)], **fields)
    )
