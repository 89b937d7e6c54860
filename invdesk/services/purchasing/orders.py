"""Purchase orders: create, edit a draft, amend a sent one, send, cancel, show, list.

Each call is one transaction with its audit row. The PO row is locked first (FOR UPDATE) in every
change, receipts included, so an edit and a delivery of the same PO take turns; a stale
`expected_version` is a Conflict ("changed by someone else, reload").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.purchasing_models import PurchaseOrder, PurchaseOrderLine, Supplier
from invdesk.db.tables import (
    po_line_t,
    po_t,
    product_t,
    supplier_product_t,
    supplier_t,
    warehouse_t,
)
from invdesk.domain import purchasing as p
from invdesk.domain.catalog import REASON_MAX
from invdesk.domain.errors import Conflict, NotFound, ValidationError, about_line
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.tracking import day
from invdesk.domain.validation import MAX_QTY, clean_text, parse_money, parse_quantity
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import product_ref, require_active_warehouse, warehouse_ref
from invdesk.services.reads.on_order import unit_price
from invdesk.services.stock import events
from invdesk.services.unit_of_work import check_version, edit_session


class PlannedLine:
    """A PO line checked and ready to write: product id, units and unit price (None: take the supplier's)."""

    __slots__ = ("pack", "price", "product_id", "sku", "units")

    def __init__(self, product_id: int, sku: str, units: int, price: Decimal | None) -> None:
        self.product_id, self.sku, self.units, self.price = product_id, sku, units, price
        self.pack = 1


def _lines(conn: Connection, lines: Sequence[p.OrderLine], supplier_id: int) -> list[PlannedLine]:
    """The lines checked and merged by product (a SKU typed twice is one line), with the
    supplier's pack and price filled in where the line gives none."""
    if not lines:
        raise ValidationError("A purchase order needs at least one line.", field="lines")
    if len(lines) > p.MAX_PO_LINES:
        raise ValidationError(
            f"A purchase order has at most {p.MAX_PO_LINES:,} lines.", field="lines"
        )
    merged: dict[int, PlannedLine] = {}
    for row, line in enumerate(lines):
        with about_line(row):
            product = product_ref(conn, line.product)
            units = parse_quantity(line.qty) * product.pack_qty
            price = None
            if line.unit_price is not None and str(line.unit_price).strip() != "":
                price = parse_money(line.unit_price, label="Price", field="price")
        if product.id in merged:
            merged[product.id].units += units
            merged[product.id].price = price or merged[product.id].price
        else:
            merged[product.id] = PlannedLine(product.id, product.sku, units, price)
        if merged[product.id].units > MAX_QTY:
            raise ValidationError(
                f"{product.sku}: at most {MAX_QTY:,} units on one line.", field="qty", line=row
            )
    sp = supplier_product_t.c
    terms = {
        int(r.product_id): r
        for r in conn.execute(
            select(sp.product_id, sp.price, sp.pack_size).where(
                sp.supplier_id == supplier_id, sp.product_id.in_(list(merged))
            )
        )
    }
    for planned in merged.values():
        found = terms.get(planned.product_id)
        if found is not None:
            planned.pack = int(found.pack_size)
            if planned.price is None and found.price is not None:
                planned.price = unit_price(found.price, planned.pack)
    return list(merged.values())


def _supplier(session: Session, code: object) -> Supplier:
    text = p.supplier_code(code, field="supplier")
    found = session.scalar(select(Supplier).where(Supplier.code == text))
    if found is None:
        raise NotFound(f"No supplier has the code “{text}”.", field="supplier")
    return found


def _locked(session: Session, number: object) -> PurchaseOrder:
    """The PO by number, its row locked for this transaction."""
    text = p.parse_po_number(number)
    found = session.scalar(
        select(PurchaseOrder).where(PurchaseOrder.number == text).with_for_update()
    )
    if found is None:
        raise NotFound(f"There is no purchase order {text}.", field="number")
    return found


def _expected(value: object) -> date | None:
    return day(value, label="Expected date", field="expected")


def _notes(value: object) -> str | None:
    return clean_text(value, label="Notes", field="notes", max_len=p.NOTES_MAX, required=False)


def create_po(db: Database, cmd: p.CreatePurchase, actor: Actor) -> p.PurchaseOrderView:
    """A draft PO for an active supplier and warehouse; prices and packs default to the
    supplier's terms. Its number (PO-000123) is given once and never again.

    Raises ValidationError, NotFound, PermissionDenied."""
    require(actor, Permission.PURCHASING)
    expected, notes = _expected(cmd.expected), _notes(cmd.notes)

    def work(session: Session) -> p.PurchaseOrderView:
        conn = session.connection()
        supplier = _supplier(session, cmd.supplier)
        if not supplier.active:
            raise ValidationError(f"Supplier {supplier.code} is inactive.", field="supplier")
        warehouse = warehouse_ref(conn, cmd.warehouse)
        require_active_warehouse(warehouse)
        planned = _lines(conn, cmd.lines, supplier.id)
        po_id = add_draft(
            session, actor, db.now(), supplier, warehouse.id, planned, expected=expected,
            notes=notes, details={"warehouse": warehouse.code},
        )  # fmt: skip
        return load(session.connection(), po_id)

    return _announced(db, edit_session(db, work))


def add_draft(
    session: Session,
    actor: Actor,
    now: datetime,
    supplier: Supplier,
    warehouse_id: int,
    planned: list[PlannedLine],
    *,
    expected: date | None = None,
    notes: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Write a draft PO with its lines and its audit row (in the caller's transaction); its
    number comes from its id. Returns the id."""
    po = PurchaseOrder(
        supplier_id=supplier.id,
        warehouse_id=warehouse_id,
        status=p.POStatus.DRAFT.value,
        expected=expected,
        notes=notes,
        created_by=actor.username,
        created_at=now,
        updated_at=now,
    )
    session.add(po)
    session.flush()
    po.number = p.po_number(po.id)
    write_lines(session, po, planned, [])
    session.flush()
    audit_trail.record(
        session.connection(), actor, now, "create", "purchase_order", po.number,
        {"supplier": supplier.code, **(details or {}),
         "lines": {x.sku: x.units for x in planned}},
    )  # fmt: skip
    return po.id


def write_lines(
    session: Session, po: PurchaseOrder, planned: list[PlannedLine], old: list[PurchaseOrderLine]
) -> dict[str, list[Any]]:
    """Make the PO's lines what `planned` says; returns what changed, for the audit row."""
    by_product = {line.product_id: line for line in old}
    changes: dict[str, list[Any]] = {}
    next_no = max((line.line_no for line in old), default=0) + 1
    for x in planned:
        line = by_product.pop(x.product_id, None)
        if line is None:
            session.add(
                PurchaseOrderLine(
                    order_id=po.id,
                    line_no=next_no,
                    product_id=x.product_id,
                    ordered=x.units,
                    pack_size=x.pack,
                    unit_price=x.price,
                    received=0,
                )
            )
            next_no += 1
            if old:
                changes[x.sku] = [None, x.units]
            continue
        if x.units < line.received:
            raise ValidationError(
                f"{x.sku}: {line.received:,} units were already received; the order cannot "
                f"be cut to {x.units:,}.",
                field="qty",
            )
        if line.ordered != x.units or (x.price is not None and line.unit_price != x.price):
            changes[x.sku] = [line.ordered, x.units]
        line.ordered = x.units
        if x.price is not None:
            line.unit_price = x.price
    for line in by_product.values():
        if line.received:
            raise ValidationError(
                f"Line {line.line_no} was partly received; it cannot be removed "
                "(cut it to what was received instead).",
                field="lines",
            )
        changes[f"line {line.line_no}"] = [line.ordered, None]
        session.delete(line)
    return changes


def edit_po(db: Database, cmd: p.EditPurchase, actor: Actor) -> p.PurchaseOrderView:
    """Change a PO's lines, expected date or notes. A draft changes freely; a sent or partly
    received PO only by an amendment with a reason (audited as such); a closed one not at all."""
    require(actor, Permission.PURCHASING)
    expected = _expected(cmd.expected) if cmd.expected is not None else None
    reason = clean_text(cmd.reason, label="Reason", field="reason", max_len=REASON_MAX,
                        required=False)  # fmt: skip

    def work(session: Session) -> p.PurchaseOrderView:
        po = _locked(session, cmd.number)
        check_version(po.version, cmd.expected_version, f"Purchase order {po.number}")
        status = p.POStatus(po.status)
        if status in p.FINAL:
            raise ValidationError(f"{po.number} is {status}: it cannot change.", field="status")
        amending = status is not p.POStatus.DRAFT
        if amending and reason is None:
            raise ValidationError(
                f"{po.number} was sent to the supplier: say why it is amended.", field="reason"
            )
        changes: dict[str, Any] = {}
        if cmd.lines is not None:
            old = list(
                session.scalars(
                    select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == po.id)
                )
            )
            planned = _lines(session.connection(), cmd.lines, po.supplier_id)
            changes.update(write_lines(session, po, planned, old))
        if cmd.expected is not None and expected != po.expected:
            changes["expected"] = [po.expected, expected]
            po.expected = expected
        if cmd.notes is not None:
            po.notes = _notes(cmd.notes)
        po.updated_at = db.now()
        session.flush()
        if amending and cmd.lines is not None:
            po.status = _status_now(session.connection(), po.id, status).value
        if reason is not None:
            changes["reason"] = reason
        audit_trail.record(
            session.connection(), actor, po.updated_at, "amend" if amending else "edit",
            "purchase_order", str(po.number), changes,
        )  # fmt: skip
        session.flush()
        return load(session.connection(), po.id)

    return _announced(db, edit_session(db, work))


def _status_now(conn: Connection, po_id: int, status: p.POStatus) -> p.POStatus:
    """After an amendment: a partly received PO whose lines are now all met is received."""
    rows = conn.execute(
        select(po_line_t.c.ordered, po_line_t.c.received).where(po_line_t.c.order_id == po_id)
    ).all()
    if status is p.POStatus.SENT and not any(r.received for r in rows):
        return status
    return p.status_after_receipt([(int(r.ordered), int(r.received)) for r in rows])


def send_po(
    db: Database, number: object, actor: Actor, expected_version: int | None = None
) -> p.PurchaseOrderView:
    """Mark a draft as sent to the supplier: from now on its units count as on order."""
    require(actor, Permission.PURCHASING)

    def work(session: Session) -> p.PurchaseOrderView:
        po = _locked(session, number)
        check_version(po.version, expected_version, f"Purchase order {po.number}")
        if po.status != p.POStatus.DRAFT.value:
            raise Conflict(f"{po.number} is {po.status}: only a draft is sent.", field="status")
        po.status, po.sent_at = p.POStatus.SENT.value, db.now()
        po.updated_at = po.sent_at
        session.flush()
        audit_trail.record(
            session.connection(), actor, po.sent_at, "send", "purchase_order", str(po.number)
        )
        session.flush()
        return load(session.connection(), po.id)

    return _announced(db, edit_session(db, work))


def cancel_po(
    db: Database,
    number: object,
    actor: Actor,
    reason: str | None = None,
    expected_version: int | None = None,
) -> p.PurchaseOrderView:
    """Cancel a PO; of a partly received one, what arrived stays booked and the rest is no
    longer on order."""
    require(actor, Permission.PURCHASING)
    why = clean_text(reason, label="Reason", field="reason", max_len=REASON_MAX, required=False)

    def work(session: Session) -> p.PurchaseOrderView:
        po = _locked(session, number)
        check_version(po.version, expected_version, f"Purchase order {po.number}")
        if p.POStatus(po.status) in p.FINAL:
            raise Conflict(f"{po.number} is already {po.status}.", field="status")
        po.status, po.closed_at = p.POStatus.CANCELLED.value, db.now()
        po.updated_at = po.closed_at
        session.flush()
        audit_trail.record(
            session.connection(), actor, po.closed_at, "cancel", "purchase_order",
            str(po.number), {"reason": why} if why else None,
        )  # fmt: skip
        session.flush()
        return load(session.connection(), po.id)

    return _announced(db, edit_session(db, work))


def get_po(db: Database, number: object, actor: Actor) -> p.PurchaseOrderView:
    """A PO with its lines, by number (PO-000123, po-123 or 123)."""
    require(actor, Permission.VIEW)
    text = p.parse_po_number(number)
    with db.read() as conn:
        found = conn.execute(select(po_t.c.id).where(po_t.c.number == text)).scalar()
        if found is None:
            raise NotFound(f"There is no purchase order {text}.", field="number")
        return load(conn, int(found))


def list_pos(
    db: Database,
    actor: Actor,
    status: str | None = None,
    supplier: str | None = None,
    warehouse: str | None = None,
) -> list[p.PurchaseOrderView]:
    """POs newest first (without their lines), by status, supplier and warehouse if given."""
    require(actor, Permission.VIEW)
    stmt = _heads().order_by(po_t.c.id.desc())
    if status is not None:
        try:
            stmt = stmt.where(po_t.c.status == p.POStatus(str(status).strip().lower()).value)
        except ValueError:
            known = ", ".join(s.value for s in p.POStatus)
            raise ValidationError(
                f"Unknown status “{status}”: one of {known}.", field="status"
            ) from None
    with db.read() as conn:
        if supplier is not None:
            stmt = stmt.where(supplier_t.c.code == p.supplier_code(supplier, field="supplier"))
        if warehouse is not None:
            stmt = stmt.where(po_t.c.warehouse_id == warehouse_ref(conn, warehouse).id)
        return [_head(row) for row in conn.execute(stmt)]


def _heads() -> Any:
    return (
        select(po_t, supplier_t.c.code.label("supplier_code"),
               supplier_t.c.name.label("supplier_name"), warehouse_t.c.code.label("wh_code"))
        .join(supplier_t, supplier_t.c.id == po_t.c.supplier_id)
        .join(warehouse_t, warehouse_t.c.id == po_t.c.warehouse_id)
    )  # fmt: skip


def _head(row: Any, lines: tuple[p.POLineView, ...] = ()) -> p.PurchaseOrderView:
    return p.PurchaseOrderView(
        id=row.id,
        number=row.number,
        supplier=row.supplier_code,
        supplier_name=row.supplier_name,
        warehouse=row.wh_code,
        status=p.POStatus(row.status),
        expected=row.expected,
        notes=row.notes,
        created_by=row.created_by,
        created_at=row.created_at,
        sent_at=row.sent_at,
        closed_at=row.closed_at,
        version=row.version,
        lines=lines,
    )


def load(conn: Connection, po_id: int) -> p.PurchaseOrderView:
    """A PO with its lines (and the supplier's SKU for each), read in the caller's transaction."""
    row = conn.execute(_heads().where(po_t.c.id == po_id)).one()
    line, sp = po_line_t.c, supplier_product_t.c
    lines = conn.execute(
        select(line.line_no, product_t.c.sku, product_t.c.name, sp.supplier_sku, line.ordered,
               line.pack_size, line.unit_price, line.received)
        .join(product_t, product_t.c.id == line.product_id)
        .outerjoin(supplier_product_t,
                   (sp.product_id == line.product_id) & (sp.supplier_id == row.supplier_id))
        .where(line.order_id == po_id)
        .order_by(line.line_no)
    ).all()  # fmt: skip
    return _head(row, tuple(p.POLineView(*r) for r in lines))


def _announced(db: Database, view: p.PurchaseOrderView) -> p.PurchaseOrderView:
    """Tell this process's pages and, by a NOTIFY hint, other PCs' that the PO changed (after
    the commit: the edit is already in; a lost hint is caught by the periodic check)."""
    events.bus(db).publish([events.PurchasingChanged(view.id)])
    return view
