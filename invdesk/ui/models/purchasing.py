"""Purchasing's small lists: suppliers, a supplier's product links and purchase orders.

Each a column-definition list for `ListTableModel` (suppliers and open POs are hundreds, not
millions: held in memory, filtered in the service)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invdesk.domain.purchasing import SupplierLinkView, SupplierView
from invdesk.ui.models.columns import ColumnDef, ListTableModel, money, when


def _days(value: int | None) -> str:
    return "" if value is None else f"{value} d"


def _packs(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _link_lead(link: SupplierLinkView) -> str:
    if link.lead_days is not None:
        return _days(link.lead_days)
    known = _days(link.effective_lead_days)
    return f"{known} (supplier's)" if known else ""


SUPPLIERS: list[ColumnDef] = [
    ("Code", lambda s: s.code),
    ("Name", lambda s: s.name),
    ("Contact", lambda s: s.contact or ""),
    ("E-mail", lambda s: s.email or ""),
    ("Phone", lambda s: s.phone or ""),
    ("Lead time", lambda s: _days(s.lead_days)),
    ("Status", lambda s: "Active" if s.active else "Inactive"),
]

LINKS: list[ColumnDef] = [
    ("SKU", lambda k: k.sku),
    ("Product", lambda k: k.product_name),
    ("Supplier SKU", lambda k: k.supplier_sku or ""),
    ("Price / pack", lambda k: money(k.price)),
    ("Pack", lambda k: k.pack_size),
    ("Minimum", lambda k: k.min_qty),
    ("Lead time", lambda k: _link_lead(k)),
    ("Preferred", lambda k: "★ preferred" if k.preferred else ""),
]

ORDERS: list[ColumnDef] = [
    ("Number", lambda p: p.number),
    ("Supplier", lambda p: f"{p.supplier}  {p.supplier_name}"),
    ("Warehouse", lambda p: p.warehouse),
    ("Status", lambda p: p.status.value.capitalize()),
    ("Expected", lambda p: "" if p.expected is None else p.expected.isoformat()),
    ("Created", lambda p: f"{when(p.created_at)} by {p.created_by}"),
    ("Sent", lambda p: when(p.sent_at)),
    ("Closed", lambda p: when(p.closed_at)),
]

PO_LINES: list[ColumnDef] = [
    ("SKU", lambda ln: ln.sku),
    ("Product", lambda ln: ln.product_name),
    ("Supplier SKU", lambda ln: ln.supplier_sku or ""),
    ("Ordered", lambda ln: ln.ordered),
    ("Packs", lambda ln: f"{_packs(ln.packs)} × {ln.pack_size}"),
    ("Unit price", lambda ln: money(ln.unit_price)),
    ("Received", lambda ln: ln.received),
    ("Open", lambda ln: ln.open),
]


def supplier_model(parent: Any = None) -> ListTableModel:
    """Rows: SupplierView."""
    return ListTableModel(SUPPLIERS, parent=parent)


def link_model(parent: Any = None) -> ListTableModel:
    """Rows: SupplierLinkView (what one supplier sells us, on what terms)."""
    return ListTableModel(LINKS, parent=parent)


def order_model(parent: Any = None) -> ListTableModel:
    """Rows: PurchaseOrderView (without lines)."""
    return ListTableModel(ORDERS, parent=parent)


def matches(row: SupplierView, text: str) -> bool:
    """The Suppliers page's search: code, name, contact or e-mail containing the text."""
    wanted = text.strip().casefold()
    fields = (row.code, row.name, row.contact or "", row.email or "")
    return not wanted or any(wanted in f.casefold() for f in fields)
