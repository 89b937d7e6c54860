"""The PO window's changes (mixed into PurchaseOrderDialog before QDialog): save, send, amend,
cancel, reload after a conflict, print and receive. Each change is one service call on the
application's background runner; the window shows the order as the service returned it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from invdesk.domain.errors import Conflict, InvdeskError
from invdesk.domain.purchasing import CreatePurchase, EditPurchase, POStatus, PurchaseOrderView
from invdesk.domain.security import Actor
from invdesk.reports.documents.purchase_order import purchase_order
from invdesk.services.purchasing import orders
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.print_document import PrintDocumentDialog

if TYPE_CHECKING:
    from invdesk.ui.dialogs.purchase_order import PurchaseOrderDialog

    _Base = PurchaseOrderDialog
else:
    _Base = object


def po_print_dialog(
    db: Database, actor: Actor, number: str, parent: QWidget | None = None
) -> PrintDocumentDialog:
    """A PO as the supplier gets it (PDF or printer); read off the GUI thread when shown."""
    dialog = PrintDocumentDialog(
        f"Purchase order {number}", lambda: purchase_order(db, actor, number), parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


class ChangesPurchaseOrder(_Base):
    # Changes ------------------------------------------------------------------------------------
    def _write(self) -> Callable[[], PurchaseOrderView]:
        """The save the form asks for, as work for the background runner."""
        db, actor, lines = self._db, self._actor, self.model.order_lines()
        expected = self.expected.text().strip() or None
        notes = self.notes.text().strip() or None
        if self.order is None:
            command: Any = CreatePurchase(
                self.supplier.currentData(), self.warehouse.code() or "", lines, expected, notes
            )
            return lambda: orders.create_po(db, command, actor)
        edit = EditPurchase(
            self.order.number,
            lines=lines,
            expected=expected or "",
            notes=notes or "",
            reason=self.reason.text().strip() or None if self.amending() else None,
            expected_version=self.order.version,
        )
        return lambda: orders.edit_po(db, edit, actor)

    def save(self) -> None:
        if not self.save_button.isHidden() and self.save_button.isEnabled():
            self._run(self._write())

    def send(self) -> None:
        """Save what is on screen, then send it (the order becomes on order for the policies)."""
        if not self.send_button.isEnabled() or self.send_button.isHidden():
            return
        db, actor, write, current = self._db, self._actor, self._write(), self.order
        dirty = self._dirty or current is None

        def work() -> PurchaseOrderView:
            order = write() if dirty else current
            assert order is not None
            return orders.send_po(db, order.number, actor, expected_version=order.version)

        self._run(work)

    def ask_cancel(self) -> None:
        order = self.order
        if order is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Cancel purchase order", "", parent=self)
        rest = " The rest that is still open is closed." if order.status is POStatus.PARTIAL else ""
        box.setText(f"Cancel {order.number}?{rest}")
        box.setInformativeText("Nothing more can be received against it.")
        yes = box.addButton("Cancel the &order", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        yes.clicked.connect(lambda _checked=False: self.cancel_order())
        self.question = box
        box.open()

    def cancel_order(self) -> None:
        order, db, actor = self.order, self._db, self._actor
        if order is None:
            return
        reason = self.reason.text().strip() or None
        self._run(
            lambda: orders.cancel_po(
                db, order.number, actor, reason=reason, expected_version=order.version
            )
        )

    def _run(self, work: Callable[[], PurchaseOrderView]) -> None:
        self.busy = True
        self._changed()
        self.setCursor(Qt.CursorShape.BusyCursor)
        background.default().run(work, self._done, self._refused, parent=self)

    def _done(self, order: PurchaseOrderView) -> None:
        self.busy = False
        self.unsetCursor()
        self._show_order(order)
        self.status.say(f"{order.number} saved: {order.status.value}.", ok=True)
        self.saved.emit(order)

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        self.unsetCursor()
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self._changed()
        if isinstance(error, Conflict) and error.field is None and self.order is not None:
            self.conflict.show_conflict(f"Purchase order {self.order.number}")
        elif error.field in self.form.widgets:
            self.form.show({error.field: error.message})
        else:
            self.error.show_message(error.message)
        self.save_button.setEnabled(self.conflict.isHidden())

    def reload(self) -> None:
        if self.order is None:
            return
        try:
            order = orders.get_po(self._db, self.order.number, self._actor)
        except InvdeskError as error:
            self.error.show_message(error.message)
            return
        self.conflict.hide()
        self._show_order(order)

    def _print(self) -> None:
        if self.order is not None:
            po_print_dialog(self._db, self._actor, self.order.number, self).open()

    def _receive(self) -> None:
        if self.order is not None:
            self.receive_requested.emit(self.order.number, self.order.warehouse)
            self.accept()
