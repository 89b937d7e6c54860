"""The product catalogue as a paged table: search, category, inactive products, SQL sorting."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from invdesk.domain.browse import Page, PageRequest, ProductQuery, ProductRow, ProductSort
from invdesk.domain.security import Actor
from invdesk.services.reads import browse
from invdesk.services.system.database import Database
from invdesk.ui.background import Background
from invdesk.ui.models.columns import money, qty
from invdesk.ui.models.paged import QueryTableModel


class Column(enum.IntEnum):
    SKU = 0
    NAME = 1
    CATEGORY = 2
    BARCODE = 3
    UNIT = 4
    PRICE = 5
    COST = 6
    ON_HAND = 7


HEADERS = {
    Column.SKU: "SKU",
    Column.NAME: "Name",
    Column.CATEGORY: "Category",
    Column.BARCODE: "Barcode",
    Column.UNIT: "Unit",
    Column.PRICE: "Price",
    Column.COST: "Cost",
    Column.ON_HAND: "On hand",
}
SORTS = {
    Column.SKU: ProductSort.SKU,
    Column.NAME: ProductSort.NAME,
    Column.PRICE: ProductSort.PRICE,
}
_NUMERIC = {Column.PRICE, Column.COST, Column.ON_HAND}
_INACTIVE = QColor("#8a94a0")


def _display(row: ProductRow, column: Column) -> str:
    match column:
        case Column.SKU:
            return row.sku
        case Column.NAME:
            return row.name if row.active else f"{row.name} (inactive)"
        case Column.CATEGORY:
            return row.category
        case Column.BARCODE:
            return row.barcode or ""
        case Column.UNIT:
            return row.unit
        case Column.PRICE:
            return money(row.price)
        case Column.COST:
            return money(row.cost)
        case Column.ON_HAND:
            return qty(row.on_hand)


class ProductTableModel(QueryTableModel):
    COLUMNS = Column
    HEADERS = HEADERS
    NUMERIC = _NUMERIC
    SORTS = SORTS
    query: ProductQuery

    def __init__(
        self, db: Database, actor: Actor, parent: Any = None, background: Background | None = None
    ) -> None:
        super().__init__(db, actor, ProductQuery(), parent, background)

    def count(self) -> int:
        return browse.count_products(self._db, self._actor, self.query)

    def fetch(self, request: PageRequest) -> Page[ProductRow]:
        return browse.product_page(self._db, self._actor, self.query, request)

    def row_ids(self, row: Any) -> tuple[Any, ...]:
        return (row.id,)

    def fetch_rows(self, ids: frozenset[Any]) -> Page[ProductRow]:
        return browse.product_rows(self._db, self._actor, self.query, sorted(ids))

    def display(self, row: Any, column: Any) -> str:
        return _display(row, column)

    def style(self, row: Any, column: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return _INACTIVE
        return None
