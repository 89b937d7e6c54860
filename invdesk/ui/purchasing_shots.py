"""Screenshots of purchasing: a PO's window, a delivery scanned against a PO, the supplier editor
and the Reorder page after turning suggestions into draft POs.

The demo data has suppliers and POs in every status (services.demo.purchasing); these factories
open them as a manager would, and scan a delivery through the receive dialog's own scan path.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from invdesk.domain.purchasing import POStatus
from invdesk.services.purchasing import orders
from invdesk.ui import background
from invdesk.ui.dialogs import ReceiveDialog
from invdesk.ui.dialogs.purchase_order import PurchaseOrderDialog
from invdesk.ui.dialogs.supplier_editor import SupplierEditor
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.purchase_orders import PurchaseOrdersPage
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.suppliers import SuppliersPage


def _settle() -> None:
    for _ in range(3):
        background.default().wait()
        QApplication.processEvents()


def _number(window: MainWindow, status: POStatus) -> str:
    return orders.list_pos(window.db, window.actor, status=status.value)[0].number


def purchase_order(window: MainWindow) -> QWidget:
    """The partly received PO: ordered in units and packs, received, still open."""
    window.open_page(PurchaseOrdersPage)
    dialog = PurchaseOrderDialog(
        window.db, window.actor, window, number=_number(window, POStatus.PARTIAL)
    )
    dialog.resize(1040, 560)
    dialog.show()
    return dialog


def receive_against_po(window: MainWindow) -> QWidget:
    """A sent PO opened by its number in the receive dialog, a few lines scanned, one over."""
    sent = orders.list_pos(window.db, window.actor, status=POStatus.SENT.value)
    po = max(
        (orders.get_po(window.db, p.number, window.actor) for p in sent),
        key=lambda p: len(p.lines),
    )
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", warehouse="MAIN")
    assert isinstance(dialog, ReceiveDialog)
    dialog.handle_scan(po.number)
    _settle()
    first, *others = po.lines
    for _ in range(first.ordered):
        dialog.handle_scan(first.sku)
    for line in others[:1]:
        for _ in range(max(1, line.ordered // 2)):
            dialog.handle_scan(line.sku)
    dialog.handle_scan(first.sku)  # one more than ordered: shown as over before posting
    dialog.resize(1080, 720)
    return dialog


def supplier_editor(window: MainWindow) -> QWidget:
    window.open_page(SuppliersPage)
    editor = SupplierEditor(window.db, window.actor, window, code="ACME")
    editor.show()
    return editor


def reorder_drafts(window: MainWindow) -> QWidget:
    """Every purchase suggestion of MAIN turned into draft POs; those without a supplier apart."""
    page = window.open_page(ReorderPage)
    assert isinstance(page, ReorderPage)
    page.warehouse_filter.setCurrentIndex(max(0, page.warehouse_filter.findData("MAIN")))
    _settle()
    page.create_orders()
    _settle()
    return window


SHOTS = {
    "purchase-order": purchase_order,
    "receive-po": receive_against_po,
    "supplier-editor": supplier_editor,
    "reorder-drafts": reorder_drafts,
}
