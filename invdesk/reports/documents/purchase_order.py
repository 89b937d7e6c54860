"""The purchase order sent to a supplier: who orders, where to deliver, and each line with the
supplier's own SKU, the packs and the price."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from invdesk.db.engine import Database
from invdesk.domain.catalog import WarehouseView
from invdesk.domain.purchasing import PurchaseOrderView, SupplierView
from invdesk.domain.security import Actor
from invdesk.reports.documents.model import (
    Align,
    DocColumn,
    DocRow,
    Document,
    Party,
    address_lines,
    code128,
    count,
    day,
    issuer_of,
)
from invdesk.services.catalog import company, suppliers, warehouses
from invdesk.services.purchasing import orders


def purchase_order(db: Database, actor: Actor, number: object) -> Document:
    """The document of PO `number` (PO-000123, po-123 or 123). Raises NotFound."""
    po = orders.get_po(db, number, actor)
    supplier = suppliers.get_supplier(db, po.supplier, actor)
    site = warehouses.get_warehouse(db, po.warehouse, actor)
    issuer = issuer_of(company.get_company(db, actor), site)
    return purchase_order_document(po, supplier, site, db.now(), actor.username, issuer)


def money(value: Decimal | None) -> str:
    """Two decimals, or as many as a unit price needs (3.50 a hundred is 0.035 each)."""
    if value is None:
        return ""
    exact = value.normalize()
    places = max(2, -int(exact.as_tuple().exponent))
    return f"{value:,.{min(places, 4)}f}"


def packs(value: Decimal) -> str:
    return f"{value:,f}" if value != value.to_integral_value() else f"{int(value):,}"


def _supplier(supplier: SupplierView) -> Party:
    reach = [x for x in (supplier.contact, supplier.email, supplier.phone) if x]
    # One contact detail is never split over two lines; the line breaks between them.
    joined = "  ·  ".join(x.replace(" ", "\u00a0") for x in reach)
    lines = (*address_lines(supplier.address), *([joined] if reach else []))
    return Party("Supplier", f"{supplier.name} ({supplier.code})", lines)


def purchase_order_document(
    po: PurchaseOrderView,
    supplier: SupplierView,
    site: WarehouseView,
    at: datetime,
    by: str,
    issuer: Party | None = None,
) -> Document:
    """Every line as ordered: our SKU and the supplier's, units and packs, price and amount,
    with the total under them; a draft says so in its status."""
    columns = (
        DocColumn("SKU", 1.0),
        DocColumn("Supplier SKU", 1.0),
        DocColumn("Product", 3.0, wrap=True),
        DocColumn("Qty", 0.7, Align.RIGHT),
        DocColumn("Packs", 0.7, Align.RIGHT),
        DocColumn("Unit price", 1.0, Align.RIGHT),
        DocColumn("Amount", 1.0, Align.RIGHT),
    )
    rows = []
    for line in po.lines:
        in_packs = f"{packs(line.packs)} × {line.pack_size}" if line.pack_size > 1 else ""
        amount = None if line.unit_price is None else line.unit_price * line.ordered
        cells = (line.sku, line.supplier_sku or "", line.product_name, count(line.ordered))
        rows.append(DocRow((*cells, in_packs, money(line.unit_price), money(amount))))
    rows.append(
        DocRow(("", "", "Total", "", "", "", money(po.total)), group_start=True, total=True)
    )
    fields = [
        ("Order", po.number),
        ("Status", po.status.value.replace("_", " ")),
        ("Date", day(po.sent_at or po.created_at)),
        ("Expected", day(po.expected) or "as agreed"),
        ("Lines", count(len(po.lines))),
        ("Ordered by", po.created_by),
    ]
    deliver = Party("Deliver to", f"{site.name} ({site.code})", address_lines(site.address))
    notes = [f"Notes: {po.notes}"] if po.notes else []
    notes.append(f"Please quote {po.number} on the delivery note and the invoice.")
    return Document(
        kind="Purchase order",
        number=po.number,
        barcode=code128(po.number),
        issuer=issuer or Party("", site.name, address_lines(site.address)),
        fields=tuple(fields),
        parties=(_supplier(supplier), deliver),
        columns=columns,
        rows=tuple(rows),
        notes=tuple(notes),
        signatures=("Authorised by",),
        generated_at=at,
        generated_by=by,
    )
