"""The lines of a stock document on screen: the table view and the editors of its cells."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from invdesk.domain.tracking import LOT_MAX
from invdesk.ui.dialogs.lines import TEXT_COLUMNS, Column
from invdesk.ui.dialogs.widgets import MONEY_PATTERN, regex_validator
from invdesk.ui.models.columns import Index

_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class CellDelegate(QStyledItemDelegate):
    """Editors for the quantity (digits only), unit cost (an amount), lot, expiry (a date) and
    serials (comma-separated) cells."""

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        column = self._columns[index.column()]
        if column == Column.QTY:
            editor.setValidator(regex_validator(r"\d{0,7}", editor))
        elif column == Column.COST:
            editor.setValidator(regex_validator(MONEY_PATTERN, editor))
        elif column == Column.EXPIRY:
            editor.setValidator(regex_validator(r"\d{0,4}-?\d{0,2}-?\d{0,2}", editor))
            editor.setPlaceholderText("YYYY-MM-DD")
        elif column == Column.LOT:
            editor.setMaxLength(LOT_MAX)
        if column not in TEXT_COLUMNS:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor


class LineTable(QTableView):
    """The lines on screen. Typing a number on any cell of a line edits that line's quantity
    (the cell the clerk's eyes are on is not always the Qty cell), except in the lot, expiry and
    serial cells, where digits are what is typed."""

    def __init__(
        self,
        qty_column: int,
        parent: QWidget | None = None,
        *,
        text_columns: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self._qty_column = qty_column
        self._text_columns = text_columns
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.setMinimumHeight(200)
        self.setTabKeyNavigation(False)  # Tab leaves the table, like every other field

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        if (
            event.text().isdigit()
            and not event.modifiers() & _COMMAND
            and current.isValid()
            and current.column() != self._qty_column
            and current.column() not in self._text_columns
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.setCurrentIndex(current.siblingAtColumn(self._qty_column))
        super().keyPressEvent(event)
