"""Receiving a delivery against a purchase order: one stock transaction, applied once.

The receipt is an ordinary receipt (same checks, same ledger rows, lots and locations) with the
PO's number as reference and the PO's prices as unit costs, plus what the PO must remember: each
line's received units, one `po_receipt` row per line delivered, and the PO's status. The PO row
is locked first, so two clerks booking the same PO take turns and the second sees the first's
units: neither can pass the ordered quantity without confirming it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import po_line_t, po_receipt_t, po_t, warehouse_t
from invdesk.domain import purchasing as p
from invdesk.domain.errors import NotFound, ValidationError, about_line
from invdesk.domain.security import Actor
from invdesk.domain.stock import Line, MovementView, ReceiveStock
from invdesk.domain.stock_checks import check_lines
from invdesk.services.purchasing.orders import load
from invdesk.services.stock import ledger
from invdesk.services.stock.operation import Planned, resolved_units, run_operation
from invdesk.services.stock.operations import plan_receive


def receive_po(db: Database, cmd: p.ReceivePurchase, actor: Actor) -> p.PurchaseReceipt:
    """Book a delivery against a sent PO; a retry with the same request id books nothing more.

    Raises OverReceipt (a ValidationError naming the lines) when a line would pass its ordered
    quantity without `confirm_over`; ValidationError for a product not on the PO, a draft or a
    closed PO, or a bad line; NotFound; PermissionDenied without the stock permission."""
    number = p.parse_po_number(cmd.number)
    # The same line checks as any receipt (quantities, lots, dates, serials), once, up front.
    checked = check_lines(cmd.lines)
    payload = [number, [line.payload() for line in checked], cmd.confirm_over]

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        return _book(op, number, checked, cmd.confirm_over)

    result = run_operation(db, actor, Planned("po_receive", cmd.request_id, payload, apply))
    with db.read() as conn:
        po_id = conn.execute(select(po_t.c.id).where(po_t.c.number == number)).scalar_one()
        order = load(conn, int(po_id))
    return p.PurchaseReceipt(order, result.request_id, result.movements, result.replayed)


def _locked_po(conn: Connection, number: str) -> Any:
    row = conn.execute(
        select(po_t.c.id, po_t.c.status, warehouse_t.c.code.label("warehouse"))
        .join(warehouse_t, warehouse_t.c.id == po_t.c.warehouse_id)
        .where(po_t.c.number == number)
        .with_for_update(of=po_t)
    ).first()
    if row is None:
        raise NotFound(f"There is no purchase order {number}.", field="number")
    status = p.POStatus(row.status)
    if status is p.POStatus.DRAFT:
        raise ValidationError(
            f"{number} is still a draft: send it to the supplier before receiving against it.",
            field="number",
        )
    if status in p.FINAL:
        raise ValidationError(f"{number} is {status}: nothing more is received on it.",
                              field="number")  # fmt: skip
    return row


def _book(
    op: ledger.Op, number: str, lines: tuple[Any, ...], confirm_over: bool
) -> tuple[MovementView, ...]:
    conn = op.conn
    po = _locked_po(conn, number)
    po_lines = {
        int(r.product_id): r
        for r in conn.execute(
            select(po_line_t.c.id, po_line_t.c.product_id, po_line_t.c.ordered,
                   po_line_t.c.received, po_line_t.c.unit_price)
            .where(po_line_t.c.order_id == po.id)
        )
    }  # fmt: skip
    incoming: dict[int, int] = defaultdict(int)
    receipt_lines: list[Line] = []
    skus: dict[int, str] = {}
    for line, (product, units) in zip(lines, resolved_units(conn, lines), strict=True):
        found = po_lines.get(product.id)
        if found is None:
            with about_line(line.row):
                raise ValidationError(
                    f"{line.code} ({product.sku}, {product.name}) is not on {number}.",
                    field="product",
                )
        incoming[product.id] += units
        skus[product.id] = product.sku
        receipt_lines.append(
            Line(
                product=product.sku,
                qty=units,
                unit_cost=found.unit_price,
                location=line.location,
                lot=line.lot,
                expiry=line.expiry,
                produced=line.produced,
                serials=line.serials,
            )
        )
    over = tuple(
        p.OverLine(skus[pid], int(po_lines[pid].ordered), int(po_lines[pid].received), units)
        for pid, units in incoming.items()
        if po_lines[pid].received + units > po_lines[pid].ordered
    )
    if over and not confirm_over:
        raise p.OverReceipt(number, over)
    receipt = ReceiveStock(po.warehouse, tuple(receipt_lines), number)
    movements = plan_receive(receipt).apply(op)
    assert isinstance(movements, tuple)
    # Many rows, few round trips: executemany (pipelined by psycopg) and a multi-row insert.
    conn.execute(
        update(po_line_t)
        .where(po_line_t.c.id == bindparam("line"))
        .values(received=po_line_t.c.received + bindparam("more")),
        [{"line": po_lines[pid].id, "more": units} for pid, units in incoming.items()],
    )
    conn.execute(
        insert(po_receipt_t),
        [
            {
                "line_id": po_lines[pid].id,
                "units": units,
                "request_id": op.request_id,
                "user": op.actor.username,
                "at": op.at,
            }
            for pid, units in incoming.items()
        ],
    )
    totals = [
        (int(r.ordered), int(r.received) + incoming.get(pid, 0)) for pid, r in po_lines.items()
    ]
    status = p.status_after_receipt(totals)
    conn.execute(
        update(po_t)
        .where(po_t.c.id == po.id)
        .values(
            status=status.value,
            updated_at=op.at,
            closed_at=op.at if status is p.POStatus.RECEIVED else None,
            version=po_t.c.version + 1,
        )
    )
    return movements
