"""Goods in transit: a transfer shipped now and received later (issue 13, requirement 6).

Shipping is one stock operation: the lines leave the source (ledger kind `ship`, first expiry first
out unless a lot or serial is named) and a `shipment` with its lines records what is on its way,
at the source's average cost; the shipment's id is the transfer id on its ledger rows. Receiving
books what arrived into the destination (kind `transit_in`, same lot, into the product's putaway
location). What a receipt does not name is, by default, recorded as short and the shipment is
closed with a discrepancy: the truck has been unloaded, and a missing carton is something to look
into now, not an open line to forget. A receipt may instead keep the shipment open (status
`partial`) when the rest comes on a later truck; a later receipt continues it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import lot_t, product_t, shipment_line_t, shipment_t
from invdesk.domain.errors import NotFound, ValidationError, about_line
from invdesk.domain.security import Actor
from invdesk.domain.stock import MovementKind, MovementView, StockResult, TransferStock
from invdesk.domain.stock_checks import CheckedLine, check_transfer
from invdesk.domain.transit import (
    OPEN_STATUSES,
    ReceiveShipment,
    ShipmentReceipt,
    ShipmentStatus,
    check_receipt,
)
from invdesk.domain.validation import from_minor, to_minor
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import (
    ProductRef,
    WarehouseRef,
    product_ref,
    require_active_warehouse,
    warehouse_ref,
)
from invdesk.services.stock import ledger
from invdesk.services.stock.ledger import DEFAULT_SPOT
from invdesk.services.stock.operation import Planned, run_operation, units_of
from invdesk.services.stock.operations import add_units, take_units
from invdesk.services.stock.pieces import record_in, record_out, take_pieces
from invdesk.services.stock.quants import Piece, needs_grain, putaway_spot
from invdesk.services.stock.shipments import get_shipment, read_shipment

_s, _l = shipment_t.c, shipment_line_t.c


def ship(db: Database, cmd: TransferStock, actor: Actor) -> StockResult:
    """Take the lines out of the source and put them in transit to the destination.

    The result's ledger rows carry the new shipment's id as their transfer id. Raises
    ValidationError, NotFound, InsufficientStock (expired lots and quarantine are not shipped),
    DuplicateRequest; a repeated request id returns the first shipment's rows.
    """
    checked = check_transfer(cmd)

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        source = warehouse_ref(op.conn, checked.source, field="source")
        destination = warehouse_ref(op.conn, checked.destination, field="destination")
        require_active_warehouse(destination, field="destination")
        items = sorted(
            ((*units_of(op.conn, line), line) for line in checked.lines), key=lambda i: i[0].id
        )
        shipment_id = str(uuid.uuid4())
        op.conn.execute(
            insert(shipment_t).values(
                id=shipment_id,
                source_id=source.id,
                destination_id=destination.id,
                status=ShipmentStatus.IN_TRANSIT.value,
                reference=checked.reference,
                shipped_by=op.actor.username,
                shipped_at=op.at,
                version=1,
            )
        )
        rows: list[MovementView] = []
        for product, units, line in items:
            with about_line(line.row):
                rows.extend(
                    _ship_line(op, product, source, units, line, shipment_id, checked.reference)
                )
        return tuple(rows)

    return run_operation(db, actor, Planned("ship", cmd.request_id, checked.payload(), apply))


def _ship_line(
    op: ledger.Op,
    product: ProductRef,
    source: WarehouseRef,
    units: int,
    line: CheckedLine,
    shipment_id: str,
    reference: str | None,
) -> list[MovementView]:
    # The counter first: it checks what is available (holds included) and locks the row, so the
    # quants picked below cannot move before the rows are written.
    level = take_units(op, product, source, units)
    if needs_grain(product, source, line):
        pieces = take_pieces(op, product, source, units, line)
    else:
        pieces = [Piece(DEFAULT_SPOT, units)]
    rows = record_out(
        op,
        MovementKind.SHIP,
        product,
        source,
        level,
        pieces,
        unit_cost_minor=level.avg_cost_minor,
        reference=reference,
        transfer_id=shipment_id,
    )
    shipped: dict[int | None, int] = {}
    for piece in pieces:  # one shipment line per lot: the destination does not care for bins
        shipped[piece.spot.lot_id] = shipped.get(piece.spot.lot_id, 0) + piece.qty
    for lot_id, qty in shipped.items():
        op.conn.execute(
            insert(shipment_line_t).values(
                shipment_id=shipment_id,
                product_id=product.id,
                lot_id=lot_id,
                shipped=qty,
                received=0,
                short=0,
                unit_cost=from_minor(level.avg_cost_minor),
            )
        )
    return rows


def receive_shipment(db: Database, cmd: ReceiveShipment, actor: Actor) -> ShipmentReceipt:
    """Book what arrived of a shipment into its destination; record what was short.

    Returns the ledger rows and the shipment after the receipt (`discrepancy` when anything was
    short). Raises NotFound (no such shipment, or a product not on it), ValidationError (more
    than is still expected; a shipment already received or closed), DuplicateRequest.
    """
    checked = check_receipt(cmd)

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        source_id, destination_id, reference = _claim_open(op.conn, checked.shipment)
        destination = _warehouse_by_id(op.conn, destination_id)
        lines = _open_lines(op.conn, checked.shipment)
        arrived = _arrived(op.conn, lines, checked.lines)
        rows: list[MovementView] = []
        total_short = 0
        for line in lines:  # in product id order: counters are locked in (product, warehouse) order
            got = arrived.get(line["id"], 0)
            expected = line["shipped"] - line["received"] - line["short"]
            short = 0 if checked.keep_open else expected - got
            total_short += short
            if got:
                rows.append(_book_in(op, line, destination, got, checked.shipment, reference))
            if got or short:
                op.conn.execute(
                    update(shipment_line_t)
                    .where(_l.id == line["id"])
                    .values(received=_l.received + got, short=_l.short + short)
                )
        status = _status_after(op.conn, checked.shipment)
        op.conn.execute(
            update(shipment_t)
            .where(_s.id == checked.shipment)
            .values(
                status=status.value,
                received_at=None if status.value in OPEN_STATUSES else op.at,
            )
        )
        audit_trail.record(
            op.conn,
            op.actor,
            op.at,
            "receive",
            "shipment",
            checked.shipment,
            {
                "status": status.value,
                "received": sum(r.qty for r in rows),
                "short": total_short,
                "discrepancy": total_short > 0,
                "from": source_id,
            },
        )
        return tuple(rows)

    plan = Planned("transit_receive", checked.request_id, checked.payload(), apply)
    result = run_operation(db, actor, plan)
    return ShipmentReceipt(result, get_shipment(db, actor, checked.shipment))


def _claim_open(conn: Connection, shipment_id: str) -> tuple[int, int, str | None]:
    """Lock an open shipment (so two receipts of it run one after the other): its two warehouses."""
    row = conn.execute(
        update(shipment_t)
        .where(_s.id == shipment_id, _s.status.in_(OPEN_STATUSES))
        .values(version=_s.version + 1)
        .returning(_s.source_id, _s.destination_id, _s.reference)
    ).first()
    if row is not None:
        return int(row.source_id), int(row.destination_id), row.reference
    found = read_shipment(conn, shipment_id)
    if found is None:
        raise NotFound(f"No transfer {shipment_id}.", field="shipment")
    raise ValidationError(
        f"Transfer {shipment_id} is already {found.status.value.replace('_', ' ')}; "
        "nothing is expected any more.",
        field="shipment",
    )


def _warehouse_by_id(conn: Connection, warehouse_id: int) -> WarehouseRef:
    from invdesk.db.tables import warehouse_t

    row = conn.execute(
        select(warehouse_t.c.code).where(warehouse_t.c.id == warehouse_id)
    ).scalar_one()
    return warehouse_ref(conn, row, field="destination")


def _open_lines(conn: Connection, shipment_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(_l.id, _l.product_id, _l.lot_id, _l.shipped, _l.received, _l.short)
        .add_columns(_l.unit_cost, product_t.c.sku, lot_t.c.number.label("lot"))
        .join(product_t, product_t.c.id == _l.product_id)
        .outerjoin(lot_t, lot_t.c.id == _l.lot_id)
        .where(_l.shipment_id == shipment_id)
        .order_by(_l.product_id, _l.id)
    )
    return [dict(row._mapping) for row in rows]


def _arrived(
    conn: Connection,
    lines: list[dict[str, Any]],
    wanted: tuple[tuple[str, int, str | None], ...] | None,
) -> dict[int, int]:
    """Units arriving per shipment line; a product's quantity fills its lines in order."""
    expected = {line["id"]: line["shipped"] - line["received"] - line["short"] for line in lines}
    if wanted is None:
        return expected
    arrived: dict[int, int] = {}
    for row, (code, qty, lot) in enumerate(wanted):
        with about_line(row):
            product = product_ref(conn, code)
            mine = [
                line
                for line in lines
                if line["product_id"] == product.id and (lot is None or line["lot"] == lot)
            ]
            if not mine:
                what = product.sku if lot is None else f"{product.sku} lot {lot}"
                raise NotFound(f"{what} is not on this transfer.", field="product")
            units = qty * product.pack_qty
            for line in mine:
                free = expected[line["id"]] - arrived.get(line["id"], 0)
                take = min(free, units)
                if take:
                    arrived[line["id"]] = arrived.get(line["id"], 0) + take
                units -= take
            if units:
                still = sum(expected[line["id"]] for line in mine)
                raise ValidationError(
                    f"Only {still:,} of {product.sku} are still expected on this transfer; "
                    f"receive any extra as a normal receipt.",
                    field="qty",
                )
    return arrived


def _book_in(
    op: ledger.Op,
    line: dict[str, Any],
    destination: WarehouseRef,
    got: int,
    shipment_id: str,
    reference: str | None,
) -> MovementView:
    product = product_ref(op.conn, line["sku"])
    cost_minor = None if line["unit_cost"] is None else to_minor(line["unit_cost"])
    level = add_units(op, product, destination, got, cost_minor)
    spot = putaway_spot(op, product, destination)._replace(lot_id=line["lot_id"], lot=line["lot"])
    (row,) = record_in(
        op,
        MovementKind.TRANSIT_IN,
        product,
        destination,
        level,
        [Piece(spot, got)],
        unit_cost_minor=cost_minor,
        reference=reference,
        transfer_id=shipment_id,
    )
    return row


def _status_after(conn: Connection, shipment_id: str) -> ShipmentStatus:
    lines = _open_lines(conn, shipment_id)
    if any(line["shipped"] > line["received"] + line["short"] for line in lines):
        received_any = any(line["received"] or line["short"] for line in lines)
        return ShipmentStatus.PARTIAL if received_any else ShipmentStatus.IN_TRANSIT
    if any(line["short"] for line in lines):
        return ShipmentStatus.CLOSED
    return ShipmentStatus.RECEIVED
