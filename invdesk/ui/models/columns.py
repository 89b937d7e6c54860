"""The one base of the app's table models, and the formatting their cells share.

`TableModel` answers columnCount, headerData and data() for rows that are DTOs: the columns are
an IntEnum (with HEADERS, NUMERIC and `display(row, column)`) or a column-definition list of
(title, getter) pairs; `data(index, ROW_ROLE)` is the row's DTO; data() never raises. A subclass
says where its rows come from (`row_at`, `rowCount`) and may colour cells in `style`.
`ListTableModel` is the one for a list held in memory.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""data(index, ROW_ROLE) is the row's DTO, in every table model. Custom roles go above it."""
ColumnDef = tuple[str, Callable[[Any], Any]]
"""A column as (title, getter): the cell shows `cell_text(getter(row))`."""


def qty(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def signed(value: int) -> str:
    return f"{value:+,}"


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def cell_text(value: Any) -> str:
    """A getter's value as a cell shows it (numbers grouped, enums spelled out)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, enum.Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, int) and not isinstance(value, bool):
        return qty(value)
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


class TableModel(QAbstractTableModel):
    """Columns, headers, alignment and the row role of a read-only table of DTO rows.

    Subclasses set COLUMNS, HEADERS and NUMERIC (or pass a column-definition list to
    ListTableModel), implement `row_at(row)` and `rowCount`, `display(row, column)`, and may
    answer other roles (colours, tool tips) in `style(row, column, role)`.
    """

    COLUMNS: type[enum.IntEnum]
    HEADERS: Mapping[Any, str] = {}
    NUMERIC: Collection[int] = ()
    HEADER_ALIGNED = True
    """Whether number columns' titles sit right, over their figures (else Qt's default)."""

    # Subclass hooks -----------------------------------------------------------------------------
    def row_at(self, row: int) -> Any:
        """The DTO at `row`, or None outside the rows."""
        raise NotImplementedError

    def display(self, row: Any, column: Any) -> Any:
        raise NotImplementedError

    def style(self, row: Any, column: Any, role: int) -> Any:
        return None

    def column_at(self, number: int) -> Any:
        return self.COLUMNS(number)

    def column_total(self) -> int:
        return len(self.COLUMNS)

    def title(self, section: int) -> str | None:
        return self.HEADERS.get(section)

    def alignment(self, row: Any, column: Any) -> int | None:
        return RIGHT if column in self.NUMERIC else LEFT

    # Qt overrides -------------------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_total()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.column_total():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.title(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.HEADER_ALIGNED:
            return RIGHT if section in self.NUMERIC else LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < self.column_total():
            return None
        try:
            return self.cell(index, role)
        except Exception as error:  # a view asking must never meet an exception
            log.warning("table cell (%s, %s): %s", index.row(), index.column(), error)
            return None

    def cell(self, index: Index, role: int) -> Any:
        """data() of a valid index; may raise (data() turns that into an empty cell)."""
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        column = self.column_at(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(row, column)
        return self.style(row, column, role)


class ListTableModel(TableModel):
    """A small list held in memory (warehouses, alerts, tokens): rows are DTOs.

    Columns are an IntEnum with its `headers`, a `display(row, column)` and the `numeric`
    columns; or a column-definition list of (title, getter) pairs, whose number cells sit right.
    """

    def __init__(
        self,
        columns: type[enum.IntEnum] | Sequence[ColumnDef],
        headers: Mapping[Any, str] | None = None,
        display: Callable[[Any, Any], str] | None = None,
        numeric: Collection[int] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._defs: list[ColumnDef] | None = None
        if isinstance(columns, type):
            self.COLUMNS, self.HEADERS = columns, headers or {}
            self._display = display
        else:
            self._defs = list(columns)
            self.HEADER_ALIGNED = False
        self.NUMERIC = set(numeric)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_row(self, number: int, row: Any) -> None:
        """Replace one row in place (or append it when `number` is the row count): a list
        updated one scan at a time repaints one row, not the whole table."""
        if number == len(self._rows):
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.append(row)
            self.endInsertRows()
            return
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, self.column_total() - 1))

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def column_at(self, number: int) -> Any:
        return number if self._defs is not None else super().column_at(number)

    def column_total(self) -> int:
        return len(self._defs) if self._defs is not None else super().column_total()

    def title(self, section: int) -> str | None:
        return self._defs[section][0] if self._defs is not None else super().title(section)

    def display(self, row: Any, column: Any) -> Any:
        if self._defs is not None:
            return cell_text(self._defs[column][1](row))
        assert self._display is not None
        return self._display(row, column)

    def alignment(self, row: Any, column: Any) -> int | None:
        if self._defs is None:
            return super().alignment(row, column)
        value = self._defs[column][1](row)
        return RIGHT if isinstance(value, int | Decimal) else None
