"""Ledger rows of a line split over quants: one row per location and lot a line touches.

A line of 10 units taken as 6 from lot A and 4 from lot B is two ledger rows. The counter moved
once for the whole line (it was locked and checked then), so each row's running balance is the
counter after the line plus (taking) or less (putting) what the later rows of the line move.
"""

from __future__ import annotations

from typing import Any

from invdesk.db import counters
from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import MovementKind, MovementView
from invdesk.domain.tracking import Tracking
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock import ledger
from invdesk.services.stock.ledger import Spot
from invdesk.services.stock.quants import Piece, known_lot, location_spot, pick


def _record(
    op: ledger.Op,
    kind: MovementKind,
    product: ProductRef,
    warehouse: WarehouseRef,
    level: counters.Level,
    pieces: list[Piece],
    sign: int,
    fields: dict[str, Any],
) -> list[MovementView]:
    """One row per piece; each row's balance is the counter after the line less what the later
    rows move (`sign`: -1 taking out, +1 putting in)."""
    later = sum(piece.qty for piece in pieces)
    rows = []
    for piece in pieces:
        later -= piece.qty
        rows.append(
            ledger.record(
                op,
                kind,
                product,
                warehouse,
                qty=sign * piece.qty,
                units=piece.qty,
                balance_after=level.on_hand - sign * later,
                spot=piece.spot,
                **fields,
            )
        )
    return rows


def record_out(
    op: ledger.Op,
    kind: MovementKind,
    product: ProductRef,
    warehouse: WarehouseRef,
    level: counters.Level,
    pieces: list[Piece],
    **fields: Any,
) -> list[MovementView]:
    """Rows taking `pieces` out (qty negative); `level` is the counter after all of them."""
    return _record(op, kind, product, warehouse, level, pieces, -1, fields)


def record_in(
    op: ledger.Op,
    kind: MovementKind,
    product: ProductRef,
    warehouse: WarehouseRef,
    level: counters.Level,
    pieces: list[Piece],
    **fields: Any,
) -> list[MovementView]:
    """Rows putting `pieces` in; `level` is the counter after all of them."""
    return _record(op, kind, product, warehouse, level, pieces, 1, fields)


def take_pieces(
    op: ledger.Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    line: Any,
    *,
    allow_expired: bool = False,
    location: Spot | None = None,
) -> list[Piece]:
    """The quants a line takes its units from: the serials it names, the lot it names, or first
    expiry first; from `location` or the location the line names, else from any but quarantine."""
    if location is None and getattr(line, "location", None) is not None:
        location = location_spot(op, warehouse, line.location, field="location")
    serials = getattr(line, "serials", ())
    if product.tracking == Tracking.SERIAL:
        if len(serials) != units:
            raise ValidationError(
                f"{product.sku} is tracked by serial number: scan the serial of each unit "
                f"({len(serials):,} for {units:,}).",
                field="serials",
            )
        pieces = []
        for serial in serials:
            lot_id, _row = known_lot(op, product, serial, field="serials")
            pieces += pick(
                op, product, warehouse, 1, location=location, lot_id=lot_id, allow_expired=True
            )
        return pieces
    lot = getattr(line, "lot", None)
    if product.tracking == Tracking.LOT and lot is not None:
        lot_id, _row = known_lot(op, product, lot)
        return pick(
            op,
            product,
            warehouse,
            units,
            location=location,
            lot_id=lot_id,
            allow_expired=allow_expired,
        )
    return pick(op, product, warehouse, units, location=location, allow_expired=allow_expired)
