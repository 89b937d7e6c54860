"""The lines of a purchase order being written or amended: product, units ordered (and what that
is in the supplier's packs), unit price, and what was received so far.

Ordered units and the price are edited in the cells; the rest comes from the product and the
supplier's terms (`SupplierLinkView`). A line cannot be cut below what was already received."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from invdesk.domain.purchasing import OrderLine, POLineView, SupplierLinkView, order_quantity
from invdesk.domain.validation import MAX_QTY
from invdesk.ui.models.columns import Index, TableModel, money

_ERROR_BG = QColor("#fdecea")


class POColumn(enum.IntEnum):
    SKU = 0
    PRODUCT = 1
    SUPPLIER_SKU = 2
    ORDERED = 3
    PACKS = 4
    UNIT_PRICE = 5
    TOTAL = 6
    RECEIVED = 7
    OPEN = 8


HEADERS = {
    POColumn.SKU: "SKU",
    POColumn.PRODUCT: "Product",
    POColumn.SUPPLIER_SKU: "Supplier SKU",
    POColumn.ORDERED: "Ordered (units)",
    POColumn.PACKS: "Packs",
    POColumn.UNIT_PRICE: "Unit price",
    POColumn.TOTAL: "Line total",
    POColumn.RECEIVED: "Received",
    POColumn.OPEN: "Open",
}
EDITABLE = frozenset({POColumn.ORDERED, POColumn.UNIT_PRICE})


@dataclass
class DraftLine:
    """One line as the form holds it: typed text until it is saved."""

    sku: str
    name: str
    supplier_sku: str | None
    ordered_text: str
    pack_size: int = 1
    price_text: str = ""
    received: int = 0

    @property
    def ordered(self) -> int | None:
        text = self.ordered_text.replace(",", "").strip()
        return int(text) if text.isdigit() and 0 < int(text) <= MAX_QTY else None

    @property
    def unit_price(self) -> Decimal | None:
        try:
            value = Decimal(self.price_text.replace(",", ".")) if self.price_text.strip() else None
        except InvalidOperation:
            return None
        return value if value is None or value >= 0 else None

    def problem(self) -> str | None:
        ordered = self.ordered
        if ordered is None:
            return f"{self.sku}: order a whole number of units (1 or more)."
        if ordered < self.received:
            return f"{self.sku}: {self.received:,} already received; order at least that."
        if self.price_text.strip() and self.unit_price is None:
            return f"{self.sku}: the unit price is not an amount."
        return None

    def packs_text(self) -> str:
        ordered = self.ordered
        if ordered is None:
            return ""
        packs = Decimal(ordered) / self.pack_size
        shown = f"{packs:f}".rstrip("0").rstrip(".") if "." in f"{packs:f}" else f"{packs:f}"
        uneven = "" if ordered % self.pack_size == 0 else " (not whole packs)"
        return f"{shown} × {self.pack_size}{uneven}"


def price_text(value: Decimal | None) -> str:
    """A unit price as typed: cents always, more places only when it has them (3.70, 1.2345)."""
    if value is None:
        return ""
    trimmed = value.normalize()
    exponent = trimmed.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        trimmed = value.quantize(Decimal("0.01"))
    return f"{trimmed:f}"


def from_view(line: POLineView) -> DraftLine:
    price = price_text(line.unit_price)
    return DraftLine(
        line.sku,
        line.product_name,
        line.supplier_sku,
        str(line.ordered),
        line.pack_size,
        price,
        line.received,
    )


def from_link(sku: str, name: str, link: SupplierLinkView | None, wanted: int) -> DraftLine:
    """A new line: the units wanted rounded up to the supplier's packs and minimum."""
    if link is None:
        return DraftLine(sku, name, None, str(wanted))
    price = link.unit_price
    return DraftLine(
        sku,
        name,
        link.supplier_sku,
        str(order_quantity(wanted, link.pack_size, link.min_qty)),
        link.pack_size,
        price_text(price),
    )


class POLineModel(TableModel):
    """The lines of one PO; `editable` off for a received or cancelled PO."""

    COLUMNS = POColumn
    HEADERS = HEADERS
    NUMERIC = frozenset(
        {POColumn.ORDERED, POColumn.UNIT_PRICE, POColumn.TOTAL, POColumn.RECEIVED, POColumn.OPEN}
    )
    lines_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[DraftLine] = []
        self.editable = True

    def row_at(self, row: int) -> DraftLine | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def display(self, row: DraftLine, column: Any) -> str:
        ordered, price = row.ordered, row.unit_price
        match column:
            case POColumn.SKU:
                return row.sku
            case POColumn.PRODUCT:
                return row.name
            case POColumn.SUPPLIER_SKU:
                return row.supplier_sku or ""
            case POColumn.ORDERED:
                return row.ordered_text
            case POColumn.PACKS:
                return row.packs_text()
            case POColumn.UNIT_PRICE:
                return row.price_text
            case POColumn.TOTAL:
                return money(price * ordered) if price is not None and ordered else ""
            case POColumn.RECEIVED:
                return f"{row.received:,}"
            case POColumn.OPEN:
                return "" if ordered is None else f"{max(0, ordered - row.received):,}"
        return ""

    def cell(self, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole:
            row = self.row_at(index.row())
            return None if row is None else self.display(row, POColumn(index.column()))
        return super().cell(index, role)

    def style(self, row: DraftLine, column: Any, role: int) -> Any:
        bad = row.problem() is not None and column in EDITABLE
        if role == Qt.ItemDataRole.BackgroundRole and bad:
            return QBrush(_ERROR_BG)
        if role == Qt.ItemDataRole.ToolTipRole and bad:
            return row.problem()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and POColumn(index.column()) in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        line = self.row_at(index.row())
        if role != Qt.ItemDataRole.EditRole or line is None or not self.editable:
            return False
        column = POColumn(index.column())
        if column == POColumn.ORDERED:
            line.ordered_text = str(value).strip()
        elif column == POColumn.UNIT_PRICE:
            line.price_text = str(value).strip()
        else:
            return False
        self._row_changed(index.row())
        return True

    # The document -------------------------------------------------------------------------------
    def set_lines(self, lines: list[DraftLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()
        self.lines_changed.emit()

    def add(self, line: DraftLine) -> int:
        """A product once per PO: adding it again adds to its line's units."""
        for row, have in enumerate(self.lines):
            if have.sku == line.sku:
                have.ordered_text = str((have.ordered or 0) + (line.ordered or 0))
                self._row_changed(row)
                return row
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(line)
        self.endInsertRows()
        self.lines_changed.emit()
        return row

    def remove_rows(self, rows: list[int]) -> list[str]:
        """Remove lines not yet received from; the SKUs of those kept (received already)."""
        kept = []
        for row in sorted(set(rows), reverse=True):
            line = self.row_at(row)
            if line is None:
                continue
            if line.received:
                kept.append(line.sku)
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.lines[row]
            self.endRemoveRows()
        self.lines_changed.emit()
        return kept

    def problems(self) -> list[str]:
        return [p for p in (line.problem() for line in self.lines) if p]

    def total(self) -> Decimal:
        return sum(
            (
                (line.unit_price or Decimal(0)) * (line.ordered or 0)
                for line in self.lines
                if line.unit_price is not None
            ),
            Decimal(0),
        )

    def order_lines(self) -> tuple[OrderLine, ...]:
        return tuple(
            OrderLine(line.sku, line.ordered, line.unit_price if line.price_text else None)
            for line in self.lines
        )

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(POColumn) - 1))
        self.lines_changed.emit()
