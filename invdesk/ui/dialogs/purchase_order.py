"""A purchase order's window: write a draft, send it, amend a sent one (with a reason, audited),
cancel it, or open the receive dialog on it. Lines show units and the supplier's packs, the price,
what was received and what is still open.

Reading the order and its supplier's terms happens when the window opens (one short read, as the
other editors do); every change runs on the application's background runner."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import (
    FINAL,
    NOTES_MAX,
    POStatus,
    PurchaseOrderView,
    SupplierLinkView,
)
from invdesk.domain.security import Actor, Permission
from invdesk.domain.validation import MAX_QTY
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders
from invdesk.services.reads import dialog_lookups
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.line_table import LineTable
from invdesk.ui.dialogs.po_changes import ChangesPurchaseOrder
from invdesk.ui.dialogs.po_lines import POColumn, POLineModel, from_link, from_view
from invdesk.ui.dialogs.widgets import (
    ConflictBar,
    ErrorLabel,
    FieldForm,
    Heading,
    StatusLine,
    WarehouseCombo,
    regex_validator,
)

COLUMN_WIDTHS = {
    POColumn.SKU: 90,
    POColumn.SUPPLIER_SKU: 110,
    POColumn.ORDERED: 130,
    POColumn.PACKS: 100,
    POColumn.UNIT_PRICE: 95,
    POColumn.TOTAL: 95,
    POColumn.RECEIVED: 90,
    POColumn.OPEN: 70,
}


class PurchaseOrderDialog(ChangesPurchaseOrder, QDialog):
    """A new PO (number None; `supplier`, `warehouse` preselected) or an existing one."""

    saved = Signal(object)
    """A PurchaseOrderView after any change (saved, sent, amended, cancelled)."""
    receive_requested = Signal(str, str)
    """(number, warehouse): open the receive dialog on this PO."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        number: str | None = None,
        supplier: str | None = None,
        warehouse: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.order: PurchaseOrderView | None = None
        self.links: dict[str, SupplierLinkView] = {}
        self.busy = False
        self.question: QMessageBox | None = None
        self.setMinimumSize(900, 560)
        self.setWindowTitle("New purchase order")
        outer = QVBoxLayout(self)
        self.heading = Heading(
            "New purchase order", "Scan or type products; quantities round up to whole packs."
        )
        outer.addWidget(self.heading)
        self.conflict = ConflictBar(self)
        outer.addWidget(self.conflict)
        layout = QFormLayout()
        self.form = FieldForm(layout)
        self._build_header(supplier, warehouse)
        outer.addLayout(layout)
        self._build_lines(outer)
        self._build_buttons(outer)
        if number is not None:
            self._show_order(orders.get_po(db, number, actor))
            self.table.setFocus()  # arrows and digits edit the lines; the header is a Tab away
        else:
            self._read_links()
            self.product.setFocus()
        self._changed()
        self._dirty = False

    # Building -----------------------------------------------------------------------------------
    def _build_header(self, supplier: str | None, warehouse: str | None) -> None:
        self.supplier = QComboBox(self)
        for s in suppliers.list_suppliers(self._db, self._actor, include_inactive=False):
            self.supplier.addItem(f"{s.code}  {s.name}", s.code)
        if supplier is not None:
            self.supplier.setCurrentIndex(max(0, self.supplier.findData(supplier)))
        self.form.add("S&upplier:", self.supplier, "supplier")
        self.warehouse = WarehouseCombo(self)
        self.warehouse.fill(dialog_lookups.active_warehouses(self._db, self._actor), warehouse)
        self.form.add("&Deliver to:", self.warehouse, "warehouse")
        self.expected = QLineEdit(self)
        self.expected.setPlaceholderText("YYYY-MM-DD (optional)")
        self.expected.setValidator(regex_validator(r"\d{0,4}-?\d{0,2}-?\d{0,2}", self.expected))
        self.form.add("E&xpected:", self.expected, "expected")
        self.notes = QLineEdit(self)
        self.notes.setMaxLength(NOTES_MAX)
        self.form.add("No&tes:", self.notes, "notes")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why the sent order changes (kept in the audit trail)")
        self.form.add("Reaso&n:", self.reason, "reason")
        self.supplier.currentIndexChanged.connect(self._read_links)
        for field in (self.expected, self.notes, self.reason):
            field.textChanged.connect(self._changed)
        self.warehouse.currentIndexChanged.connect(self._changed)

    def _build_lines(self, outer: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.product = QLineEdit(self)
        self.product.setPlaceholderText("Scan or type a SKU or barcode, Enter adds it")
        self.qty = QSpinBox(self)
        self.qty.setRange(1, MAX_QTY)
        self.qty.setPrefix("× ")
        self.add_button = QPushButton("&Add", self)
        self.add_button.setAutoDefault(False)
        label = QLabel("&Product:", self)
        label.setBuddy(self.product)
        for widget in (label, self.product, self.qty, self.add_button):
            row.addWidget(widget, 1 if widget is self.product else 0)
        outer.addLayout(row)
        self.status = StatusLine(self)
        outer.addWidget(self.status)
        self.model = POLineModel(self)
        self.table = LineTable(int(POColumn.ORDERED), self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(POColumn.PRODUCT, QHeaderView.ResizeMode.Stretch)
        outer.addWidget(self.table, 1)
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)
        self.product.returnPressed.connect(self.add_typed)
        self.add_button.clicked.connect(self.add_typed)
        self.model.lines_changed.connect(self._changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

    def _build_buttons(self, outer: QVBoxLayout) -> None:
        self.summary = QLabel(self)
        self.buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.cancel_po_button = self.buttons.addButton("Cancel &order…", role.DestructiveRole)
        self.receive_button = self.buttons.addButton("Recei&ve…", role.ActionRole)
        self.print_button = self.buttons.addButton("Pr&int…", role.ActionRole)
        self.send_button = self.buttons.addButton("S&end", role.ActionRole)
        self.save_button = self.buttons.addButton("&Save", role.ApplyRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.send_button.clicked.connect(self.send)
        self.cancel_po_button.clicked.connect(self.ask_cancel)
        self.receive_button.clicked.connect(self._receive)
        self.print_button.clicked.connect(self._print)
        self.buttons.rejected.connect(self.reject)
        self.conflict.reload_requested.connect(self.reload)
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

    # State --------------------------------------------------------------------------------------
    @property
    def status_now(self) -> POStatus | None:
        return None if self.order is None else self.order.status

    def _can_write(self) -> bool:
        return self._actor.can(Permission.PURCHASING) and self.status_now not in FINAL

    def amending(self) -> bool:
        return self.status_now in (POStatus.SENT, POStatus.PARTIAL)

    def _show_order(self, order: PurchaseOrderView) -> None:
        self.order = order
        title = f"{order.number} · {order.status.value.capitalize()}"
        self.setWindowTitle(f"Purchase order {order.number}")
        self.heading.set_title(title)
        self.supplier.setCurrentIndex(self.supplier.findData(order.supplier))
        if self.supplier.currentData() != order.supplier:  # an inactive supplier's old PO
            self.supplier.addItem(f"{order.supplier}  {order.supplier_name}", order.supplier)
            self.supplier.setCurrentIndex(self.supplier.count() - 1)
        self.warehouse.set_code(order.warehouse)
        self.expected.setText("" if order.expected is None else order.expected.isoformat())
        self.notes.setText(order.notes or "")
        self.reason.clear()
        self.model.set_lines([from_view(line) for line in order.lines])
        self._read_links()
        self._lock_fields()
        self._dirty = False
        self._changed()
        self._dirty = False

    def _lock_fields(self) -> None:
        writable = self._can_write()
        self.supplier.setEnabled(self.order is None)
        self.warehouse.setEnabled(writable and self.status_now in (None, POStatus.DRAFT))
        for field in (self.expected, self.notes, self.product):
            field.setReadOnly(not writable)
        self.qty.setEnabled(writable)
        self.add_button.setEnabled(writable)
        self.model.editable = writable
        self.form.set_visible("reason", self.amending() and writable)
        self.save_button.setText("&Save amendment" if self.amending() else "&Save")
        self.save_button.setVisible(writable)
        self.send_button.setVisible(writable and self.status_now in (None, POStatus.DRAFT))
        self.cancel_po_button.setVisible(writable and self.order is not None)
        self.print_button.setVisible(self.order is not None)
        self.receive_button.setVisible(self.amending() and self._actor.can(Permission.STOCK))

    def _changed(self, *_: Any) -> None:
        self._dirty = True
        self.error.show_message(None)
        problems = self.problems()
        self.form.show({k: v for k, v in problems.items() if k != "lines"})
        if "lines" in problems:
            self.error.show_message(problems["lines"])
        count = len(self.model.lines)
        open_units = sum(max(0, (ln.ordered or 0) - ln.received) for ln in self.model.lines)
        self.summary.setText(
            f"{count} line{'s' if count != 1 else ''} · total {self.model.total():,.2f}"
            + (f" · {open_units:,} units open" if self.order is not None else "")
        )
        ok = not problems and not self.busy and self.conflict.isHidden()
        self.save_button.setEnabled(ok and bool(self.model.lines))
        self.send_button.setEnabled(ok and bool(self.model.lines))

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.supplier.currentData() is None:
            found["supplier"] = "Add a supplier under Suppliers first."
        if not self.warehouse.code():
            found["warehouse"] = "Choose where the goods go."
        if self.amending() and self._dirty_lines() and not self.reason.text().strip():
            found["reason"] = "Say why a sent order changes."
        line_problems = self.model.problems()
        if line_problems:
            found["lines"] = line_problems[0]
        return found

    def _dirty_lines(self) -> bool:
        if self.order is None:
            return True
        before = [(ln.sku, ln.ordered, ln.unit_price) for ln in self.order.lines]
        now = [(ln.sku, ln.ordered, ln.unit_price) for ln in self.model.lines]
        return before != now

    # Lines --------------------------------------------------------------------------------------
    def _read_links(self, *_: Any) -> None:
        code = self.supplier.currentData()
        if code is None:
            self.links = {}
            return
        try:
            found = suppliers.supplier_links(self._db, self._actor, supplier=code)
        except InvdeskError:
            found = []
        self.links = {link.sku: link for link in found}
        self._changed()

    def handle_scan(self, code: str) -> bool:
        """A scanned product label adds it (rounded up to the supplier's pack)."""
        if not self._can_write():
            self.status.say(f"Scan {code} not taken: this order cannot change.", ok=False)
            return False
        return self.add_code(code.strip(), 1)

    def add_typed(self) -> None:
        if self.add_code(self.product.text().strip(), self.qty.value()):
            self.product.clear()
            self.qty.setValue(1)
        else:
            self.product.selectAll()
        self.product.setFocus()

    def add_code(self, code: str, wanted: int) -> bool:
        if not code or not self._can_write():
            return False
        try:
            item = dialog_lookups.resolve_code(self._db, self._actor, code)
        except InvdeskError as error:
            self.status.say(f"“{code}”: {error.message}", ok=False)
            return False
        link = self.links.get(item.sku)
        row = self.model.add(from_link(item.sku, item.name, link, wanted * item.pack_qty))
        line = self.model.lines[row]
        self.table.setCurrentIndex(self.model.index(row, POColumn.ORDERED))
        terms = "" if link is not None else f" ({self.supplier.currentData()} has no terms for it)"
        self.status.say(f"{item.sku}: {line.ordered_text} units{terms}", ok=link is not None)
        return True

    def remove_selected(self) -> None:
        if not self._can_write():
            return
        rows = [i.row() for i in self.table.selectionModel().selectedRows()]
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        kept = self.model.remove_rows(rows)
        if kept:
            self.status.say(f"Kept {', '.join(kept)}: received from already.", ok=False)
