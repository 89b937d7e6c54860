"""Stock per product and warehouse as a paged table; rows at or below reorder point stand out."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from invdesk.domain.browse import Page, PageRequest, StockQuery, StockRow, StockSort
from invdesk.domain.security import Actor
from invdesk.services.reads import browse
from invdesk.services.system.database import Database
from invdesk.ui.background import Background
from invdesk.ui.models.columns import money, qty
from invdesk.ui.models.paged import QueryTableModel


class Column(enum.IntEnum):
    SKU = 0
    NAME = 1
    WAREHOUSE = 2
    ON_HAND = 3
    RESERVED = 4
    AVAILABLE = 5
    REORDER_POINT = 6
    AVG_COST = 7
    ON_ORDER = 8  # last: a saved column order from before purchasing stays right


HEADERS = {
    Column.SKU: "SKU",
    Column.NAME: "Product",
    Column.WAREHOUSE: "Warehouse",
    Column.ON_HAND: "On hand",
    Column.RESERVED: "Reserved",
    Column.AVAILABLE: "Available",
    Column.REORDER_POINT: "Reorder at",
    Column.AVG_COST: "Avg cost",
    Column.ON_ORDER: "On order",
}
SORTS = {
    Column.SKU: StockSort.SKU,
    Column.NAME: StockSort.NAME,
    Column.WAREHOUSE: StockSort.WAREHOUSE,
    Column.ON_HAND: StockSort.ON_HAND,
    Column.RESERVED: StockSort.RESERVED,
    Column.AVAILABLE: StockSort.AVAILABLE,
}
_NUMERIC = {
    Column.ON_HAND,
    Column.RESERVED,
    Column.AVAILABLE,
    Column.REORDER_POINT,
    Column.AVG_COST,
    Column.ON_ORDER,
}
LOW = QColor("#fff1d6")
EMPTY = QColor("#c0392b")


def _display(row: StockRow, column: Column) -> str:
    match column:
        case Column.SKU:
            return row.sku
        case Column.NAME:
            return row.name
        case Column.WAREHOUSE:
            return row.warehouse
        case Column.ON_HAND:
            return qty(row.on_hand)
        case Column.RESERVED:
            return qty(row.reserved)
        case Column.AVAILABLE:
            return qty(row.available)
        case Column.REORDER_POINT:
            return qty(row.reorder_point)
        case Column.AVG_COST:
            return money(row.avg_cost)
        case Column.ON_ORDER:
            return qty(row.on_order) if row.on_order else ""


class StockLevelModel(QueryTableModel):
    COLUMNS = Column
    HEADERS = HEADERS
    NUMERIC = _NUMERIC
    SORTS = SORTS
    query: StockQuery

    def __init__(
        self, db: Database, actor: Actor, parent: Any = None, background: Background | None = None
    ) -> None:
        super().__init__(db, actor, StockQuery(), parent, background)

    def count(self) -> int:
        return browse.count_stock(self._db, self._actor, self.query)

    def fetch(self, request: PageRequest) -> Page[StockRow]:
        return browse.stock_page(self._db, self._actor, self.query, request)

    def row_ids(self, row: Any) -> tuple[Any, ...]:
        return (("level", row.product_id, row.warehouse_id), ("product", row.product_id))

    def fetch_rows(self, ids: frozenset[Any]) -> Page[StockRow]:
        levels = [(i[1], i[2]) for i in ids if i[0] == "level"]
        products = [i[1] for i in ids if i[0] == "product"]
        return browse.stock_rows(self._db, self._actor, self.query, levels, products)

    def refresh_levels(self, levels: Any = (), products: Any = ()) -> None:
        """Live update: re-read the stock rows of these (product id, warehouse id) pairs and of
        these product ids, in place."""
        self.refresh_rows(
            [("level", int(p), int(w)) for p, w in levels] + [("product", int(p)) for p in products]
        )

    def display(self, row: Any, column: Any) -> str:
        return _display(row, column)

    def style(self, row: Any, column: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.needs_reorder:
            return LOW
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.AVAILABLE:
            return EMPTY if row.available <= 0 else None
        return None
