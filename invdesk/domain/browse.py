"""What the browsing screens ask for and get back: queries, sort orders, pages and row views."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invdesk.domain.stock import MovementView

Key = tuple[object, ...]
"""A keyset position: the sort values of one row, ending with its unique id columns."""


@dataclass(frozen=True)
class PageRequest:
    """One page of a sorted result: `limit` rows after `after` (or before `before`) skipping `offset`.

    `from_end` counts `offset` back from the last row, so the end of a million-row list is as
    cheap to reach as its start. Rows always come back in the list's order.
    """

    limit: int = 100
    offset: int = 0
    after: Key | None = None
    before: Key | None = None
    from_end: bool = False


@dataclass(frozen=True)
class Page[T]:
    rows: tuple[T, ...]
    keys: tuple[Key, ...]


class ProductSort(enum.StrEnum):
    SKU = "sku"
    NAME = "name"
    PRICE = "price"


@dataclass(frozen=True)
class ProductQuery:
    """`search` matches the start of a SKU, a name (both ignoring case) or a barcode."""

    search: str = ""
    category: str | None = None
    include_inactive: bool = False
    sort: ProductSort = ProductSort.SKU
    descending: bool = False


@dataclass(frozen=True)
class ProductRow:
    id: int
    sku: str
    name: str
    category: str
    unit: str
    price: Decimal
    cost: Decimal
    active: bool
    barcode: str | None
    on_hand: int


class StockSort(enum.StrEnum):
    SKU = "sku"
    NAME = "name"
    WAREHOUSE = "warehouse"
    ON_HAND = "on_hand"
    RESERVED = "reserved"
    AVAILABLE = "available"


@dataclass(frozen=True)
class StockQuery:
    search: str = ""
    warehouse: str | None = None
    include_empty: bool = False
    sort: StockSort = StockSort.SKU
    descending: bool = False


@dataclass(frozen=True)
class StockRow:
    sku: str
    name: str
    warehouse: str
    unit: str
    on_hand: int
    reserved: int
    avg_cost: Decimal
    reorder_point: int | None = None
    """From the restock policy of this product and warehouse; None while it has none."""
    product_id: int = 0
    warehouse_id: int = 0
    on_order: int = 0
    """Units on sent purchase orders not yet received (services.reads.on_order)."""

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def needs_reorder(self) -> bool:
        return self.reorder_point is not None and self.available <= self.reorder_point


@dataclass(frozen=True)
class WarehouseTotals:
    code: str
    name: str
    address: str | None
    active: bool
    products: int
    units: int
    reserved: int
    value: Decimal


@dataclass(frozen=True)
class ProductMatch:
    """What a scanned or typed code is: the product, and how many units one scan stands for."""

    sku: str
    name: str
    active: bool
    pack_qty: int
    by_barcode: bool


@dataclass(frozen=True)
class DashboardSummary:
    products: int
    warehouses: int
    units: int
    stock_value: Decimal
    movements_today: int
    open_reservations: int
    out_of_stock: int
    recent: tuple[MovementView, ...]
    as_of: datetime
