"""The lines of a stock document as a small editable table: code, product, quantity, cost, and
for products tracked by lot or serial the lot, its expiry and the serials (columns a dialog shows
only while a line needs them, so a shop without lots sees the table it always saw)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line
from invdesk.domain.tracking import day
from invdesk.services.reads.dialog_lookups import ScannedCode
from invdesk.ui.dialogs.line_item import LineItem
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
    LOT = 6
    EXPIRY = 7
    SERIALS = 8


HEADERS = {
    Column.CODE: "SKU / barcode",
    Column.PRODUCT: "Product",
    Column.QTY: "Qty",
    Column.UNITS: "Units",
    Column.AVAILABLE: "Available",
    Column.COST: "Unit cost",
    Column.LOT: "Lot",
    Column.EXPIRY: "Expiry",
    Column.SERIALS: "Serials",
}
TRACKING_COLUMNS = (Column.LOT, Column.EXPIRY, Column.SERIALS)
"""Shown by a dialog only while a line needs them (`LineModel.needs`)."""
TEXT_COLUMNS = frozenset(TRACKING_COLUMNS)
_EDITABLE = frozenset({Column.QTY, Column.COST, *TRACKING_COLUMNS})
_RIGHT = {Column.QTY, Column.UNITS, Column.AVAILABLE, Column.COST}
_SHORT_CELLS = {Column.QTY, Column.UNITS, Column.AVAILABLE}


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
        self.lot_required = False
        """Set by a receipt: a lot-tracked product's line needs its lot before posting."""

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
        if self.columns[index.column()] in _EDITABLE:
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
        elif column == Column.LOT:
            line.lot_text = str(value).strip()
        elif column == Column.EXPIRY:
            line.expiry_text = str(value).strip()
        elif column == Column.SERIALS:
            # Typed as a list: the line is as many units as it names serials.
            line.serials = list(
                dict.fromkeys(s.strip() for s in str(value).split(",") if s.strip())
            )
            line.qty_text = str(len(line.serials)) if line.serials else line.qty_text
        else:
            return False
        line.error = None
        self._row_changed(index.row())
        return True

    # Document operations ------------------------------------------------------------------------
    def add(self, item: ScannedCode, qty: int = 1, location: str | None = None) -> int:
        """Add `qty` scans of a code: a new line, or more on the line that has that code (and
        location: the same product scanned after another location is a line of its own; and the
        scan's lot); a scan with a serial adds that serial (one unit). Raises ValidationError
        for a serial already on the document."""
        serial = item.scan.serial if item.scan is not None else None
        if serial is not None:
            for row, line in enumerate(self.lines):
                if line.item.sku == item.sku and serial in line.serials:
                    raise ValidationError(
                        f"Serial {serial} of {item.sku} is on line {row + 1} already.",
                        field="serials",
                    )
        for row, line in enumerate(self.lines):
            if line.location == location and line.takes(item):
                line.take(item, qty)
                line.error = None
                self._row_changed(row)
                return row
        line = LineItem(item, "0", location=location)
        line.take(item, qty)
        return self.append(line)

    def append(self, line: LineItem) -> int:
        """A line as it is (a draft's line read back): never merged with another."""
        row = len(self.lines)
        line.lot_required = self.lot_required
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(line)
        self.endInsertRows()
        self._recheck()
        self.lines_changed.emit()
        return row

    def add_serial(self, row: int, serial: str) -> None:
        """A serial scanned for the product on `row` (its label carries no GS1 data)."""
        for other, line in enumerate(self.lines):
            if line.item.sku == self.lines[row].item.sku and serial in line.serials:
                raise ValidationError(
                    f"Serial {serial} of {line.item.sku} is on line {other + 1} already.",
                    field="serials",
                )
        self.lines[row].add_serial(serial)
        self.lines[row].error = None
        self._row_changed(row)

    def needs(self, column: Column) -> bool:
        """Whether any line needs a lot / expiry / serials column (a tracked product, or a scan
        that named one); the other columns are always needed."""
        if column in (Column.LOT, Column.EXPIRY):
            return any(
                line.tracking == "lot" or line.lot_text or line.expiry_text for line in self.lines
            )
        if column == Column.SERIALS:
            return any(line.tracking == "serial" or line.serials for line in self.lines)
        return True

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
        """Show a service error on one line (or clear every line's error with row None).
        Called on every edit and scan: the table repaints only when an error came or went."""
        changed = False
        for i, line in enumerate(self.lines):
            wanted = message if i == row else None
            if line.error != wanted:
                line.error, changed = wanted, True
        if changed:
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
        if column == Column.LOT:
            return line.lot_required and line.tracking == "lot" and not line.lot_text.strip()
        if column == Column.EXPIRY and line.expiry_text.strip():
            try:
                day(line.expiry_text, label="Expiry", field="expiry")
            except ValidationError:
                return True
        if column == Column.SERIALS:
            return line.tracking == "serial" and len(line.serials) != line.qty
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
        if column == Column.LOT:
            return line.lot_text
        if column == Column.EXPIRY:
            return line.expiry_text
        if column == Column.SERIALS:
            return ", ".join(line.serials)
        return ""
