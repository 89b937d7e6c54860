"""The import dialog: pick a file, map its columns, preview every row (bad ones marked with their
reason), choose all-or-nothing or valid rows only, then import in the background."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services import importing
from invdesk.services.database import Database
from invdesk.services.import_fields import FIELDS, match_headers
from invdesk.services.import_files import ImportKind, Table, read_table
from invdesk.ui.background import Background, Job, failure_text

IGNORE = "(ignore)"
PREVIEW_MAX_ROWS = 2000
BAD = QColor("#f8d7da")


class ImportDialog(QDialog):
    imported = Signal(object)  # an importing.ImportResult

    def __init__(
        self,
        db: Database,
        actor: Actor,
        kind: ImportKind = ImportKind.PRODUCTS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.resize(900, 640)
        self._db, self._actor = db, actor
        self.table: Table | None = None
        self.preview: importing.Preview | None = None
        self._job: Job | None = None
        self.pool = QThreadPool(self)
        self.background = Background(self, self.pool)

        self.kind = QComboBox()
        self.kind.addItem("Products", ImportKind.PRODUCTS)
        self.kind.addItem("Stock", ImportKind.STOCK)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.stock_mode = QComboBox()
        self.stock_mode.addItem("Counts (set on hand)", "count")
        self.stock_mode.addItem("Receipts (add to stock)", "receive")
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self._choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)

        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(["Column in file", "Imports as"])
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        self.rows = QTableWidget(0, 0)
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.all_or_nothing = QRadioButton("All or nothing: any bad row stops the import")
        self.valid_only = QRadioButton("Import the valid rows, skip the bad ones")
        self.all_or_nothing.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_or_nothing)
        group.addButton(self.valid_only)
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

        form = QFormLayout()
        form.addRow("Import", self.kind)
        form.addRow("Stock rows are", self.stock_mode)
        form.addRow("File", file_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Columns"))
        layout.addWidget(self.mapping, 1)
        layout.addWidget(QLabel("Preview"))
        layout.addWidget(self.rows, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(self.valid_only)
        layout.addLayout(buttons)
        self._kind_changed()

    def current_kind(self) -> ImportKind:
        return ImportKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        self.stock_mode.setEnabled(self.current_kind() is ImportKind.STOCK)
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
        assert self.table is not None
        fields = FIELDS[self.current_kind()]
        matched = match_headers(self.current_kind(), self.table.headers)
        by_index = {index: key for key, index in matched.columns.items()}
        self.mapping.setRowCount(0)
        for index, header in enumerate(self.table.headers):
            if not header:
                continue
            row = self.mapping.rowCount()
            self.mapping.insertRow(row)
            self.mapping.setItem(row, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for f in fields:
                combo.addItem(f.label + (" *" if f.required else ""), f.key)
            combo.setCurrentIndex(max(0, combo.findData(by_index.get(index))))
            self.mapping.setCellWidget(row, 1, combo)
        self.import_button.setEnabled(False)

    def set_mapping(self, header: str, field: str | None) -> None:
        for row in range(self.mapping.rowCount()):
            if self.mapping.item(row, 0).text() == header:
                combo = self.mapping.cellWidget(row, 1)
                assert isinstance(combo, QComboBox)
                combo.setCurrentIndex(combo.findData(field))

    def mapping_choice(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for row in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            out[self.mapping.item(row, 0).text()] = combo.currentData()
        return out

    def options(self) -> importing.ImportOptions:
        return importing.ImportOptions(
            mapping=self.mapping_choice(),
            valid_only=self.valid_only.isChecked(),
            stock_mode=self.stock_mode.currentData(),
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
        return self._start(
            lambda progress, cancelled: importing.preview_import(
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
            lambda progress, cancelled: importing.run_import(
                db, actor, kind, table, options, progress=progress, cancelled=cancelled
            ),
            self._done,
        )

    def _show_preview(self, preview: importing.Preview) -> None:
        self.preview = preview
        keys = [f.key for f in FIELDS[preview.kind]]
        self.rows.clear()
        self.rows.setColumnCount(3 + len(keys))
        self.rows.setHorizontalHeaderLabels(["Row", "Action", "Problem", *keys])
        shown = sorted(preview.rows, key=lambda r: (r.ok, r.row))[:PREVIEW_MAX_ROWS]
        self.rows.setRowCount(len(shown))
        for i, check in enumerate(shown):
            cells = [str(check.row), check.action, "; ".join(check.reasons)]
            cells += [_shown(check.values.get(k)) for k in keys]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not check.ok:
                    item.setBackground(QBrush(BAD))
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
        self.summary.setText(f"{counts}{extra}.{ignored}")

    def _done(self, result: importing.ImportResult) -> None:
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


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(f"{c}:{p}" if p != 1 else c for c, p in value)
    return str(value)
