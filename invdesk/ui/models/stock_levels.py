"""Stock levels as a Qt table: rows are StockLevelView DTOs fetched by a service."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from invdesk.domain.stock import StockLevelView


class Column(enum.IntEnum):
    SKU = 0
    NAME = 1
    WAREHOUSE = 2
    ON_HAND = 3
    RESERVED = 4
    AVAILABLE = 5


HEADERS = {
    Column.SKU: "SKU",
    Column.NAME: "Product",
    Column.WAREHOUSE: "Warehouse",
    Column.ON_HAND: "On hand",
    Column.RESERVED: "Reserved",
    Column.AVAILABLE: "Available",
}
_NUMERIC = {Column.ON_HAND, Column.RESERVED, Column.AVAILABLE}
Index = QModelIndex | QPersistentModelIndex


class StockLevelModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StockLevelView] = []

    def set_rows(self, rows: list[StockLevelView]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.SKU: row.sku,
                Column.NAME: row.product_name,
                Column.WAREHOUSE: row.warehouse,
                Column.ON_HAND: f"{row.on_hand:,}",
                Column.RESERVED: f"{row.reserved:,}",
                Column.AVAILABLE: f"{row.available:,}",
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
