"""Moving stock between two locations of one warehouse (put away, replenish a pick face).

A move is ledger rows like any other stock change: `move_out` at the source location and
`move_in` at the target, lot by lot. The warehouse's counter does not move (its on hand and
reservations are unchanged); the quants do, by the rows' trigger.
"""

from __future__ import annotations

from types import SimpleNamespace

from invdesk.db import counters
from invdesk.db.engine import Database
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.security import Actor
from invdesk.domain.stock import MovementKind, MovementView, MoveStock, StockResult
from invdesk.domain.stock_checks import check_move
from invdesk.services.catalog.lookup import (
    product_ref,
    require_active_warehouse,
    warehouse_ref,
)
from invdesk.services.stock import ledger
from invdesk.services.stock.operation import Planned, run_operation
from invdesk.services.stock.pieces import take_pieces
from invdesk.services.stock.quants import location_spot


def move(db: Database, cmd: MoveStock, actor: Actor) -> StockResult:
    """Move units of a product from one location of a warehouse to another.

    Expired lots may move (to quarantine, say); a serial-tracked product names its serials.
    Raises ValidationError, NotFound, InsufficientStock, DuplicateRequest.
    """
    checked = check_move(cmd)

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        warehouse = warehouse_ref(op.conn, checked.warehouse)
        require_active_warehouse(warehouse)
        product = product_ref(op.conn, checked.product)
        units = checked.qty * product.pack_qty
        source = location_spot(op, warehouse, checked.from_location, field="from_location")
        target = location_spot(op, warehouse, checked.to_location, field="to_location")
        level = counters.lock(op.conn, product.id, warehouse.id)
        if level is None:
            raise InsufficientStock(
                f"There is no {product.sku} in {warehouse.code} to move.",
                available=0,
                requested=units,
            )
        line = SimpleNamespace(location=None, lot=checked.lot, serials=checked.serials)
        taken = take_pieces(
            op, product, warehouse, units, line, allow_expired=True, location=source
        )
        rows = []
        for kind, pieces in (
            (MovementKind.MOVE_OUT, taken),
            (
                MovementKind.MOVE_IN,
                [
                    piece._replace(
                        spot=target._replace(lot_id=piece.spot.lot_id, lot=piece.spot.lot)
                    )
                    for piece in taken
                ],
            ),
        ):
            sign = -1 if kind is MovementKind.MOVE_OUT else 1
            for piece in pieces:
                rows.append(
                    ledger.record(
                        op,
                        kind,
                        product,
                        warehouse,
                        qty=sign * piece.qty,
                        units=piece.qty,
                        balance_after=level.on_hand,
                        reference=checked.reference,
                        spot=piece.spot,
                    )
                )
        return tuple(rows)

    return run_operation(db, actor, Planned("move", cmd.request_id, checked.payload(), apply))
