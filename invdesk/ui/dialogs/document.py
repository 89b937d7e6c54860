"""The frame of a multi-line stock dialog: header fields, scan field, line table, errors, posting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError, NotFound
from invdesk.domain.security import Actor, Permission
from invdesk.domain.stock import StockResult
from invdesk.domain.validation import MAX_QTY
from invdesk.services.catalog import locations
from invdesk.services.reads import dialog_lookups
from invdesk.services.reads.dialog_lookups import ScannedCode
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.keeping import KeptDocument
from invdesk.ui.dialogs.line_table import CellDelegate, LineTable
from invdesk.ui.dialogs.lines import TEXT_COLUMNS, TRACKING_COLUMNS, Column, LineModel
from invdesk.ui.dialogs.posting import PostingDialog
from invdesk.ui.dialogs.widgets import (
    ErrorLabel,
    FieldForm,
    Heading,
    ScanField,
    StatusLine,
)
from invdesk.ui.drafts import Draft

LINE_FIELDS = frozenset({"product", "qty", "unit_cost", "lines", "counted"})
DEFAULT_SIZE = QSize(1080, 720)
COLUMN_WIDTHS = {
    Column.CODE: 170,
    Column.QTY: 80,
    Column.UNITS: 190,  # "1,200 each (100 × 12)" uncut
    Column.AVAILABLE: 100,
    Column.COST: 110,
    Column.LOT: 120,
    Column.EXPIRY: 100,
    Column.SERIALS: 180,
}


class StockDocumentDialog(KeptDocument, PostingDialog):
    """Base of the receive, issue, transfer and return dialogs; subclasses add header fields."""

    title = "Stock document"
    hint = "Scan or type each product; every scan adds one (a case barcode adds a case)."
    post_text = "&Post"
    columns: Sequence[Column] = (
        Column.CODE,
        Column.PRODUCT,
        *TRACKING_COLUMNS,
        Column.QTY,
        Column.UNITS,
    )
    lot_required = False
    """A receipt: a lot-tracked product's line needs its lot (an issue picks one by expiry)."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        warehouse: str | None = None,
        lines: Sequence[tuple[str, int]] = (),
        draft: Draft | None = None,
    ) -> None:
        super().__init__(db, actor, parent)
        self.setWindowTitle(self.title)
        self.setMinimumSize(760, 520)
        self.resize(
            DEFAULT_SIZE
        )  # about 15 lines and uncut cells; the window keeps what a user sets
        self.keep_on_this_pc()
        self._unknown_code: str | None = None
        self.line_location: str | None = None
        """The location scanned last: the lines scanned after it go there (or come from it)."""
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.heading = Heading(self.title, self.hint, self)
        outer.addWidget(self.heading)
        form_layout = QFormLayout()
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = FieldForm(form_layout)
        self.build_header(self.form, warehouse)
        outer.addLayout(form_layout)
        self._build_scan_rows(outer)
        self._build_table(outer)
        self._build_bottom(outer)
        self._connect()
        for code, qty in lines:
            self.add_code(code, qty, quiet=True)
        if draft is not None:
            self.restore(draft)
        self.status.hint("Each scan adds one; Enter here adds the code, Ctrl+Enter posts.")
        self.scan.setFocus()
        self._changed()

    def _build_scan_rows(self, outer: QVBoxLayout) -> None:
        """The scan field with its count and Add button, and the line saying what a scan did."""
        scan_row = QHBoxLayout()
        self.scan = ScanField(self)
        self.scan_qty = QSpinBox(self)
        self.scan_qty.setRange(1, MAX_QTY)
        self.scan_qty.setPrefix("× ")
        self.scan_qty.setToolTip("How many of the next code to add (scans add one each)")
        self.add_button = QPushButton("&Add line", self)
        self.add_button.setAutoDefault(False)
        scan_label = QLabel("&Scan:", self)
        scan_label.setBuddy(self.scan)
        scan_row.addWidget(scan_label)
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.scan_qty)
        scan_row.addWidget(self.add_button)
        outer.addLayout(scan_row)
        status_row = QHBoxLayout()
        self.status = StatusLine(self)
        self.new_product_button = QPushButton("Attach this code…", self)
        self.new_product_button.setToolTip(
            "Attach the unknown code to a product, or create a new product with it"
        )
        self.new_product_button.setAutoDefault(False)
        self.new_product_button.hide()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.new_product_button)
        outer.addLayout(status_row)

    def _build_table(self, outer: QVBoxLayout) -> None:
        self.model = LineModel(list(self.columns), self)
        self.model.lot_required = self.lot_required
        qty_column = list(self.columns).index(Column.QTY)
        text_columns = frozenset(i for i, c in enumerate(self.columns) if c in TEXT_COLUMNS)
        self.table = LineTable(qty_column, self, text_columns=text_columns)
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(list(self.columns), self.table))
        header = self.table.horizontalHeader()
        for i, column in enumerate(self.columns):
            if column == Column.PRODUCT:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                self.table.setColumnWidth(i, COLUMN_WIDTHS.get(column, 100))
        self.show_needed_columns()
        outer.addWidget(self.table, 1)
        self.lines_error = ErrorLabel(self)
        outer.addWidget(self.lines_error)
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)

    def _build_bottom(self, outer: QVBoxLayout) -> None:
        """The summary, the posting progress, and Post / Cancel."""
        self.buttons = QDialogButtonBox(self)
        self.post_button = self.buttons.addButton(
            self.post_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.post_button.setDefault(True)
        self.post_button.setToolTip("Post the document (Enter or Ctrl+Enter)")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.summary = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # a post is one transaction: busy, not a percentage
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

    def _connect(self) -> None:
        self.scan.code_entered.connect(self._typed_code)
        self.add_button.clicked.connect(lambda: self._typed_code(self.scan.text().strip()))
        self.new_product_button.clicked.connect(self._new_product_for_code)
        self.buttons.accepted.connect(self.post)
        self.buttons.rejected.connect(self.reject)
        self.model.lines_changed.connect(self._changed)
        self.model.lines_changed.connect(self.show_needed_columns)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.post)
        QShortcut(QKeySequence("Ctrl+W"), self, activated=self.close)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected_lines)

    # Subclass hooks -----------------------------------------------------------------------------
    def build_header(self, form: FieldForm, warehouse: str | None) -> None:
        raise NotImplementedError

    def header_problems(self) -> dict[str, str]:
        """Live checks of the header fields: field name -> message."""
        return {}

    def command(self) -> Any:
        raise NotImplementedError

    def service(self) -> Callable[[Database, Any, Actor], StockResult]:
        raise NotImplementedError

    def stock_warehouse(self) -> str | None:
        """Where the Available column reads stock from (issue and transfer source)."""
        return None

    def location_warehouse(self) -> str | None:
        """The warehouse whose location codes a scan may name (None: none are recognised)."""
        return None

    def refuse_item(self, item: ScannedCode) -> str | None:
        """Why this document cannot take a known product (None: it can); a receipt against a
        purchase order refuses what is not on the order."""
        return None

    def scan_note(self, sku: str) -> str:
        """More to say after a scan of this product (a PO's "12 of 24 open")."""
        return ""

    def location_scanned(self, code: str) -> None:
        """A location's code was scanned: the lines scanned next go there (or come from it)."""
        self.line_location = code
        self.status.say(f"Location {code}: the next lines are booked there.", ok=True)

    # Scanning -----------------------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan routed here by the app-wide detector: one more of that code. Always consumed;
        refused (False) while the document is being posted."""
        if self._posting:
            self.status.say(f"Scan {code} not taken: the document is being posted.", ok=False)
            return False
        self.add_code(code.strip(" \t\r\n"), 1)  # not strip(): GS is white space to Python
        return True

    def add_code(self, code: str, qty: int = 1, *, quiet: bool = False) -> bool:
        """Add `qty` of a SKU, barcode or GS1 code as a line (or onto its line); False for an
        unknown code. A GS1 code fills the line's lot, expiry and serial, and its count is the
        quantity of one scan; the label of a serial is the next serial of the current line when
        that line's product is tracked by serial.

        `quiet` (lines handed to the constructor) skips the green flash and message.
        """
        self.new_product_button.hide()
        try:
            item = dialog_lookups.resolve_code(self._db, self._actor, code)
        except InvdeskError as error:
            unknown = isinstance(error, NotFound)
            # A location's barcode, else the serial label of the current line's unit.
            if unknown and (self._take_location(code) or self._serial_for_current_line(code)):
                return True
            self._unknown_code = code if unknown else None
            shown = code.replace("\x1d", "<GS>")
            message = f"Unknown code “{shown}”: nothing added." if unknown else error.message
            self.status.say(message, ok=False)
            self.scan.flash("unknown")
            self.new_product_button.setVisible(
                unknown and self._actor.can(Permission.CATALOG) and bool(code)
            )
            return False
        refusal = self.refuse_item(item)
        if refusal is not None:
            self.status.say(refusal, ok=False)
            self.scan.flash("unknown")
            return False
        count = item.scan.count if item.scan is not None and item.scan.count else 1
        try:
            row = self.model.add(item, qty * count, self.line_location)
        except InvdeskError as error:  # a serial scanned twice
            self.status.say(error.message, ok=False)
            self.scan.flash("unknown")
            return False
        self._show_row(row)
        if quiet:
            return True
        pack = f" (case of {item.pack_qty})" if item.pack_qty > 1 else ""
        said = (
            f" — {item.scan.describe()}" if item.scan is not None and item.scan.describe() else ""
        )
        said += self.scan_note(item.sku)
        self.status.say(f"Added {qty * count} × {item.code}{pack}: {item.name}{said}", ok=True)
        self.scan.flash("ok")
        return True

    def _serial_for_current_line(self, code: str) -> bool:
        """An unknown code scanned while a serial-tracked line is current: that unit's serial."""
        row = self.table.currentIndex().row()
        line = self.model.row_at(row)
        if line is None or line.tracking != "serial":
            return False
        try:
            self.model.add_serial(row, code)
        except InvdeskError as error:
            self.status.say(error.message, ok=False)
            self.scan.flash("unknown")
            return True
        self._show_row(row)
        self.status.say(f"Serial {code} added to {line.item.sku} ({line.qty_text} units).", ok=True)
        self.scan.flash("ok")
        return True

    def _show_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, list(self.columns).index(Column.QTY)))
        self.table.scrollTo(self.model.index(row, 0))
        self.refresh_available()

    def show_needed_columns(self) -> None:
        """Lot, expiry and serials only while a line needs them: a shop without lots or serials
        sees the table it always saw."""
        for i, column in enumerate(self.columns):
            if column in TRACKING_COLUMNS:
                self.table.setColumnHidden(i, not self.model.needs(column))

    def _take_location(self, code: str) -> bool:
        """A code that is no product: a location of the document's warehouse, if it is one."""
        warehouse = self.location_warehouse()
        if not warehouse or not code:
            return False
        try:
            found = locations.find_location(self._db, self._actor, warehouse, code)
        except InvdeskError:
            return False
        if found is None:
            return False
        self.location_scanned(found.code)
        self.scan.flash("ok")
        return True

    def _typed_code(self, code: str) -> None:
        if not code:
            return
        if self.add_code(code, self.scan_qty.value()):
            self.scan.clear()
            self.scan_qty.setValue(1)
        else:
            self.scan.selectAll()
        self.scan.setFocus()

    def _new_product_for_code(self) -> None:
        from invdesk.ui.dialogs.attach_barcode import AttachBarcodeDialog

        code = self._unknown_code
        if not code:
            return
        attach = AttachBarcodeDialog(self._db, self._actor, self, code=code)
        if attach.exec() == QDialog.DialogCode.Accepted:
            self.add_code(code, 1)
        self.scan.setFocus()

    def remove_selected_lines(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.model.remove_rows(rows)

    def refresh_available(self) -> None:
        warehouse = self.stock_warehouse()
        if Column.AVAILABLE not in self.columns or not warehouse or not self.model.lines:
            return
        try:
            figures = dialog_lookups.stock_figures(
                self._db, self._actor, [line.item.sku for line in self.model.lines], warehouse
            )
        except InvdeskError:
            figures = {}
        self.model.set_available({sku: f.available for sku, f in figures.items()})

    # Validation and posting ---------------------------------------------------------------------
    def _changed(self, *_args: Any) -> None:
        """Any edit: drop a stale service error, re-check everything, enable Post if all is well,
        and save the document on this PC soon."""
        self._service_error = None
        self.model.mark_error(None, None)
        self.error.show_message(None)
        self.revalidate()
        self.save_draft_soon()

    def revalidate(self) -> None:
        header = self.header_problems()
        problems = self.model.problems()
        field_messages = dict(header)
        if self._service_error and self._service_error[0] in self.form.widgets:
            field, message = self._service_error
            field_messages[field or ""] = message
        self.form.show(field_messages)
        if problems:
            row, message = problems[0]
            self.lines_error.show_message(f"Line {row + 1}: {message}")
        elif not (self._service_error and self._service_error[0] in LINE_FIELDS):
            self.lines_error.show_message(None)
        units = sum((line.qty or 0) * line.item.pack_qty for line in self.model.lines)
        count = len(self.model.lines)
        self.summary.setText(
            f"{count} line{'s' if count != 1 else ''}, {units:,} unit{'s' if units != 1 else ''}"
            if count
            else "No lines yet"
        )
        self.post_button.setEnabled(
            bool(self.model.lines) and not header and not problems and not self._posting
        )

    def show_error(self, error: InvdeskError) -> None:
        """At the line it names (a line's product or quantity), else as any posting dialog."""
        field = error.field
        if field in self.form.widgets or field not in LINE_FIELDS or not self.model.lines:
            super().show_error(error)
            return
        self._service_error = (field, error.message)
        self.revalidate()
        row = self.row_of(error)
        self.model.mark_error(row, error.message)
        prefix = f"Line {row + 1}: " if row is not None and "line" not in error.message else ""
        self.lines_error.show_message(prefix + error.message)
        if row is not None:
            # Current but not selected, so the red line is not hidden under the selection.
            self.table.clearSelection()
            index = self.model.index(row, list(self.columns).index(Column.QTY))
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.table.scrollTo(index)
            self.table.setFocus()

    def row_of(self, error: InvdeskError) -> int | None:
        """The line an error is about: the services name it (`error.line`, the index of the line
        in the document they were given, which is this table's order); a one-line document's."""
        count = len(self.model.lines)
        if error.line is not None and 0 <= error.line < count:
            return error.line
        return 0 if count == 1 else None

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()

    # Posting in the background ------------------------------------------------------------------
    def posting_changed(self, posting: bool) -> None:
        """While the post runs (a lock wait may take seconds) the window stays responsive and
        shows it; the inputs wait, so what is posted is what is on screen."""
        self.progress.setVisible(posting)
        for widget in (self.scan, self.scan_qty, self.add_button, self.table):
            widget.setEnabled(not posting)
        for widget in self.form.widgets.values():
            widget.setEnabled(not posting)
        if posting:
            self.status.hint(f"Posting {len(self.model.lines):,} lines…")
        else:
            self.scan.setFocus()
