"""The lines of a stock document as a small editable table: code, product, quantity, cost."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line
from invdesk.domain.validation import parse_money, parse_quantity
from invdesk.services.reads.dialog_lookups import ScannedCode
from invdesk.ui.dialogs.widgets import MONEY_PATTERN, regex_validator
from invdesk.ui.models.columns import ROW_ROLE, Index, TableModel

_ERROR_BG = QColor("#fdecea")
_ERROR_FG = QColor("#b3261e")


class Column(enum.IntEnum):
    CODE = 0
    PRODUCT = 1
    QTY = 2
    UNITS = 3
    AVAILABLE = 4
    COST = 5


HEADERS = {
    Column.CODE: "SKU / barcode",
    Column.PRODUCT: "Product",
    Column.QTY: "Qty",
    Column.UNITS: "Units",
    Column.AVAILABLE: "Available",
    Column.COST: "Unit cost",
}
_RIGHT = {Column.QTY, Column.UNITS, Column.AVAILABLE, Column.COST}
_SHORT_CELLS = {Column.QTY, Column.UNITS, Column.AVAILABLE}


@dataclass
class LineItem:
    """One line as the dialog holds it: the code as scanned, so a case barcode stays a case."""

    item: ScannedCode
    qty_text: str = "1"
    cost_text: str = ""
    available: int | None = None
    error: str | None = None  # set by a service error that named this line
    location: str | None = None
    """The location scanned before this line (None: putaway, or the default location)."""

    @property
    def qty(self) -> int | None:
        try:
            return parse_quantity(self.qty_text)
        except ValidationError:
            return None

    def problem(self, with_cost: bool) -> str | None:
        """Why the line cannot be posted as it stands, checked with the domain's own rules."""
        try:
            parse_quantity(self.qty_text, label="Quantity")
            if with_cost and self.cost_text.strip():
                parse_money(self.cost_text.replace(",", "."), label="Unit cost")
        except ValidationError as error:
            return error.message
        return None

    def to_line(self, with_cost: bool) -> Line:
        cost = self.cost_text.strip().replace(",", ".") if with_cost else ""
        return Line(
            self.item.code,
            self.qty if self.qty is not None else self.qty_text,
            cost or None,
            location=self.location,
        )


class LineModel(TableModel):
    """Lines of one document. Scanning a code already listed adds to that line's quantity.

    Editable (quantity, unit cost), and its cells depend on the line's row (shortages), so it
    answers `cell` itself; the base keeps data() from raising and gives ROW_ROLE."""

    HEADER_ALIGNED = False

    lines_changed = Signal()

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.lines: list[LineItem] = []
        self.with_cost = Column.COST in columns
        self.shortages: dict[int, str] = {}
        """Row -> why: lines asking for more than is available (a product's lines together)."""

    # Table model hooks and Qt overrides --------------------------------------------------------
    def row_at(self, row: int) -> LineItem | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def column_at(self, number: int) -> Column:
        return self.columns[number]

    def column_total(self) -> int:
        return len(self.columns)

    def title(self, section: int) -> str | None:
        return HEADERS[self.columns[section]]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()] in (Column.QTY, Column.COST):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def cell(self, index: Index, role: int) -> Any:
        if not 0 <= index.row() < len(self.lines):
            return None
        line, column = self.lines[index.row()], self.columns[index.column()]
        if role == ROW_ROLE:
            return line
        short = self.shortages.get(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bad = self._bad(line, column) or (short is not None and column in _SHORT_CELLS)
        if role == Qt.ItemDataRole.BackgroundRole and (line.error or bad):
            return QBrush(_ERROR_BG)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.CODE and line.error:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole and (line.error or bad):
            return QBrush(_ERROR_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if line.error:
                return line.error
            if self._bad(line, column):
                return line.problem(self.with_cost)
            if short is not None:
                return short
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        line, column = self.lines[index.row()], self.columns[index.column()]
        if column == Column.QTY:
            line.qty_text = str(value).strip()
        elif column == Column.COST:
            line.cost_text = str(value).strip()
        else:
            return False
        line.error = None
        self._row_changed(index.row())
        return True

    # Document operations ------------------------------------------------------------------------
    def add(self, item: ScannedCode, qty: int = 1, location: str | None = None) -> int:
        """Add `qty` scans of a code: a new line, or more on the line that has that code (and
        location: the same product scanned after another location is a line of its own)."""
        for row, line in enumerate(self.lines):
            if line.item.code == item.code and line.location == location:
                line.qty_text = str((line.qty or 0) + qty)
                line.error = None
                self._row_changed(row)
                return row
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(LineItem(item, str(qty), location=location))
        self.endInsertRows()
        self._recheck()
        self.lines_changed.emit()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.lines):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.lines[row]
                self.endRemoveRows()
        self._recheck()
        self.lines_changed.emit()

    def set_available(self, figures: dict[str, int]) -> None:
        for line in self.lines:
            line.available = figures.get(line.item.sku)
        if self.lines and Column.AVAILABLE in self.columns:
            col = self.columns.index(Column.AVAILABLE)
            self.dataChanged.emit(self.index(0, col), self.index(len(self.lines) - 1, col))
        if self._recheck():
            self.lines_changed.emit()

    def mark_error(self, row: int | None, message: str | None) -> None:
        """Show a service error on one line (or clear every line's error with row None)."""
        for i, line in enumerate(self.lines):
            line.error = message if i == row else None
        if self.lines:
            last = self.index(len(self.lines) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def problems(self) -> list[tuple[int, str]]:
        """(row, message) for every line that cannot be posted as typed."""
        found = []
        for row, line in enumerate(self.lines):
            problem = line.problem(self.with_cost) or self.shortages.get(row)
            if problem:
                found.append((row, problem))
        return found

    def to_lines(self) -> tuple[Line, ...]:
        return tuple(line.to_line(self.with_cost) for line in self.lines)

    # helpers ------------------------------------------------------------------------------------
    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self._recheck()
        self.lines_changed.emit()

    def _recheck(self) -> bool:
        """Work out the shortages again (a product's lines share its stock); True if changed."""
        totals: dict[str, int] = {}
        counts: dict[str, int] = {}
        for line in self.lines:
            sku = line.item.sku
            totals[sku] = totals.get(sku, 0) + (line.qty or 0) * line.item.pack_qty
            counts[sku] = counts.get(sku, 0) + 1
        found: dict[int, str] = {}
        for row, line in enumerate(self.lines):
            sku, total = line.item.sku, totals[line.item.sku]
            if Column.AVAILABLE not in self.columns or line.available is None:
                continue
            if total > line.available:
                asks = "these lines ask" if counts[sku] > 1 else "this line asks"
                found[row] = (
                    f"Only {line.available:,} {line.item.unit} of {sku} available; "
                    f"{asks} for {total:,}."
                )
        if found == self.shortages:
            return False
        self.shortages = found
        if self.lines:
            last = self.index(len(self.lines) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        return True

    def _bad(self, line: LineItem, column: Column) -> bool:
        if column == Column.QTY:
            return line.qty is None
        if column == Column.COST and line.cost_text.strip():
            return line.problem(True) is not None and line.qty is not None
        return False

    @staticmethod
    def _text(line: LineItem, column: Column, editing: bool) -> str:
        item = line.item
        if column == Column.CODE:
            return item.code
        if column == Column.PRODUCT:
            name = item.name if item.code == item.sku else f"{item.name} ({item.sku})"
            name = name if item.active else f"{name} — inactive"
            return name if line.location is None else f"{name} @ {line.location}"
        if column == Column.QTY:
            return line.qty_text
        if column == Column.UNITS:
            qty = line.qty
            if qty is None:
                return ""
            units = f"{qty * item.pack_qty:,} {item.unit}"
            return units if item.pack_qty == 1 else f"{units} ({qty} × {item.pack_qty})"
        if column == Column.AVAILABLE:
            return "" if line.available is None else f"{line.available:,}"
        if column == Column.COST:
            return line.cost_text
        return ""


class CellDelegate(QStyledItemDelegate):
    """Editors for the quantity (digits only) and unit cost (an amount) cells."""

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        if self._columns[index.column()] == Column.QTY:
            editor.setValidator(regex_validator(r"\d{0,7}", editor))
        else:
            editor.setValidator(regex_validator(MONEY_PATTERN, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor


class LineTable(QTableView):
    """The lines on screen. Typing a number on any cell of a line edits that line's quantity
    (the cell the clerk's eyes are on is not always the Qty cell)."""

    def __init__(self, qty_column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._qty_column = qty_column
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
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.setCurrentIndex(current.siblingAtColumn(self._qty_column))
        super().keyPressEvent(event)


_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
