"""What every table model shares: headers, alignment, formatting and a simple list model."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def qty(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def signed(value: int) -> str:
    return f"{value:+,}"


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def header(
    headers: dict[Any, str],
    section: int,
    orientation: Qt.Orientation,
    role: int,
    numeric: Collection[int] = (),
) -> Any:
    """A column title; titles of number columns sit right, over their figures."""
    if orientation != Qt.Orientation.Horizontal:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return headers.get(section)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return RIGHT if section in numeric else LEFT
    return None


class ColumnData:
    """columnCount, headerData and data() for a table model whose rows are DTOs in columns.

    Mixed in before the Qt model class. Subclasses set COLUMNS, HEADERS and NUMERIC, implement
    `display(row, column)` and `row_at(row)`, and may colour rows in `style(row, column, role)`.
    """

    COLUMNS: type[enum.IntEnum]
    HEADERS: dict[Any, str]
    NUMERIC: Collection[int] = ()

    # `row_at(row)` comes from the model class this is mixed into.
    def display(self, row: Any, column: Any) -> str:
        raise NotImplementedError

    def style(self, row: Any, column: Any, role: int) -> Any:
        return None

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header(self.HEADERS, section, orientation, role, self.NUMERIC)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None  # type: ignore[attr-defined]
        if row is None:
            return None
        column = self.COLUMNS(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self.NUMERIC else LEFT
        if role == Qt.ItemDataRole.UserRole + 1:  # ROW_ROLE: the row's DTO
            return row
        return self.style(row, column, role)


class ListTableModel(QAbstractTableModel):
    """A small list held in memory (warehouses, reservations): rows are DTOs."""

    def __init__(
        self,
        columns: type[enum.IntEnum],
        headers: dict[Any, str],
        display: Callable[[Any, Any], str],
        numeric: Sequence[int] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns, self._headers, self._display = columns, headers, display
        self._numeric = set(numeric)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header(self._headers, section, orientation, role, self._numeric)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = self._columns(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self._numeric else LEFT
        if role == Qt.ItemDataRole.UserRole + 1:
            return row
        return None
