"""Suppliers and what each sells us: create, edit under optimistic locking, deactivate, link.

Master data like warehouses: managers edit it, every edit is audited in its own transaction. A
product has at most one preferred supplier (a unique index says so too); marking another one
preferred moves the flag in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.purchasing_models import Supplier, SupplierProduct
from invdesk.db.tables import product_t, supplier_product_t, supplier_t
from invdesk.domain import purchasing as p
from invdesk.domain.catalog import ADDRESS_MAX
from invdesk.domain.errors import Conflict, NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import clean_text, parse_money, parse_whole_number, required_text
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import product_ref
from invdesk.services.unit_of_work import check_version, edit_session

MAX_PACK = 1_000_000


def _view(s: Supplier) -> p.SupplierView:
    return p.SupplierView(
        s.id, s.code, s.name, s.contact, s.email, s.phone, s.address, s.lead_days, s.notes,
        s.active, s.version,
    )  # fmt: skip


def _by_code(session: Session, code: object, field: str = "code") -> Supplier:
    text = p.supplier_code(code, field=field)
    found = session.scalar(select(Supplier).where(Supplier.code == text))
    if found is None:
        raise NotFound(f"No supplier has the code “{text}”.", field=field)
    return found


def _text(value: object, label: str, field: str, max_len: int) -> str | None:
    return clean_text(value, label=label, field=field, max_len=max_len, required=False)


def _apply(s: Supplier, d: p.SupplierDetails) -> None:
    """Copy the given fields of `d` onto `s`, checked; None leaves a field as it is."""
    if d.name is not None:
        s.name = required_text(d.name, label="Name", field="name", max_len=p.SUPPLIER_NAME_MAX)
    if d.contact is not None:
        s.contact = _text(d.contact, "Contact", "contact", p.CONTACT_MAX)
    if d.email is not None:
        s.email = p.email(d.email)
    if d.phone is not None:
        s.phone = _text(d.phone, "Phone", "phone", p.PHONE_MAX)
    if d.address is not None:
        s.address = _text(d.address, "Address", "address", ADDRESS_MAX)
    if d.lead_days is not None:
        s.lead_days = p.lead_days(d.lead_days)
    if d.notes is not None:
        s.notes = _text(d.notes, "Notes", "notes", p.NOTES_MAX)
    if d.active is not None:
        s.active = d.active


def create_supplier(db: Database, details: p.SupplierDetails, actor: Actor) -> p.SupplierView:
    """Add a supplier (code in capitals, a name; the rest optional).

    Raises ValidationError for bad fields, Conflict for a code in use, PermissionDenied."""
    require(actor, Permission.CATALOG)
    code = p.supplier_code(details.code)
    required_text(details.name, label="Name", field="name", max_len=p.SUPPLIER_NAME_MAX)

    def work(session: Session) -> p.SupplierView:
        if session.scalar(select(Supplier.id).where(Supplier.code == code)):
            raise Conflict(f"A supplier with code {code} already exists.", field="code")
        supplier = Supplier(code=code, name="", active=True)
        _apply(supplier, details)
        session.add(supplier)
        session.flush()
        audit_trail.record(
            session.connection(), actor, db.now(), "create", "supplier", code,
            {"name": supplier.name, "lead_days": supplier.lead_days},
        )  # fmt: skip
        return _view(supplier)

    return edit_session(db, work)


def edit_supplier(db: Database, details: p.SupplierDetails, actor: Actor) -> p.SupplierView:
    """Change the given fields of a supplier; `active=False` deactivates it (its POs stay).
    A stale `expected_version` raises Conflict."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> p.SupplierView:
        supplier = _by_code(session, details.code)
        check_version(supplier.version, details.expected_version, f"Supplier {supplier.code}")
        _apply(supplier, details)
        audit_trail.record_edit(session, actor, db.now(), "supplier", supplier.code, supplier)
        session.flush()
        return _view(supplier)

    return edit_session(db, work)


def list_suppliers(
    db: Database, actor: Actor, include_inactive: bool = True
) -> list[p.SupplierView]:
    require(actor, Permission.VIEW)
    stmt = select(Supplier).order_by(Supplier.code)
    if not include_inactive:
        stmt = stmt.where(Supplier.active.is_(True))
    with db.read() as conn, Session(bind=conn) as session:
        return [_view(s) for s in session.scalars(stmt)]


def get_supplier(db: Database, code: str, actor: Actor) -> p.SupplierView:
    require(actor, Permission.VIEW)
    with db.read() as conn, Session(bind=conn) as session:
        return _view(_by_code(session, code))


def _whole(value: object, label: str, field: str, minimum: int) -> int:
    return parse_whole_number(value, label=label, field=field, minimum=minimum, maximum=MAX_PACK)


def link_supplier(db: Database, cmd: p.LinkSupplier, actor: Actor) -> p.SupplierLinkView:
    """Set what a supplier sells of a product (created on first use); fields left None keep
    their value. Marking it preferred unmarks the product's other supplier in the same step.

    Raises NotFound for an unknown supplier or product, ValidationError, Conflict."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> p.SupplierLinkView:
        supplier = _by_code(session, cmd.supplier, field="supplier")
        product = product_ref(session.connection(), cmd.product)
        link = session.scalar(
            select(SupplierProduct).where(
                SupplierProduct.supplier_id == supplier.id,
                SupplierProduct.product_id == product.id,
            )
        )
        created = link is None
        if link is None:
            link = SupplierProduct(supplier_id=supplier.id, product_id=product.id)
            link.pack_size, link.min_qty, link.preferred = 1, 0, False
            session.add(link)
        else:
            check_version(link.version, cmd.expected_version, f"{supplier.code}'s terms")
        if cmd.supplier_sku is not None:
            link.supplier_sku = _text(
                cmd.supplier_sku, "Supplier SKU", "supplier_sku", p.SUPPLIER_SKU_MAX
            )
        if cmd.price is not None:
            link.price = (
                None if str(cmd.price).strip() == "" else parse_money(cmd.price, label="Price")
            )
        if cmd.pack_size is not None:
            link.pack_size = _whole(cmd.pack_size, "Pack size", "pack_size", 1)
        if cmd.min_qty is not None:
            link.min_qty = _whole(cmd.min_qty, "Minimum order quantity", "min_qty", 0)
        if cmd.lead_days is not None:
            link.lead_days = p.lead_days(cmd.lead_days)
        if cmd.preferred is not None:
            if cmd.preferred and not link.preferred:
                # The unique index allows one preferred row per product: clear the old one first.
                session.execute(
                    update(SupplierProduct)
                    .where(
                        SupplierProduct.product_id == product.id,
                        SupplierProduct.preferred.is_(True),
                    )
                    .values(preferred=False, version=SupplierProduct.version + 1)
                    .execution_options(synchronize_session=False)
                )
            link.preferred = cmd.preferred
        session.flush()
        key = f"{supplier.code}/{product.sku}"
        if created:
            audit_trail.record(
                session.connection(), actor, db.now(), "create", "supplier_product", key,
                {"supplier_sku": link.supplier_sku, "price": link.price, "pack": link.pack_size,
                 "min": link.min_qty, "lead_days": link.lead_days, "preferred": link.preferred},
            )  # fmt: skip
        else:
            audit_trail.record_edit(session, actor, db.now(), "supplier_product", key, link)
        session.flush()
        return _links(session.connection(), link_id=link.id)[0]

    return edit_session(db, work)


def supplier_links(
    db: Database, actor: Actor, supplier: str | None = None, product: str | None = None
) -> list[p.SupplierLinkView]:
    """What suppliers sell: all, one supplier's, or one product's (preferred first)."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        supplier_id = product_id = None
        if supplier is not None:
            code = p.supplier_code(supplier, field="supplier")
            supplier_id = conn.execute(
                select(supplier_t.c.id).where(supplier_t.c.code == code)
            ).scalar()
            if supplier_id is None:
                raise NotFound(f"No supplier has the code “{code}”.", field="supplier")
        if product is not None:
            product_id = product_ref(conn, product).id
        return _links(conn, supplier_id=supplier_id, product_id=product_id)


def _links(
    conn: Any,
    *,
    link_id: int | None = None,
    supplier_id: int | None = None,
    product_id: int | None = None,
) -> list[p.SupplierLinkView]:
    sp, s, pr = supplier_product_t.c, supplier_t.c, product_t.c
    stmt = (
        select(
            sp.id,
            s.code,
            s.name,
            pr.sku,
            pr.name.label("product_name"),
            sp.supplier_sku,
            sp.price,
            sp.pack_size,
            sp.min_qty,
            sp.lead_days,
            s.lead_days.label("default_lead"),
            sp.preferred,
            sp.version,
        )
        .join(supplier_t, s.id == sp.supplier_id)
        .join(product_t, pr.id == sp.product_id)
        .order_by(pr.sku, sp.preferred.desc(), s.code)
    )
    if link_id is not None:
        stmt = stmt.where(sp.id == link_id)
    if supplier_id is not None:
        stmt = stmt.where(sp.supplier_id == supplier_id)
    if product_id is not None:
        stmt = stmt.where(sp.product_id == product_id)
    return [
        p.SupplierLinkView(
            r.id,
            r.code,
            r.name,
            r.sku,
            r.product_name,
            r.supplier_sku,
            r.price,
            r.pack_size,
            r.min_qty,
            r.lead_days,
            r.lead_days if r.lead_days is not None else r.default_lead,
            bool(r.preferred),
            r.version,
        )
        for r in conn.execute(stmt)
    ]
