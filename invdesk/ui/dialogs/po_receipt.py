"""The receive dialog's purchase-order half (mixed into ReceiveDialog before its base).

With a PO open, the document is a delivery against it: the warehouse and reference are the PO's,
the unit costs its prices (the cost column goes), a product not on it is refused, and posting
calls `receive_po` with the dialog's request id (kept in the draft, so a retry books once).
More than is open on a line asks first; yes posts again with `confirm_over`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSplitter, QVBoxLayout

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import OverLine, OverReceipt, PurchaseOrderView, ReceivePurchase
from invdesk.services.purchasing import receiving
from invdesk.services.reads.dialog_lookups import ScannedCode
from invdesk.services.system.database import Database
from invdesk.ui.background import Job
from invdesk.ui.dialogs.lines import Column
from invdesk.ui.dialogs.po_receiving import OpenOrder, looks_like_po
from invdesk.ui.dialogs.widgets import FieldForm

if TYPE_CHECKING:
    from invdesk.ui.dialogs.stock_dialogs import _SingleWarehouseDialog

    _Base = _SingleWarehouseDialog
else:
    _Base = object


def over_text(number: str, over: tuple[OverLine, ...]) -> str:
    parts = "; ".join(
        f"{ln.sku}: {ln.received + ln.incoming:,} of {ln.ordered:,} ordered" for ln in over[:5]
    )
    more = f" and {len(over) - 5} more" if len(over) > 5 else ""
    return f"{number} would receive more than ordered ({parts}{more})."


class ReceivesAgainstPO(_Base):
    """Opening a PO in a receipt, ticking its lines off, and posting against it."""

    confirm_over = False
    over_question: QMessageBox | None = None

    def add_po_field(self, form: FieldForm) -> None:
        """In build_header: the PO field, under the warehouse."""
        self.purchase = OpenOrder(self._db, self._actor, lambda: self.runner, self)
        form.add("&Purchase order:", self.purchase.field, "po")
        self.purchase.opened.connect(self._po_opened)
        self.purchase.refused.connect(self._po_refused)
        self.purchase.closed.connect(self._po_closed)

    def place_checklist(self) -> None:
        """After the frame is built: the PO's checklist above the scanned lines."""
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        at = outer.indexOf(self.table)
        outer.removeWidget(self.table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.purchase.table)
        split.addWidget(self.table)
        split.setChildrenCollapsible(False)
        outer.insertWidget(at, split, 1)
        self.model.lines_changed.connect(self._count_delivery)

    # Scans --------------------------------------------------------------------------------------
    def add_code(self, code: str, qty: int = 1, *, quiet: bool = False) -> bool:
        if looks_like_po(code):  # the printed PO's barcode: open it
            self.purchase.open(code)
            self.status.hint(f"Opening {code.strip().upper()}…")
            return True
        return super().add_code(code, qty, quiet=quiet)

    def refuse_item(self, item: ScannedCode) -> str | None:
        return self.purchase.refusal(item.sku)

    def scan_note(self, sku: str) -> str:
        return self.purchase.progress(sku)

    def _count_delivery(self) -> None:
        """Every change of the scanned lines: their units per SKU against the PO's lines."""
        self.confirm_over = False  # a confirmation was for the lines as they were
        if self.purchase.order is None:
            return
        incoming: dict[str, int] = {}
        for line in self.model.lines:
            units = (line.qty or 0) * line.item.pack_qty
            incoming[line.item.sku] = incoming.get(line.item.sku, 0) + units
        self.purchase.model.set_incoming(incoming)

    def _po_opened(self, order: PurchaseOrderView) -> None:
        self.warehouse.set_code(order.warehouse)
        self.warehouse.setEnabled(False)
        self.reference.setText(order.number)
        self.reference.setReadOnly(True)
        if Column.COST in self.columns:  # the PO's prices are the unit costs
            self.table.setColumnHidden(list(self.columns).index(Column.COST), True)
        self.heading.set_title(f"Receive {order.number} from {order.supplier_name}")
        open_lines = sum(line.open > 0 for line in order.lines)
        self._count_delivery()
        self._changed()
        self.status.say(
            f"{order.number}: {open_lines} open line{'s' if open_lines != 1 else ''} from "
            f"{order.supplier}; scan the delivery.",
            ok=True,
        )
        self.scan.flash("ok")
        self.scan.setFocus()

    def _po_closed(self) -> None:
        """Back to a plain receipt: the header is the clerk's again, costs may be typed."""
        self.warehouse.setEnabled(True)
        self.reference.setReadOnly(False)
        self.reference.clear()
        if Column.COST in self.columns:
            self.table.setColumnHidden(list(self.columns).index(Column.COST), False)
        self.heading.set_title(self.title)
        self._changed()
        self.status.hint("No purchase order: the lines are booked as a plain receipt.")

    def _po_refused(self, message: str) -> None:
        self.status.say(message, ok=False)
        self.scan.flash("unknown")
        self._changed()

    def po_problems(self) -> dict[str, str]:
        """Header problems of a PO receipt: still opening, or lines the PO does not have."""
        if self.purchase.loading:
            return {"po": f"Opening {self.purchase.loading}…"}
        order = self.purchase.order
        if order is None:
            return {}
        strays = sorted(
            {ln.item.sku for ln in self.model.lines} - self.purchase.model.rows_by_sku.keys()
        )
        if strays:
            return {"po": f"Not on {order.number}: {', '.join(strays)}. Remove those lines."}
        return {}

    # Posting ------------------------------------------------------------------------------------
    def po_command(self) -> ReceivePurchase | None:
        order = self.purchase.order
        if order is None:
            return None
        return ReceivePurchase(
            order.number,
            self.model.to_lines(),
            confirm_over=self.confirm_over,
            request_id=self.request_id,
        )

    def po_service(self) -> Callable[[Database, Any, Any], Any]:
        return receiving.receive_po

    def post(self) -> Job | None:
        order = self.purchase.order
        if order is not None and not self.confirm_over and self.can_post() and not self._posting:
            over = self.purchase.model.over()
            if over:
                self.ask_over(over_text(order.number, over))
                return None
        return super().post()

    def _failed(self, error: InvdeskError) -> None:
        if isinstance(error, OverReceipt) and not self.confirm_over:
            # Another delivery was booked meanwhile: the service counted the line past its order.
            self._set_posting(False)
            self.revalidate()  # Post enabled again: the answer may post once more
            self.ask_over(error.message)
            return
        super()._failed(error)

    def ask_over(self, message: str) -> None:
        """Receive more than ordered? Keyboard only: Enter keeps the lines (the safe answer; a
        scanner's Enter never reaches this box), Alt+R receives the extra."""
        box = QMessageBox(QMessageBox.Icon.Warning, "More than ordered", "", parent=self)
        box.setText(message.split(" Confirm")[0])
        box.setInformativeText("Receive the extra units anyway?")
        yes = box.addButton("&Receive the extra", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        yes.clicked.connect(lambda _checked=False: self._confirmed())
        self.over_question = box
        box.open()

    def _confirmed(self) -> None:
        self.confirm_over = True
        super().post()
