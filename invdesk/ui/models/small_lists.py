"""Small lists held in memory, one shape each: a column enum and per column its title and text.

Warehouses with their totals, locations, stock by location and lot, reservations, and the Admin
page's API tokens, webhooks and their deliveries."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from typing import Any

from invdesk.domain.outbound import DeliveryView
from invdesk.domain.tokens import TokenView
from invdesk.ui.models.columns import ListTableModel, money, qty, when

Spec = Mapping[Any, tuple[str, Callable[[Any], str]]]
"""Column -> (title, the cell's text of a row)."""


def spec_model(
    columns: type[enum.IntEnum], spec: Spec, numeric: Collection[int] = (), parent: Any = None
) -> ListTableModel:
    headers = {column: spec[column][0] for column in columns}
    return ListTableModel(
        columns, headers, lambda row, column: spec[column][1](row), numeric, parent
    )


def _by(row: Any) -> str:
    return f"{when(row.created_at)} by {row.created_by}"


class WarehouseColumn(enum.IntEnum):
    CODE = 0
    NAME = 1
    ADDRESS = 2
    PRODUCTS = 3
    UNITS = 4
    RESERVED = 5
    VALUE = 6
    STATUS = 7


WAREHOUSES: Spec = {
    WarehouseColumn.CODE: ("Code", lambda r: r.code),
    WarehouseColumn.NAME: ("Name", lambda r: r.name),
    WarehouseColumn.ADDRESS: ("Address", lambda r: r.address or ""),
    WarehouseColumn.PRODUCTS: ("Products in stock", lambda r: qty(r.products)),
    WarehouseColumn.UNITS: ("Units on hand", lambda r: qty(r.units)),
    WarehouseColumn.RESERVED: ("Reserved", lambda r: qty(r.reserved)),
    WarehouseColumn.VALUE: ("Stock value", lambda r: money(r.value)),
    WarehouseColumn.STATUS: ("Status", lambda r: "Active" if r.active else "Inactive"),
}


def warehouse_model(parent: Any = None) -> ListTableModel:
    """Rows: WarehouseTotals (domain.browse)."""
    numeric = [c for c in WarehouseColumn if WarehouseColumn.PRODUCTS <= c <= WarehouseColumn.VALUE]
    return spec_model(WarehouseColumn, WAREHOUSES, numeric, parent)


class LocationColumn(enum.IntEnum):
    CODE = 0
    NAME = 1
    TYPE = 2
    ZONE = 3
    UNITS = 4
    STATUS = 5


LOCATIONS: Spec = {
    LocationColumn.CODE: ("Code", lambda r: r.code),
    LocationColumn.NAME: ("Name", lambda r: r.name or ""),
    LocationColumn.TYPE: ("Type", lambda r: r.type.value.capitalize()),
    LocationColumn.ZONE: ("Zone", lambda r: r.zone or ""),
    LocationColumn.UNITS: ("Units on hand", lambda r: qty(r.on_hand)),
    LocationColumn.STATUS: ("Status", lambda r: "Active" if r.active else "Inactive"),
}


def location_model(parent: Any = None) -> ListTableModel:
    """Rows: LocationView (domain.locations)."""
    return spec_model(LocationColumn, LOCATIONS, [LocationColumn.UNITS], parent)


class QuantColumn(enum.IntEnum):
    SKU = 0
    NAME = 1
    WAREHOUSE = 2
    LOCATION = 3
    LOT = 4
    EXPIRY = 5
    ON_HAND = 6


QUANTS: Spec = {
    QuantColumn.SKU: ("SKU", lambda r: r.sku),
    QuantColumn.NAME: ("Name", lambda r: r.product_name),
    QuantColumn.WAREHOUSE: ("Warehouse", lambda r: r.warehouse),
    QuantColumn.LOCATION: ("Location", lambda r: r.location or "(default)"),
    QuantColumn.LOT: ("Lot", lambda r: r.lot or ""),
    QuantColumn.EXPIRY: ("Expiry", lambda r: "" if r.expiry is None else r.expiry.isoformat()),
    QuantColumn.ON_HAND: ("On hand", lambda r: qty(r.on_hand)),
}


def quant_model(parent: Any = None) -> ListTableModel:
    """Rows: QuantView (domain.locations), stock by location and lot."""
    return spec_model(QuantColumn, QUANTS, [QuantColumn.ON_HAND], parent)


class ReservationColumn(enum.IntEnum):
    ID = 0
    SKU = 1
    WAREHOUSE = 2
    QTY = 3
    STATUS = 4
    REFERENCE = 5
    USER = 6
    CREATED = 7
    EXPIRES = 8


RESERVATIONS: Spec = {
    ReservationColumn.ID: ("No.", lambda r: str(r.id)),
    ReservationColumn.SKU: ("SKU", lambda r: r.sku),
    ReservationColumn.WAREHOUSE: ("Warehouse", lambda r: r.warehouse),
    ReservationColumn.QTY: ("Quantity", lambda r: qty(r.qty)),
    ReservationColumn.STATUS: ("Status", lambda r: r.status.value.capitalize()),
    ReservationColumn.REFERENCE: ("Reference", lambda r: r.reference or ""),
    ReservationColumn.USER: ("User", lambda r: r.user),
    ReservationColumn.CREATED: ("Created", lambda r: when(r.created_at)),
    ReservationColumn.EXPIRES: ("Expires / closed", lambda r: when(r.closed_at or r.expires_at)),
}


def reservation_model(parent: Any = None) -> ListTableModel:
    """Rows: ReservationView (domain.stock)."""
    numeric = [ReservationColumn.ID, ReservationColumn.QTY]
    return spec_model(ReservationColumn, RESERVATIONS, numeric, parent)


class TokenColumn(enum.IntEnum):
    NAME = 0
    SCOPES = 1
    WAREHOUSES = 2
    ENDS_IN = 3
    STATUS = 4
    CREATED = 5


def _token_status(row: TokenView) -> str:
    if row.active:
        return "Active"
    return f"Revoked {when(row.revoked_at)} by {row.revoked_by or '?'}"


TOKENS: Spec = {
    TokenColumn.NAME: ("Name", lambda r: r.name),
    TokenColumn.SCOPES: ("Scopes", lambda r: ", ".join(s.value for s in r.scopes)),
    TokenColumn.WAREHOUSES: ("Warehouses", lambda r: ", ".join(r.warehouses) or "All"),
    TokenColumn.ENDS_IN: ("Ends in", lambda r: f"…{r.last_four}"),
    TokenColumn.STATUS: ("Status", _token_status),
    TokenColumn.CREATED: ("Created", _by),
}


def token_model(parent: Any = None) -> ListTableModel:
    """Rows: TokenView."""
    return spec_model(TokenColumn, TOKENS, parent=parent)


class WebhookColumn(enum.IntEnum):
    ID = 0
    URL = 1
    EVENTS = 2
    CREATED = 3


WEBHOOKS: Spec = {
    WebhookColumn.ID: ("No.", lambda r: str(r.id)),
    WebhookColumn.URL: ("Address", lambda r: r.url),
    WebhookColumn.EVENTS: ("Events", lambda r: ", ".join(r.events)),
    WebhookColumn.CREATED: ("Added", _by),
}


def webhook_model(parent: Any = None) -> ListTableModel:
    """Rows: WebhookView (domain.outbound)."""
    return spec_model(WebhookColumn, WEBHOOKS, [WebhookColumn.ID], parent)


class DeliveryColumn(enum.IntEnum):
    ID = 0
    EVENT = 1
    RECIPIENT = 2
    STATUS = 3
    ATTEMPTS = 4
    CREATED = 5
    LAST_ANSWER = 6
    NEXT = 7


def _answer(row: DeliveryView) -> str:
    if row.response_code is None and not row.response_text:
        return ""
    code = "" if row.response_code is None else f"{row.response_code} "
    return f"{code}{row.response_text or ''}".strip()


DELIVERIES: Spec = {
    DeliveryColumn.ID: ("No.", lambda r: str(r.id)),
    DeliveryColumn.EVENT: ("Event", lambda r: f"{r.event_type} ({r.event_id})"),
    DeliveryColumn.RECIPIENT: ("To", lambda r: f"{r.channel}: {r.recipient}"),
    DeliveryColumn.STATUS: ("Status", lambda r: r.status.capitalize()),
    DeliveryColumn.ATTEMPTS: ("Attempts", lambda r: str(r.attempts)),
    DeliveryColumn.CREATED: ("Created", lambda r: when(r.created_at)),
    DeliveryColumn.LAST_ANSWER: ("Last answer", _answer),
    DeliveryColumn.NEXT: ("Next try", lambda r: when(r.next_attempt_at)),
}


def delivery_model(parent: Any = None) -> ListTableModel:
    """Rows: DeliveryView."""
    numeric = [DeliveryColumn.ID, DeliveryColumn.ATTEMPTS]
    return spec_model(DeliveryColumn, DELIVERIES, numeric, parent)
