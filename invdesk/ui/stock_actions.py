"""What the toolbar actions do: open the stock dialogs and editors, look up scanned codes.

The dialogs come from `invdesk.ui.dialogs` (looked up there when opened, so a test can stand
in for them). Their contract: ReceiveDialog, IssueDialog, TransferDialog, ReturnDialog and AdjustDialog take
`(db, actor, parent=None, *, warehouse=None, lines=())`, emit `posted(StockResult)` and offer
`handle_scan(code) -> bool`; ProductEditor `(db, actor, parent=None, *, sku=None, barcode=None)`
and WarehouseEditor `(db, actor, parent=None, *, code=None)` emit `saved(view)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from invdesk.domain.errors import InvdeskError, NotFound
from invdesk.services.catalog import locations
from invdesk.services.reads import browse, dialog_lookups
from invdesk.services.system.database import describe
from invdesk.ui import dialogs
from invdesk.ui.drafts import Draft, DraftStore

if TYPE_CHECKING:
    from invdesk.ui.window_host import WindowHost


class StockActions:
    def __init__(self, window: WindowHost) -> None:
        self.window = window
        self.open_dialogs: list[QDialog] = []
        self.prompt: QMessageBox | None = None
        self.draft_questions: list[QMessageBox] = []
        self.label_offer: QMessageBox | None = None

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

    def _stock(self, name: str, lines: tuple[tuple[str, int], ...] = ()) -> QDialog:
        """An empty document on the page's warehouse: nothing is on it until it is scanned
        (or the user asked for a product, `for_product`)."""
        warehouse = self.window.current_page().current_warehouse()
        return self.open_stock_dialog(name, warehouse=warehouse, lines=lines)

    def for_product(self, name: str, sku: str) -> QDialog:
        """ "Receive this product" and the like: the document opens with one of it, asked for."""
        return self._stock(name, ((sku, 1),))

    def open_stock_dialog(self, name: str, **kwargs: Any) -> QDialog:
        """A stock dialog by its class name in `invdesk.ui.dialogs` (the name a draft keeps),
        pre-filled by the caller (e.g. a reorder suggestion, a draft). It posts in the
        background and opens at the size this PC last gave documents."""
        kind = getattr(dialogs, name)
        dialog: Any = kind(self.window.db, self.window.actor, self.window, **kwargs)
        dialog.posted.connect(lambda _result: self.window.data_changed.emit("stock"))
        if name == "ReceiveDialog":
            dialog.posted.connect(self.offer_labels)
        settings = self.window.settings
        size = settings.value(f"documents/{name}/size")
        if isinstance(size, QSize) and size.isValid():
            dialog.resize(size)
        dialog.finished.connect(
            lambda _r: settings.setValue(f"documents/{name}/size", dialog.size())
        )
        return self._open(dialog)

    def offer_labels(self, result: Any) -> None:
        """After a receipt: labels for what came in (unless this user turned the offer off)."""
        from invdesk.ui.printing import label_actions

        window = self.window
        self.label_offer = label_actions.offer_after_receipt(
            window, window.db, window.actor, result, window.settings
        )

    def offer_drafts(self) -> None:
        """Documents left unposted by a crash or power cut on this PC: reopen, keep or discard."""
        store = DraftStore()
        for draft in store.load(describe(self.window.db), self.window.actor.username):
            box = QMessageBox(
                QMessageBox.Icon.Question, "Unposted document", "", parent=self.window
            )
            box.setText(f"{draft.describe()}, was not posted.")
            box.setInformativeText(
                "invdesk closed before it was posted or discarded. Reopen it to go on scanning."
            )
            reopen = box.addButton("&Reopen", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
            discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(reopen)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            reopen.clicked.connect(lambda _checked=False, d=draft: self._reopen(d))
            discard.clicked.connect(lambda _checked=False, d=draft: store.remove(d.request_id))
            self.draft_questions.append(box)
            box.open()

    def edit_product(self, *, sku: str | None = None, barcode: str | None = None) -> None:
        editor = dialogs.ProductEditor(
            self.window.db, self.window.actor, self.window, sku=sku, barcode=barcode
        )
        editor.saved.connect(lambda _view: self.window.data_changed.emit("products"))
        self._open(editor)

    def edit_warehouse(self, *, code: str | None = None) -> None:
        editor = dialogs.WarehouseEditor(self.window.db, self.window.actor, self.window, code=code)
        editor.saved.connect(lambda _view: self.window.data_changed.emit("warehouses"))
        self._open(editor)

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open_dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _reopen(self, draft: Draft) -> None:
        # After the question has closed, so the document is the window in front.
        QTimer.singleShot(0, self.window, lambda: self.open_stock_dialog(draft.kind, draft=draft))

    def close_dialogs(self, *, ask: bool = True) -> bool:
        """Close what the window opened. A document with lines asks first (False: the clerk
        kept it open); without `ask` (the session ended) it stays as a draft for next time."""
        for dialog in list(self.open_dialogs):
            if not shiboken6.isValid(dialog):
                continue
            if not ask and hasattr(dialog, "close_keeping_draft"):
                dialog.close_keeping_draft()
            elif not dialog.close():
                return False
        self.open_dialogs.clear()
        return True

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
        """Show the product a code names, or say clearly that none does. A purchase order's
        number (its printed barcode) opens the receive dialog on it."""
        from invdesk.domain.security import Permission
        from invdesk.ui.dialogs.po_receiving import looks_like_po

        if looks_like_po(code) and self.window.actor.can(Permission.STOCK):
            self.window.flash(True, f"Receiving against {code.strip().upper()}")
            self.open_stock_dialog("ReceiveDialog", po=code)
            return
        try:
            match = browse.find_product(self.window.db, self.window.actor, code)
        except NotFound:
            if self._location(code):
                return
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
        self.edit_product(sku=match.sku)

    def _location(self, code: str) -> bool:
        """A code that names no product may be a location: of the page's warehouse, else of any
        active one (a handful). Says what it holds; False if it is no location either."""
        db, actor = self.window.db, self.window.actor
        current = self.window.current_page().current_warehouse()
        try:
            codes = [current] if current else [
                w.code for w in dialog_lookups.active_warehouses(db, actor)
            ]  # fmt: skip
            for warehouse in codes:
                found = locations.find_location(db, actor, warehouse, code)
                if found is not None:
                    self.window.flash(
                        True,
                        f"Location {found.code} in {found.warehouse} · {found.on_hand:,} units",
                    )
                    return True
        except InvdeskError:
            return False
        return False

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
