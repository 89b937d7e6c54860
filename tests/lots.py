"""Test builders for lot-tracked stock: a receipt into a lot (or serial), as the core books one.

Until receipts take lots themselves (CORE.md), a lot receipt is one stock operation that finds or
makes the lot and writes a `receive` row with its lot_id: the same ledger row and quant the core's
receipt writes.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from invdesk.db import counters
from invdesk.db.engine import Database
from invdesk.db.tables import lot_t
from invdesk.domain.security import SYSTEM, Actor
from invdesk.domain.stock import MovementKind, StockResult
from invdesk.services.catalog.lookup import product_cost_minor, product_ref, warehouse_ref
from invdesk.services.stock import ledger
from invdesk.services.stock.operation import Planned, run_operation


def lot_id(conn, product_id: int, number: str, expiry: date | None, serial: bool, op) -> int:
    found = conn.execute(
        select(lot_t.c.id).where(lot_t.c.product_id == product_id, lot_t.c.number == number)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            insert(lot_t)
            .values(
                product_id=product_id,
                number=number,
                serial=serial,
                expiry=expiry,
                created_at=op.at,
                created_by=op.actor.username,
            )
            .returning(lot_t.c.id)
        ).scalar_one()
    )


def receive_lot(
    db: Database,
    sku: str,
    wh: str,
    qty: int,
    lot: str,
    expiry: date | None = None,
    *,
    serial: bool = False,
    actor: Actor = SYSTEM,
) -> StockResult:
    def apply(op: ledger.Op):
        product = product_ref(op.conn, sku)
        warehouse = warehouse_ref(op.conn, wh)
        lid = lot_id(op.conn, product.id, lot, expiry, serial, op)
        level = counters.put(
            op.conn, product.id, warehouse.id, qty, None, product_cost_minor(op.conn, product)
        )
        assert level is not None
        row = ledger.record(
            op,
            MovementKind.RECEIVE,
            product,
            warehouse,
            qty=qty,
            units=qty,
            balance_after=level.on_hand,
            lot_id=lid,
        )
        return (row,)

    return run_operation(db, actor, Planned("receive", None, [sku, wh, qty, lot], apply))
