"""The import dialog: pick a file (a channel export is recognised), map its columns (remembered
per user on this PC), preview every row (bad and left-out ones marked with their reason), choose
all-or-nothing or valid rows only, then import in the background."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.catalog import warehouses
from invdesk.services.importing import apply
from invdesk.services.importing.fields import FIELDS, PRESETS, choose_preset
from invdesk.services.importing.files import ImportKind, Table, read_table
from invdesk.services.system.database import Database
from invdesk.ui.background import Background, Job, failure_text
from invdesk.ui.import_mapping import ColumnMapping

PREVIEW_MAX_ROWS = 2000
BAD = QColor("#f8d7da")
SKIPPED = QColor("#fff3cd")


class ImportDialog(QDialog):
    """File, preset and column mapping above; the preview of every row below (the two halves
    share a splitter, so a file of many columns can have the room it needs)."""

    imported = Signal(object)  # an apply.ImportResult

    def __init__(
        self,
        db: Database,
        actor: Actor,
        kind: ImportKind = ImportKind.PRODUCTS,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.resize(960, 720)
        self._db, self._actor = db, actor
        self._settings = settings if settings is not None else QSettings()
        self.table: Table | None = None
        self.preview: apply.Preview | None = None
        self._job: Job | None = None
        self.pool = QThreadPool(self)
        self.background = Background(self, self.pool)
        layout = QVBoxLayout(self)
        layout.addLayout(self._source_form(kind))
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self._mapping_part())
        split.addWidget(self._preview_part())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(self.valid_only)
        layout.addLayout(self._buttons())
        self._kind_changed()

    def _source_form(self, kind: ImportKind) -> QFormLayout:
        """What to import, from which file, read how, with stock going where."""
        self.kind = QComboBox()
        self.kind.addItem("Products", ImportKind.PRODUCTS)
        self.kind.addItem("Stock", ImportKind.STOCK)
        self.kind.addItem("Suppliers", ImportKind.SUPPLIERS)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.stock_mode = QComboBox()
        self.stock_mode.addItem("Counts (set on hand)", "count")
        self.stock_mode.addItem("Receipts (add to stock)", "receive")
        self.preset = QComboBox()
        self.preset.addItem("Recognise (Shopify, WooCommerce or plain)", "auto")
        self.preset.addItem("Plain columns (SKU, Name, Category…)", "none")
        for preset in PRESETS.values():
            self.preset.addItem(preset.label, preset.name)
        self.preset.currentIndexChanged.connect(lambda _i: self._fill_mapping())
        self.warehouse = QComboBox()
        self.warehouse.addItem("(none: a product file's stock column is not imported)", None)
        for w in warehouses.list_warehouses(self._db, self._actor, include_inactive=False):
            self.warehouse.addItem(f"{w.code} · {w.name}", w.code)
        self.create_categories = QCheckBox("Create the categories the file names that are missing")
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self._choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Import", self.kind)
        form.addRow("Stock rows are", self.stock_mode)
        form.addRow("File", file_row)
        form.addRow("Read as", self.preset)
        form.addRow("Stock into", self.warehouse)
        form.addRow("", self.create_categories)
        return form

    def _mapping_part(self) -> QWidget:
        self.columns = ColumnMapping(self._settings, self._actor.username, self)
        self.mapping = self.columns.table
        return self.columns

    def _preview_part(self) -> QWidget:
        self.rows = QTableWidget(0, 0)
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.setMinimumHeight(120)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.all_or_nothing = QRadioButton("All or nothing: any bad row stops the import")
        self.valid_only = QRadioButton("Import the valid rows, skip the bad ones")
        self.all_or_nothing.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_or_nothing)
        group.addButton(self.valid_only)
        return _titled("Preview", self.rows)

    def _buttons(self) -> QHBoxLayout:
        self.check_button = QPushButton("Check")
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m rows")
        self.progress.hide()
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        return buttons

    def current_kind(self) -> ImportKind:
        return ImportKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        stock = self.current_kind() is ImportKind.STOCK
        products = self.current_kind() is ImportKind.PRODUCTS
        self.stock_mode.setEnabled(stock)
        self.create_categories.setEnabled(products)
        self.preset.setEnabled(products)
        self.warehouse.setEnabled(self.current_kind() is not ImportKind.SUPPLIERS)
        if self.table is not None:
            self._fill_mapping()

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import file", "", "Spreadsheets (*.xlsx *.csv);;All files (*)"
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        try:
            self.table = read_table(path)
        except InvdeskError as error:
            self.summary.setText(error.message)
            return False
        self.path.setText(path)
        self._fill_mapping()
        self.summary.setText(f"{len(self.table.rows):,} rows. Check the columns, then Check.")
        return True

    def _fill_mapping(self) -> None:
        if self.table is None:
            return
        try:
            preset = choose_preset(self.preset.currentData(), self.table.headers)
        except InvdeskError as error:
            self.summary.setText(error.message)
            return
        self.columns.fill(self.current_kind(), self.table.headers, preset)
        self.import_button.setEnabled(False)

    def set_mapping(self, header: str, field: str | None) -> None:
        self.columns.set_field(header, field)

    def mapping_choice(self) -> dict[str, str | None]:
        return self.columns.choice()

    def options(self) -> apply.ImportOptions:
        return apply.ImportOptions(
            mapping=self.mapping_choice(),
            valid_only=self.valid_only.isChecked(),
            stock_mode=self.stock_mode.currentData(),
            preset=self.preset.currentData(),
            warehouse=self.warehouse.currentData(),
            create_categories=self.create_categories.isChecked(),
        )

    # --- background work -------------------------------------------------------------------------

    def _start(self, work: Any, done: Any) -> Job:
        """Run `work(progress, cancelled)` with the progress bar and Cancel button."""
        assert self.table is not None
        self.progress.setRange(0, max(1, len(self.table.rows)))
        self.progress.setValue(0)
        self._busy(True)
        job = self.background.start(work, done, self._failed, on_progress=self.progress.setValue)
        job.finished.connect(lambda: self._busy(False))
        self._job = job
        return job

    def cancel(self) -> None:
        """Stop checking or importing; an import stopped before its commit changes nothing."""
        if self._job is not None:
            self._job.cancel()
            self.summary.setText("Cancelling…")

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.check_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy and self.preview is not None)

    def check(self) -> Job | None:
        """Preview every row in the background."""
        if self.table is None:
            self.summary.setText("Choose a file first.")
            return None
        db, actor, kind, table, options = (
            self._db, self._actor, self.current_kind(), self.table, self.options(),
        )  # fmt: skip
        self.preview = None
        self.columns.store()
        return self._start(
            lambda progress, cancelled: apply.preview_import(
                db, actor, kind, table, options, progress=progress, cancelled=cancelled
            ),
            self._show_preview,
        )

    def run(self) -> Job | None:
        """Import (all or nothing, or valid rows only) in the background."""
        if self.table is None or self.preview is None:
            return None
        db, actor, kind, table, options = (
            self._db, self._actor, self.current_kind(), self.table, self.options(),
        )  # fmt: skip
        return self._start(
            lambda progress, cancelled: apply.run_import(
                db, actor, kind, table, options, progress=progress, cancelled=cancelled
            ),
            self._done,
        )

    def _show_preview(self, preview: apply.Preview) -> None:
        self.preview = preview
        keys = [f.key for f in FIELDS[preview.kind]]
        self.rows.clear()
        self.rows.setColumnCount(3 + len(keys))
        self.rows.setHorizontalHeaderLabels(["Row", "Action", "Problem", *keys])
        # Bad rows first, then the ones left out (each with its reason), then the rest.
        shown = sorted(preview.rows, key=lambda r: (r.ok, not r.reasons, r.row))
        shown = shown[:PREVIEW_MAX_ROWS]
        self.rows.setRowCount(len(shown))
        for i, check in enumerate(shown):
            cells = [str(check.row), check.action, "; ".join(check.reasons)]
            cells += [_shown(check.values.get(k)) for k in keys]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if check.reasons:
                    item.setBackground(QBrush(BAD if not check.ok else SKIPPED))
                    item.setToolTip("; ".join(check.reasons))
                if j == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.rows.setItem(i, j, item)
        self.rows.resizeColumnsToContents()
        counts = ", ".join(f"{n:,} {a}" for a, n in sorted(preview.counts().items()))
        extra = (
            f" (showing the first {PREVIEW_MAX_ROWS:,})" if len(preview.rows) > len(shown) else ""
        )
        ignored = (
            f" Ignored columns: {', '.join(preview.matched.unknown)}."
            if preview.matched.unknown
            else ""
        )
        news = preview.new_categories
        created = f" New categories: {', '.join(news)}." if news else ""
        notes = "".join(f" {note}" for note in preview.notes)
        self.summary.setText(f"{counts}{extra}.{created}{ignored}{notes}")

    def _done(self, result: apply.ImportResult) -> None:
        replayed = f", {result.replayed:,} already imported before" if result.replayed else ""
        self.summary.setText(
            f"Imported {result.applied:,} rows, skipped {result.skipped:,}{replayed}."
        )
        self.preview = None
        self.imported.emit(result)

    def _failed(self, error: Exception) -> None:
        self.summary.setText(
            failure_text(
                error, cancelled="Cancelled; nothing was imported.", failed="Import failed"
            )
        )

    def wait_for_jobs(self, timeout_ms: int = 30000) -> bool:
        return bool(self.pool.waitForDone(timeout_ms))

    def done(self, result: int) -> None:
        self.background.cancel_all()
        self.wait_for_jobs()
        super().done(result)


def _titled(title: str, *widgets: QWidget) -> QWidget:
    part = QWidget()
    column = QVBoxLayout(part)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(QLabel(title))
    column.addWidget(widgets[0], 1)
    for widget in widgets[1:]:
        column.addWidget(widget)
    return part


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(f"{c}:{p}" if p != 1 else c for c, p in value)
    return str(value)
