"""What a sales channel sees through the API: stock rows, one product's stock, pages of them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from invdesk.domain.errors import ValidationError

PAGE_MAX = 1000
PAGE_DEFAULT = 100


@dataclass(frozen=True)
class InventoryRow:
    sku: str
    name: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime | None


@dataclass(frozen=True)
class InventoryPage:
    items: tuple[InventoryRow, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class WarehouseStock:
    warehouse: str
    on_hand: int
    reserved: int
    available: int


@dataclass(frozen=True)
class ProductStock:
    sku: str
    name: str
    available: int
    warehouses: tuple[WarehouseStock, ...]


def encode_cursor(sku: str, warehouse: str) -> str:
    """The opaque position after a row: the next page starts past (sku, warehouse)."""
    return base64.urlsafe_b64encode(json.dumps([sku, warehouse]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        sku, warehouse = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(sku, str) and isinstance(warehouse, str):
            return sku, warehouse
    except ValueError:
        pass
    raise ValidationError(
        "This cursor is not one the server gave out; start again without it.", field="cursor"
    )


def parse_utc(value: str, *, field: str) -> datetime:
    """An ISO 8601 time; without an offset it is taken as UTC (the API speaks UTC)."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"“{value}” is not an ISO 8601 time such as 2026-12-07T09:30:00Z.", field=field
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def page_size(value: int | None) -> int:
    if value is None:
        return PAGE_DEFAULT
    if not 1 <= value <= PAGE_MAX:
        raise ValidationError(f"limit must be between 1 and {PAGE_MAX:,}.", field="limit")
    return value
