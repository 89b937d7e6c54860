"""Catalog commands and views: categories, products with barcodes, warehouses."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_CATEGORIES = ("Electronics", "Food", "Clothing", "Tools", "Office", "Other")
SKU_MAX = 64
NAME_MAX = 200
UNIT_MAX = 16
CATEGORY_MAX = 64
DESCRIPTION_MAX = 5000
CATEGORY_SEPARATOR = " > "
WAREHOUSE_CODE_MAX = 16
ADDRESS_MAX = 500
REFERENCE_MAX = 100
REASON_MAX = 500


def category_key(name: str) -> str:
    """What two category names must share to be the same: case-folded ('Écrous' = 'écrous')."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


@dataclass(frozen=True)
class BarcodeView:
    code: str
    pack_qty: int


@dataclass(frozen=True)
class ProductView:
    id: int
    sku: str
    name: str
    category: str
    unit: str
    price: Decimal
    cost: Decimal
    active: bool
    version: int
    barcodes: tuple[BarcodeView, ...] = ()
    description: str | None = None
    tracking: str = "none"
    shelf_life_days: int | None = None


@dataclass(frozen=True)
class CreateProduct:
    sku: str
    name: str
    category: str
    unit: str = "each"
    price: object = "0"
    cost: object = "0"
    barcodes: tuple[tuple[str, int], ...] = ()
    description: str | None = None
    tracking: object = "none"
    shelf_life_days: object = None


@dataclass(frozen=True)
class EditProduct:
    """Changes to a product; None leaves a field as it is. `expected_version` guards against stale edits."""

    sku: str
    expected_version: int | None = None
    new_sku: str | None = None
    name: str | None = None
    category: str | None = None
    unit: str | None = None
    price: object = None
    cost: object = None
    active: bool | None = None
    description: str | None = None
    """None leaves the description as it is; an empty text clears it."""
    tracking: object = None
    """none, lot or serial; changes only while the product has no stock anywhere."""
    shelf_life_days: object = None
    """Days; None leaves it, 0 or an empty text clears it."""


@dataclass(frozen=True)
class WarehouseView:
    id: int
    code: str
    name: str
    address: str | None
    active: bool
    version: int
    expiry_warning_days: int = 30


@dataclass(frozen=True)
class EditWarehouse:
    code: str
    expected_version: int | None = None
    name: str | None = None
    address: str | None = None
    active: bool | None = None
    # Lots expiring within this many days raise an alert (0: only expired ones).
    expiry_warning_days: object = None


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    version: int
    active: bool = True
    parent: str | None = None
    products: int = 0

    @property
    def path(self) -> str:
        """How the category is shown: "Clothing > Shirts" for a sub-category, else its name."""
        return self.name if self.parent is None else f"{self.parent}{CATEGORY_SEPARATOR}{self.name}"


def category_leaf(text: str) -> str:
    """The category a path names: its last segment ("Apparel > Clothing > Shirts" -> "Shirts")."""
    return text.split(">")[-1].strip()
