"""Small lists held in memory: warehouses with their totals, and reservations."""

from __future__ import annotations

import enum
from typing import Any

from invdesk.domain.browse import WarehouseTotals
from invdesk.domain.stock import ReservationView
from invdesk.ui.models.columns import ListTableModel, money, qty, when


class WarehouseColumn(enum.IntEnum):
    CODE = 0
    NAME = 1
    ADDRESS = 2
    PRODUCTS = 3
    UNITS = 4
    RESERVED = 5
    VALUE = 6
    STATUS = 7


WAREHOUSE_HEADERS = {
    WarehouseColumn.CODE: "Code",
    WarehouseColumn.NAME: "Name",
    WarehouseColumn.ADDRESS: "Address",
    WarehouseColumn.PRODUCTS: "Products in stock",
    WarehouseColumn.UNITS: "Units on hand",
    WarehouseColumn.RESERVED: "Reserved",
    WarehouseColumn.VALUE: "Stock value",
    WarehouseColumn.STATUS: "Status",
}


def _warehouse(row: WarehouseTotals, column: WarehouseColumn) -> str:
    return {
        WarehouseColumn.CODE: row.code,
        WarehouseColumn.NAME: row.name,
        WarehouseColumn.ADDRESS: row.address or "",
        WarehouseColumn.PRODUCTS: qty(row.products),
        WarehouseColumn.UNITS: qty(row.units),
        WarehouseColumn.RESERVED: qty(row.reserved),
        WarehouseColumn.VALUE: money(row.value),
        WarehouseColumn.STATUS: "Active" if row.active else "Inactive",
    }[column]


def warehouse_model(parent: Any = None) -> ListTableModel:
    numeric = [c for c in WarehouseColumn if WarehouseColumn.PRODUCTS <= c <= WarehouseColumn.VALUE]
    return ListTableModel(WarehouseColumn, WAREHOUSE_HEADERS, _warehouse, numeric, parent)


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


RESERVATION_HEADERS = {
    ReservationColumn.ID: "No.",
    ReservationColumn.SKU: "SKU",
    ReservationColumn.WAREHOUSE: "Warehouse",
    ReservationColumn.QTY: "Quantity",
    ReservationColumn.STATUS: "Status",
    ReservationColumn.REFERENCE: "Reference",
    ReservationColumn.USER: "User",
    ReservationColumn.CREATED: "Created",
    ReservationColumn.EXPIRES: "Expires / closed",
}


def _reservation(row: ReservationView, column: ReservationColumn) -> str:
    return {
        ReservationColumn.ID: str(row.id),
        ReservationColumn.SKU: row.sku,
        ReservationColumn.WAREHOUSE: row.warehouse,
        ReservationColumn.QTY: qty(row.qty),
        ReservationColumn.STATUS: row.status.value.capitalize(),
        ReservationColumn.REFERENCE: row.reference or "",
        ReservationColumn.USER: row.user,
        ReservationColumn.CREATED: when(row.created_at),
        ReservationColumn.EXPIRES: when(row.closed_at or row.expires_at),
    }[column]


def reservation_model(parent: Any = None) -> ListTableModel:
    numeric = [ReservationColumn.ID, ReservationColumn.QTY]
    return ListTableModel(ReservationColumn, RESERVATION_HEADERS, _reservation, numeric, parent)
