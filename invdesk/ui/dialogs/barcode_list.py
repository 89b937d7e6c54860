"""The product editor's barcode list: codes with the units one scan stands for; add and remove."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.barcodes import MAX_BARCODE_LEN, MAX_PACK_QTY, normalize_barcode
from invdesk.domain.errors import InvdeskError, ValidationError
from invdesk.ui.dialogs.widgets import regex_validator


class BarcodeList(QWidget):
    """A small table of (code, pack size) and a row to add one; nothing is saved until the editor is.

    `owner_of(code)` names the SKU already using a code (a service look-up); `own_sku()` is the
    product being edited, whose own codes are fine.
    """

    changed = Signal()
    refused = Signal(str)  # why a code could not be added

    def __init__(
        self,
        owner_of: Callable[[str], str | None],
        own_sku: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._owner_of, self._own_sku = owner_of, own_sku
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Barcode", "Units per scan"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 120)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(150)
        column.addWidget(self.table)
        row = QHBoxLayout()
        self.code = QLineEdit(self)
        self.code.setMaxLength(MAX_BARCODE_LEN)
        self.code.setPlaceholderText("Scan or type a barcode")
        self.code.setValidator(
            regex_validator(r"\S*", self.code)
        )  # no spaces; digits checked on Add
        self.pack = QSpinBox(self)
        self.pack.setRange(1, MAX_PACK_QTY)
        self.pack.setPrefix("× ")
        self.pack.setToolTip("Units one scan stands for: 12 for a case of twelve")
        self.add_button = QPushButton("&Add barcode", self)
        self.remove_button = QPushButton("Remo&ve", self)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        row.addWidget(self.code, 1)
        row.addWidget(self.pack)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        column.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.code.returnPressed.connect(self.add)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

    def codes(self) -> tuple[tuple[str, int], ...]:
        return tuple(
            (self.table.item(r, 0).text(), int(self.table.item(r, 1).text()))
            for r in range(self.table.rowCount())
        )

    def set_codes(self, codes: tuple[tuple[str, int], ...]) -> None:
        self.table.setRowCount(0)
        for code, pack in codes:
            self._append(code, pack)

    def add(self) -> bool:
        """List the typed code after checking its format, check digit and that it is free."""
        try:
            code = normalize_barcode(self.code.text())
            if code in {c for c, _ in self.codes()}:
                raise ValidationError(f"{code} is already listed.", field="barcode")
            owner = self._owner_of(code)
            if owner is not None and owner != self._own_sku():
                raise ValidationError(f"{code} already belongs to {owner}.", field="barcode")
        except InvdeskError as error:
            self.refused.emit(error.message)
            self.code.setFocus()
            self.code.selectAll()
            return False
        self._append(code, self.pack.value())
        self.code.clear()
        self.pack.setValue(1)
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _append(self, code: str, pack: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        pack_item = QTableWidgetItem(str(pack))
        pack_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 1, pack_item)
