"""One purchase order as an .xlsx workbook, for suppliers who take orders as spreadsheets.

The heading says what the printed PO says (`documents.purchase_order_document` is the one home
of it: who orders, the supplier, where to deliver, dates, notes); the lines are written as
numbers (units, pack size, packs, prices, amounts) so the supplier's spreadsheet can add them up.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from invdesk.db.engine import Database
from invdesk.domain.catalog import WarehouseView
from invdesk.domain.purchasing import PurchaseOrderView, SupplierView
from invdesk.domain.security import Actor
from invdesk.reports.documents.model import Party, issuer_of
from invdesk.reports.documents.purchase_order import purchase_order_document
from invdesk.reports.excel import FORMATS, Kind, text_cell
from invdesk.services.catalog import company, suppliers, warehouses
from invdesk.services.purchasing import orders

HEADERS = (
    "SKU", "Supplier SKU", "Product", "Qty (units)", "Pack size", "Packs", "Unit price", "Amount",
)  # fmt: skip
WIDTHS = (16, 16, 36, 12, 10, 10, 12, 14)
_TITLE = Font(bold=True, size=14, color="FF1F4E78")
_BOLD = Font(bold=True)
_PRICE = "#,##0.00##"  # a unit price may need four places (3.50 a hundred is 0.035 each)


def po_workbook(db: Database, actor: Actor, number: object, path: str | Path) -> Path:
    """Write PO `number` (PO-000123, po-123 or 123) to `path`. Raises NotFound."""
    po = orders.get_po(db, number, actor)
    supplier = suppliers.get_supplier(db, po.supplier, actor)
    site = warehouses.get_warehouse(db, po.warehouse, actor)
    issuer = issuer_of(company.get_company(db, actor), site)
    return write_po_workbook(po, path, supplier, site, issuer, db.now(), actor.username)


def write_po_workbook(
    view: PurchaseOrderView,
    path: str | Path,
    supplier: SupplierView,
    site: WarehouseView,
    issuer: Party | None = None,
    at: datetime | None = None,
    by: str = "",
) -> Path:
    """Write `view` as a one-sheet workbook named after its number: the company (`issuer`, else
    the warehouse), the order's fields, supplier and delivery address, then one row per line
    (our SKU, the supplier's, units and packs, price, amount) and the total."""
    document = purchase_order_document(view, supplier, site, at or view.created_at, by, issuer)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(view.number)
    for n, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + n)].width = width
    ws.append([text_cell(ws, document.title, font=_TITLE)])
    if document.issuer is not None:
        ws.append([text_cell(ws, document.issuer.name, font=_BOLD)])
        for text in document.issuer.address:
            ws.append([text_cell(ws, text)])
    ws.append([])
    for label, value in document.fields:
        ws.append([text_cell(ws, label, font=_BOLD), text_cell(ws, value)])
    ws.append([])
    for party in document.parties:
        ws.append([text_cell(ws, party.heading, font=_BOLD), text_cell(ws, party.name)])
        for text in party.address:
            ws.append([None, text_cell(ws, text)])
    ws.append([])
    ws.append([text_cell(ws, h, font=_BOLD) for h in HEADERS])
    for line in view.lines:
        amount = None if line.unit_price is None else line.unit_price * line.ordered
        ws.append(
            [
                text_cell(ws, line.sku), text_cell(ws, line.supplier_sku or ""),
                text_cell(ws, line.product_name), _number(ws, line.ordered, FORMATS[Kind.INT]),
                _number(ws, line.pack_size, FORMATS[Kind.INT]),
                _number(ws, line.packs, "#,##0.##"), _number(ws, line.unit_price, _PRICE),
                _number(ws, amount, FORMATS[Kind.MONEY]),
            ]
        )  # fmt: skip
    total = _number(ws, view.total, FORMATS[Kind.MONEY], font=_BOLD)
    ws.append([text_cell(ws, "Total", font=_BOLD), *([None] * 6), total])
    ws.append([])
    for note in document.notes:
        ws.append([text_cell(ws, note)])
    target = Path(path)
    workbook.save(target)
    return target


def _number(ws: Any, value: int | Decimal | None, number_format: str, **style: Any) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    for key, item in style.items():
        setattr(cell, key, item)
    return cell
