"""Traceability reads: a lot's (or serial's) whole history and the orders that took it; an order's lots.

A recall starts here: every ledger row names the lot it moved (lot_id), and a committed hold's
rows name their reservation, which an order line names in turn. So "who got lot L" is the
orders whose reservations' committed rows carry L: no copy of the answer is kept anywhere else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from invdesk.db.engine import Database
from invdesk.db.tables import (
    location_t,
    lot_t,
    movement_t,
    order_line_t,
    order_t,
    product_t,
    quant_t,
    warehouse_t,
)
from invdesk.domain.errors import NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.trace import LotOrder, LotPlace, LotTrace, LotView, OrderLot
from invdesk.services.catalog.lookup import product_ref
from invdesk.services.stock import ledger

_m, _lot = movement_t.c, lot_t.c


def trace_lot(
    db: Database, actor: Actor, product: str, number: str, *, serial: bool | None = None
) -> LotTrace:
    """The lot (or serial) `number` of `product` (SKU or barcode): its ledger rows oldest first,
    where it is now, and the sales orders whose commits took it. `serial` True/False insists on
    a serial/a lot. Raises NotFound."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        found = _find_lot(conn, product, number.strip(), serial)
        lot_id, view = found
        history = conn.execute(ledger.select_views().where(_m.lot_id == lot_id).order_by(_m.id))
        return LotTrace(
            view,
            _places(conn, lot_id),
            tuple(ledger.to_view(row) for row in history),
            _orders(conn, lot_id),
        )


def _find_lot(conn: Connection, code: str, number: str, serial: bool | None) -> tuple[int, LotView]:
    item = product_ref(conn, code)
    row = conn.execute(
        select(lot_t).where(_lot.product_id == item.id, _lot.number == number)
    ).first()
    what = "serial number" if serial else "lot"
    if row is None or (serial is not None and bool(row.serial) != serial):
        raise NotFound(f"{item.sku} has no {what} “{number}”.", field="lot")
    view = LotView(
        item.sku,
        item.name,
        row.number,
        bool(row.serial),
        row.expiry,
        row.produced,
        row.created_at,
        row.created_by,
    )
    return int(row.id), view


def _places(conn: Connection, lot_id: int) -> tuple[LotPlace, ...]:
    rows = conn.execute(
        select(warehouse_t.c.code, location_t.c.code, quant_t.c.on_hand)
        .select_from(quant_t)
        .join(warehouse_t, warehouse_t.c.id == quant_t.c.warehouse_id)
        .outerjoin(location_t, location_t.c.id == quant_t.c.location_id)
        .where(quant_t.c.lot_id == lot_id, quant_t.c.on_hand > 0)
        .order_by(warehouse_t.c.code, location_t.c.code)
    )
    return tuple(LotPlace(r[0], r[1], int(r[2])) for r in rows)


def _taken_by_orders() -> Any:
    """Committed rows (taking stock, naming a hold) joined to the order line that made the hold."""
    return (
        select(order_t.c.reference, order_t.c.channel, order_t.c.status)
        .select_from(movement_t)
        .join(order_line_t, order_line_t.c.reservation_id == _m.reservation_id)
        .join(order_t, order_t.c.id == order_line_t.c.order_id)
        .join(warehouse_t, warehouse_t.c.id == _m.warehouse_id)
        .where(_m.reservation_id.is_not(None), _m.qty < 0)
    )


def _orders(conn: Connection, lot_id: int) -> tuple[LotOrder, ...]:
    stmt = (
        _taken_by_orders()
        .add_columns(warehouse_t.c.code, func.sum(-_m.qty), func.min(_m.at))
        .where(_m.lot_id == lot_id)
        .group_by(order_t.c.reference, order_t.c.channel, order_t.c.status, warehouse_t.c.code)
        .order_by(func.min(_m.at), order_t.c.reference)
    )
    return tuple(LotOrder(r[0], r[1], r[2], r[3], int(r[4]), r[5]) for r in conn.execute(stmt))


def order_lots(db: Database, actor: Actor, reference: str) -> list[OrderLot]:
    """The lots a sales order's commits took, per product and warehouse. Raises NotFound."""
    require(actor, Permission.VIEW)
    ref = reference.strip()
    stmt = (
        select(
            product_t.c.sku,
            _lot.number,
            _lot.expiry,
            warehouse_t.c.code,
            func.sum(-_m.qty),
        )
        .select_from(movement_t)
        .join(order_line_t, order_line_t.c.reservation_id == _m.reservation_id)
        .join(order_t, order_t.c.id == order_line_t.c.order_id)
        .join(product_t, product_t.c.id == _m.product_id)
        .join(warehouse_t, warehouse_t.c.id == _m.warehouse_id)
        .outerjoin(lot_t, _lot.id == _m.lot_id)
        .where(order_t.c.reference == ref, _m.qty < 0)
        .group_by(product_t.c.sku, _lot.number, _lot.expiry, warehouse_t.c.code)
        .order_by(product_t.c.sku, _lot.expiry, _lot.number)
    )
    with db.read() as conn:
        if conn.execute(select(order_t.c.id).where(order_t.c.reference == ref)).first() is None:
            raise NotFound(f"No order {ref}.", field="order")
        return [OrderLot(r[0], r[1], r[2], r[3], int(r[4])) for r in conn.execute(stmt)]
