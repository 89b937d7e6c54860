"""The API's JSON shapes (request bodies and answers), built from the services' views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from invdesk.domain.channels import InventoryPage, ProductStock
from invdesk.domain.orders import OrderStatus, OrderView
from invdesk.domain.restock import AlertView
from invdesk.domain.stock import MovementView
from invdesk.server.errors import wrong_type

# An open order's lines are held: the API calls that status "reserved".
_ORDER_STATUS = {OrderStatus.OPEN: "reserved"}


class ReplenishIn(msgspec.Struct):
    sku: str
    warehouse: str
    qty: int
    reference: str | None = None
    unit_cost: str | int | float | None = None


class OrderLineIn(msgspec.Struct):
    sku: str
    qty: int


class OrderIn(msgspec.Struct):
    channel: str
    reference: str
    warehouse: str
    lines: list[OrderLineIn]
    hold_minutes: int | None = None


class InventoryRowOut(msgspec.Struct):
    sku: str
    name: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime | None


class InventoryPageOut(msgspec.Struct):
    items: list[InventoryRowOut]
    next_cursor: str | None


class WarehouseStockOut(msgspec.Struct):
    warehouse: str
    on_hand: int
    reserved: int
    available: int


class ProductStockOut(msgspec.Struct):
    sku: str
    name: str
    available: int
    warehouses: list[WarehouseStockOut]


class MovementOut(msgspec.Struct):
    id: int
    kind: str
    sku: str
    warehouse: str
    qty: int
    balance_after: int
    unit_cost: str | None
    reference: str | None
    user: str
    at: datetime


class AlertOut(msgspec.Struct):
    id: int
    sku: str
    name: str
    warehouse: str
    kind: str
    status: str
    available: int
    threshold: int
    raised_at: datetime
    resolved_at: datetime | None


class AlertsOut(msgspec.Struct):
    items: list[AlertOut]


class OrderLineOut(msgspec.Struct):
    line: int
    sku: str
    name: str
    warehouse: str
    qty: int
    status: str | None


class OrderOut(msgspec.Struct):
    id: int
    channel: str
    reference: str
    status: str
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    lines: list[OrderLineOut]


def inventory_page(page: InventoryPage) -> InventoryPageOut:
    return InventoryPageOut(
        [
            InventoryRowOut(
                r.sku, r.name, r.warehouse, r.on_hand, r.reserved, r.available, r.updated_at
            )
            for r in page.items
        ],
        page.next_cursor,
    )


def product_stock(stock: ProductStock) -> ProductStockOut:
    return ProductStockOut(
        stock.sku,
        stock.name,
        stock.available,
        [
            WarehouseStockOut(w.warehouse, w.on_hand, w.reserved, w.available)
            for w in stock.warehouses
        ],
    )


def movement(m: MovementView) -> MovementOut:
    cost = None if m.unit_cost is None else format(m.unit_cost.normalize(), "f")
    return MovementOut(
        m.id,
        m.kind.value,
        m.sku,
        m.warehouse,
        m.qty,
        m.balance_after,
        cost,
        m.reference,
        m.user,
        m.at,
    )


def alerts(views: list[AlertView]) -> AlertsOut:
    return AlertsOut(
        [
            AlertOut(
                a.id,
                a.sku,
                a.product_name,
                a.warehouse,
                a.kind.value,
                a.status.value,
                a.available,
                a.threshold,
                a.raised_at,
                a.resolved_at,
            )
            for a in views
        ]
    )


def order(view: OrderView) -> OrderOut:
    return OrderOut(
        view.id,
        view.channel.value,
        view.reference,
        _ORDER_STATUS.get(view.status, view.status.value),
        view.created_at,
        view.expires_at,
        view.closed_at,
        [
            OrderLineOut(
                line.line_no,
                line.sku,
                line.product_name,
                line.warehouse,
                line.qty,
                line.reservation_status,
            )
            for line in view.lines
        ],
    )


def strictly[T](body: bytes, parsed: T) -> T:
    """`parsed` (the framework's reading of `body`, which takes "5" or 5.0 for a whole number) read
    again as the API promises: every value of its own JSON type. ValidationError (422) naming the
    field otherwise."""
    try:
        found: T = msgspec.json.decode(body, type=type(parsed), strict=True)
    except msgspec.ValidationError as error:
        path = str(error).rpartition(" - at `")[2].rstrip("`")
        invalid = wrong_type(path, str(error))
        if invalid is None:
            raise
        raise invalid from None
    return found


def plain(value: Any) -> Any:
    """A shape as JSON-ready builtins (for fingerprints and the kept answers)."""
    return msgspec.to_builtins(value)
