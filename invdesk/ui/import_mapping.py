"""The import dialog's column step: every column of the file with the field it feeds, the choice
remembered per user on this PC for files with the same columns."""

from __future__ import annotations

import hashlib
import json

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invdesk.services.importing.fields import FIELDS, Preset, match_headers, normalize_header
from invdesk.services.importing.files import ImportKind

IGNORE = "(ignore)"


class ColumnMapping(QWidget):
    """A row per column (scrolling when there are many); `choice()` is {header: field or None}."""

    def __init__(self, settings: QSettings, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings, self._username = settings, username
        self._key = ""
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Column in file", "Imports as"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setMinimumHeight(160)
        self.remember = QCheckBox("Remember this mapping for files with these columns", self)
        self.remember.setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Columns", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remember)

    def fill(self, kind: ImportKind, headers: tuple[str, ...], preset: Preset | None) -> None:
        """The remembered choice for these headers, else the preset's or the built-in match."""
        self._key = _key(self._username, kind, headers)
        matched = match_headers(kind, headers, None, preset)
        by_index = {index: key for key, index in matched.columns.items()}
        remembered = self._remembered()
        self.table.setRowCount(0)
        for index, header in enumerate(headers):
            if not header:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(header))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for f in FIELDS[kind]:
                combo.addItem(f.label + (" *" if f.required else ""), f.key)
            chosen = remembered.get(header, by_index.get(index))
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            self.table.setCellWidget(row, 1, combo)

    def _combo(self, row: int) -> QComboBox:
        combo = self.table.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        return combo

    def set_field(self, header: str, field: str | None) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == header:
                self._combo(row).setCurrentIndex(self._combo(row).findData(field))

    def choice(self) -> dict[str, str | None]:
        return {
            self.table.item(row, 0).text(): self._combo(row).currentData()
            for row in range(self.table.rowCount())
        }

    def _remembered(self) -> dict[str, str | None]:
        stored = self._settings.value(self._key, "")
        try:
            found = json.loads(str(stored)) if stored else {}
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}

    def store(self) -> None:
        """Keep the current choice for the next file with these columns (if so ticked)."""
        if self.remember.isChecked() and self._key:
            self._settings.setValue(self._key, json.dumps(self.choice()))


def _key(username: str, kind: ImportKind, headers: tuple[str, ...]) -> str:
    """Per user (and, being QSettings, per PC), per kind and per set of headers."""
    names = "\x1f".join(sorted(normalize_header(h) for h in headers if h))
    return f"import/mapping/{username}/{kind}/{hashlib.sha256(names.encode()).hexdigest()[:16]}"
