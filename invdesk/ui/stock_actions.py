"""What the toolbar actions do: open the stock dialogs and editors, look up scanned codes.

The dialogs come from `invdesk.ui.dialogs`, imported when first used. Their contract:
ReceiveDialog, IssueDialog, TransferDialog, ReturnDialog and AdjustDialog take
`(db, actor, parent=None, *, warehouse=None, lines=())`, emit `posted(StockResult)` and offer
`handle_scan(code) -> bool`; ProductEditor `(db, actor, parent=None, *, sku=None, barcode=None)`
and WarehouseEditor `(db, actor, parent=None, *, code=None)` emit `saved(view)`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from invdesk.domain.errors import InvdeskError, NotFound
from invdesk.services import browse

if TYPE_CHECKING:
    from invdesk.ui.main_window import MainWindow

DIALOGS = "invdesk.ui.dialogs"


def dialogs_available() -> bool:
    if DIALOGS in sys.modules:
        return True
    try:
        return importlib.util.find_spec(DIALOGS) is not None
    except (ImportError, ValueError):
        return False


class StockActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.open_dialogs: list[QDialog] = []
        self.prompt: QMessageBox | None = None

    # Stock dialogs ------------------------------------------------------------------------------

    def receive(self) -> None:
        self._stock("ReceiveDialog")

    def issue(self) -> None:
        self._stock("IssueDialog")

    def transfer(self) -> None:
        self._stock("TransferDialog")

    def return_(self) -> None:
        self._stock("ReturnDialog")

    def adjust(self) -> None:
        self._stock("AdjustDialog")

    def _stock(self, name: str, lines: tuple[tuple[str, int], ...] | None = None) -> QDialog | None:
        dialogs = self._dialogs()
        if dialogs is None:
            return None
        page = self.window.current_page()
        warehouse = getattr(page, "current_warehouse", lambda: None)()
        sku = getattr(page, "selected_sku", lambda: None)()
        chosen = lines if lines is not None else (((sku, 1),) if sku else ())
        dialog = getattr(dialogs, name)(
            self.window.db, self.window.actor, self.window, warehouse=warehouse, lines=chosen
        )
        dialog.posted.connect(lambda _result: self.window.data_changed.emit("stock"))
        return self._open(dialog)

    def open_stock_dialog(self, name: str, **kwargs: Any) -> QDialog | None:
        """A stock dialog pre-filled by the caller (e.g. a reorder suggestion)."""
        dialogs = self._dialogs()
        if dialogs is None:
            return None
        dialog = getattr(dialogs, name)(self.window.db, self.window.actor, self.window, **kwargs)
        dialog.posted.connect(lambda _result: self.window.data_changed.emit("stock"))
        return self._open(dialog)

    def edit_product(self, *, sku: str | None = None, barcode: str | None = None) -> None:
        dialogs = self._dialogs()
        if dialogs is None:
            return
        editor = dialogs.ProductEditor(
            self.window.db, self.window.actor, self.window, sku=sku, barcode=barcode
        )
        editor.saved.connect(lambda _view: self.window.data_changed.emit("products"))
        self._open(editor)

    def edit_warehouse(self, *, code: str | None = None) -> None:
        dialogs = self._dialogs()
        if dialogs is None:
            return
        editor = dialogs.WarehouseEditor(self.window.db, self.window.actor, self.window, code=code)
        editor.saved.connect(lambda _view: self.window.data_changed.emit("warehouses"))
        self._open(editor)

    def _dialogs(self) -> ModuleType | None:
        try:
            return importlib.import_module(DIALOGS)
        except ModuleNotFoundError as error:
            if error.name != DIALOGS:
                raise
            self._tell("The stock dialogs are not part of this build of invdesk.")
            return None

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open_dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def close_dialogs(self) -> None:
        """Close what the window opened (a half-filled document is not posted)."""
        for dialog in list(self.open_dialogs):
            if shiboken6.isValid(dialog):
                dialog.close()
        self.open_dialogs.clear()

    def _closed(self, dialog: QDialog) -> None:
        if dialog in self.open_dialogs:
            self.open_dialogs.remove(dialog)

    def scan_target(self) -> Any:
        """The newest open dialog that takes scans, or None (the window in front is asked
        first, by `scanning.route_scan`)."""
        for dialog in reversed(self.open_dialogs):
            if shiboken6.isValid(dialog) and dialog.isVisible() and hasattr(dialog, "handle_scan"):
                return dialog
        return None

    # Look-up ------------------------------------------------------------------------------------

    def look_up(self, code: str) -> None:
        """Show the product a code names, or say clearly that none does."""
        try:
            match = browse.find_product(self.window.db, self.window.actor, code)
        except NotFound:
            self.window.flash(False, f"Unknown code {code}")
            self._offer_attach(code)
            return
        except InvdeskError as error:
            self.window.flash(False, error.message)
            return
        pack = f" · case of {match.pack_qty}" if match.pack_qty > 1 else ""
        self.window.flash(True, f"{match.sku} · {match.name}{pack}")
        from invdesk.ui.pages.products import ProductsPage

        products = self.window.open_page(ProductsPage)
        assert isinstance(products, ProductsPage)
        products.show_product(match.sku, match.active)
        if dialogs_available():
            self.edit_product(sku=match.sku)

    def _offer_attach(self, code: str) -> None:
        if self.prompt is not None and shiboken6.isValid(self.prompt):
            self.prompt.close()  # a newer scan replaces the question about an older one
        box = QMessageBox(QMessageBox.Icon.Warning, "Unknown code", "", parent=self.window)
        box.setText(f"No product has the SKU or barcode “{code}”.")
        box.setInformativeText("Attach this barcode to a product, or close to scan again.")
        attach = box.addButton("Attach to a product…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(attach)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        attach.clicked.connect(lambda: self.edit_product(barcode=code))
        self.prompt = box
        box.open()

    def _tell(self, text: str, parent: QWidget | None = None) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "invdesk", text, parent=parent or self.window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.prompt = box
        box.open()
