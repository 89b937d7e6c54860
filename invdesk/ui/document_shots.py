"""Screenshots of printed documents: a pick list page as printed, and the print dialog.

The demo history has no open orders, so two are placed first, in the warehouse with bins and
lots (services.demo.grain), through the same service a web shop calls.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.orders import OrderLine, OrderStatus, PlaceOrder
from invdesk.reports.documents.model import Document
from invdesk.reports.documents.pick_list import pick_list
from invdesk.services.demo import grain
from invdesk.services.reads import queries
from invdesk.services.stock import orders
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.orders import OrdersPage
from invdesk.ui.printing import documents
from invdesk.ui.printing.document_layout import A4

ORDERS = ("WEB-90501", "WEB-90502")
PAGE_DPI = 100


def _with_orders(window: MainWindow) -> tuple[str, ...]:
    db, actor = window.db, window.actor
    plain = [
        level.sku
        for level in queries.stock_levels(db, actor, warehouse=grain.WAREHOUSE, limit=40)
        if level.available >= 20 and level.sku not in {p[0] for p in grain.PRODUCTS}
    ][:2]
    wanted = {
        ORDERS[0]: [("YOG-500", 4), ("ASP-24", 2), *((sku, 3) for sku in plain[:1])],
        ORDERS[1]: [("YOG-500", 3), ("MILK-1L", 6), ("PHN-X1", 2), *((sku, 5) for sku in plain)],
    }
    for reference, lines in wanted.items():
        cmd = PlaceOrder(
            reference,
            grain.WAREHOUSE,
            tuple(OrderLine(sku, qty) for sku, qty in lines),
            "web_shop",
        )
        with contextlib.suppress(InvdeskError):  # placed by an earlier shot, or short
            orders.place_order(db, cmd, actor)
    placed = orders.list_orders(db, actor, OrderStatus.OPEN)
    return tuple(o.reference for o in placed if o.reference in ORDERS)


def pick_list_page(window: MainWindow) -> QWidget:
    """The first page of the demo's pick list as printed: its PDF rasterised by pdftoppm (as a
    print driver would), or painted by Qt when poppler-utils is not installed (A4, 100 dpi)."""
    refs = _with_orders(window)
    document = pick_list(window.db, window.actor, refs)
    pixmap = _pdf_page(document)
    if pixmap is None:
        (image,) = documents.page_images(document, A4, dpi=PAGE_DPI, last=0)
        pixmap = QPixmap.fromImage(image)
    label = QLabel()
    label.setPixmap(pixmap)
    label.resize(pixmap.width(), pixmap.height())
    label.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    label.show()
    return label


def _pdf_page(document: Document) -> QPixmap | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        documents.to_pdf(document, f"{tmp}/pick.pdf", A4)
        command = [tool, "-r", str(PAGE_DPI), "-png", "-singlefile", f"{tmp}/pick.pdf"]
        subprocess.run([*command, f"{tmp}/page"], check=True, timeout=60)
        pixmap = QPixmap(f"{tmp}/page.png")
    return None if pixmap.isNull() else pixmap


def pick_list_dialog(window: MainWindow) -> QWidget:
    refs = _with_orders(window)
    page = window.open_page(OrdersPage)
    assert isinstance(page, OrdersPage)
    page.refresh()
    _settle()
    for row in range(page.orders_model.rowCount()):
        if page.orders_model.row_at(row).reference in refs:
            page.orders_table.selectionModel().select(
                page.orders_model.index(row, 0),
                page.orders_table.selectionModel().SelectionFlag.Select
                | page.orders_table.selectionModel().SelectionFlag.Rows,
            )
    dialog = page.pick_list_dialog()
    dialog.resize(760, 760)
    dialog.show()
    _settle()
    return dialog


def _settle() -> None:
    from invdesk.ui.screenshots import settle

    settle()
    settle()  # the document is read, then its page painted: two jobs one after the other
    QApplication.processEvents()


SHOTS = {
    "picklist-page": pick_list_page,
    "dialog-picklist": pick_list_dialog,
}
