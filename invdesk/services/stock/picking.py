"""What to pick for open orders and what to pack: read-only plans for printed documents.

A pick list must send the picker to the stock the fulfilment will take, so it asks the same
FEFO rule (`quants.pick`) that committing a hold uses, in a read-only transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, select

from invdesk.db.engine import Database
from invdesk.db.tables import location_t, lot_t, movement_t, product_t
from invdesk.domain.errors import InsufficientStock, ValidationError
from invdesk.domain.locations import walking_key
from invdesk.domain.orders import OrderStatus, OrderView
from invdesk.domain.picking import (
    MAX_PICK_ORDERS,
    PackedLine,
    PackingList,
    PickLine,
    PickPlan,
    PickShort,
    PickSplit,
    share,
    unmet,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import required_text
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef, product_ref, warehouse_ref
from invdesk.services.stock import ledger, orders, quants

_loc = location_t.c


def _references(references: Iterable[object]) -> list[str]:
    refs: list[str] = []
    for value in references:
        ref = required_text(value, label="Order reference", field="reference", max_len=100)
        if ref not in refs:
            refs.append(ref)
    if not refs:
        raise ValidationError("Name at least one order to pick.", field="reference")
    if len(refs) > MAX_PICK_ORDERS:
        raise ValidationError(
            f"A pick list covers at most {MAX_PICK_ORDERS} orders.", field="reference"
        )
    return refs


def _open(order: OrderView) -> OrderView:
    if order.status is not OrderStatus.OPEN:
        raise ValidationError(
            f"Order {order.reference} is {order.status.value}: there is nothing to pick.",
            field="reference",
        )
    return order


def plan_picks(db: Database, actor: Actor, references: Sequence[object]) -> PickPlan:
    """The pick plan for open orders: per warehouse, product, location and lot, the units FEFO
    takes when the orders are fulfilled (first order first when several want one product), in
    walking order. Units no usable stock covers are listed as short.

    Raises ValidationError (no reference, too many, an order not open), NotFound (an order).
    """
    require(actor, Permission.VIEW)
    found = tuple(_open(orders.get_order(db, actor, ref)) for ref in _references(references))
    wants: dict[tuple[str, str], list[PickSplit]] = {}
    for order in found:
        for line in order.lines:
            want = wants.setdefault((line.warehouse, line.sku), [])
            if want and want[-1].order == order.reference:  # two lines of one product
                want[-1] = PickSplit(order.reference, want[-1].qty + line.qty)
            else:
                want.append(PickSplit(order.reference, line.qty))
    lines: list[PickLine] = []
    short: list[PickShort] = []
    with_locations = False
    with db.read() as conn:
        op = ledger.Op(conn, actor, db.now(), "pick-list")
        units = _units(conn, {sku for _wh, sku in wants})
        for (code, sku), want in wants.items():
            product = product_ref(conn, sku)
            warehouse = warehouse_ref(conn, code)
            with_locations = with_locations or warehouse.has_locations
            pieces = _pieces(op, product, warehouse, sum(w.qty for w in want))
            takes = [p.qty for p in pieces]
            zones = _zones(conn, [p.spot.location_id for p in pieces])
            expiry = _expiries(conn, [p.spot.lot_id for p in pieces])
            for piece, split in zip(pieces, share(takes, want), strict=True):
                spot = piece.spot
                lines.append(
                    PickLine(
                        code,
                        spot.location,
                        zones.get(spot.location_id),
                        product.sku,
                        product.name,
                        units.get(product.sku, "each"),
                        spot.lot,
                        expiry.get(spot.lot_id),
                        piece.qty,
                        split,
                    )
                )
            missing = unmet(takes, want)
            if missing:
                qty = sum(m.qty for m in missing)
                short.append(PickShort(code, product.sku, product.name, qty, missing))
    lines.sort(key=lambda p: (p.warehouse, walking_key(p.zone, p.location), p.sku, p.expiry or 0))
    return PickPlan(found, tuple(lines), tuple(short), with_locations)


def _pieces(
    op: ledger.Op, product: ProductRef, warehouse: WarehouseRef, units: int
) -> list[quants.Piece]:
    """What FEFO takes of `units`; when not all can be taken, what can."""
    try:
        return quants.pick(op, product, warehouse, units)
    except InsufficientStock as error:
        if error.available <= 0:
            return []
        return quants.pick(op, product, warehouse, error.available)


def _units(conn: Connection, skus: set[str]) -> dict[str, str]:
    if not skus:
        return {}
    rows = conn.execute(select(product_t.c.sku, product_t.c.unit).where(product_t.c.sku.in_(skus)))
    return {row.sku: row.unit for row in rows}


def _zones(conn: Connection, location_ids: list[int | None]) -> dict[int | None, str]:
    """The zone (parent location) code of each location that is in one."""
    ids = [i for i in location_ids if i is not None]
    if not ids:
        return {}
    parent = location_t.alias("zone")
    rows = conn.execute(
        select(_loc.id, parent.c.code)
        .join(parent, parent.c.id == _loc.parent_id)
        .where(_loc.id.in_(ids))
    )
    return {row.id: row.code for row in rows}


def _expiries(conn: Connection, lot_ids: list[int | None]) -> dict[int | None, date | None]:
    ids = [i for i in lot_ids if i is not None]
    if not ids:
        return {}
    rows = conn.execute(select(lot_t.c.id, lot_t.c.expiry).where(lot_t.c.id.in_(ids)))
    return {row.id: row.expiry for row in rows}


def packing_list(db: Database, actor: Actor, reference: object) -> PackingList:
    """An order's lines for its packing slip, with each product's unit and, once the order is
    fulfilled, the lots and serials that went out for each line (from the ledger).

    Raises NotFound (the order), ValidationError (a cancelled or expired order ships nothing).
    """
    require(actor, Permission.VIEW)
    order = orders.get_order(db, actor, reference)
    if order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        raise ValidationError(
            f"Order {order.reference} is {order.status.value}: nothing is shipped.",
            field="reference",
        )
    with db.read() as conn:
        units = _units(conn, {line.sku for line in order.lines})
        holds = [line.reservation_id for line in order.lines if line.reservation_id is not None]
        sent = _lots_sent(conn, holds) if order.status is OrderStatus.FULFILLED else {}
    return PackingList(
        order,
        tuple(
            PackedLine(
                line.sku,
                line.product_name,
                units.get(line.sku, "each"),
                line.qty,
                tuple(sent.get(line.reservation_id, ())),
            )
            for line in order.lines
        ),
    )


def _lots_sent(conn: Connection, holds: list[int]) -> dict[int | None, list[tuple[str, int]]]:
    if not holds:
        return {}
    m = movement_t.c
    rows = conn.execute(
        select(m.reservation_id, lot_t.c.number, m.qty)
        .join(lot_t, lot_t.c.id == m.lot_id)
        .where(m.reservation_id.in_(holds), m.qty < 0)
        .order_by(m.id)
    )
    sent: dict[int | None, list[tuple[str, int]]] = {}
    for row in rows:
        sent.setdefault(row.reservation_id, []).append((row.number, -row.qty))
    return sent
