"""Resolving what a clerk typed or scanned: a SKU or barcode, a warehouse code, a request id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import BigInteger, Connection, select, type_coerce

from invdesk.db.models import Barcode, Product, Warehouse, table_of
from invdesk.domain.barcodes import MAX_BARCODE_LEN
from invdesk.domain.catalog import WAREHOUSE_CODE_MAX
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.validation import required_text

product_t = table_of(Product)
barcode_t = table_of(Barcode)
warehouse_t = table_of(Warehouse)


@dataclass(frozen=True)
class ProductRef:
    id: int
    sku: str
    name: str
    active: bool
    pack_qty: int = 1
    """Units per scanned code: 1 for a SKU or unit barcode, 12 for a case of twelve."""


@dataclass(frozen=True)
class WarehouseRef:
    id: int
    code: str
    active: bool


def product_ref(conn: Connection, code: object, *, field: str = "product") -> ProductRef:
    """The product whose SKU, or one of whose barcodes, is `code`."""
    text = required_text(code, label="SKU or barcode", field=field, max_len=MAX_BARCODE_LEN)
    cols = (product_t.c.id, product_t.c.sku, product_t.c.name, product_t.c.active)
    row = conn.execute(select(*cols).where(product_t.c.sku == text)).first()
    if row is not None:
        return ProductRef(row.id, row.sku, row.name, row.active)
    scanned = conn.execute(
        select(*cols, barcode_t.c.pack_qty)
        .join(barcode_t, barcode_t.c.product_id == product_t.c.id)
        .where(barcode_t.c.code == text)
    ).first()
    if scanned is None:
        raise NotFound(f"No product has the SKU or barcode “{text}”.", field=field)
    return ProductRef(scanned.id, scanned.sku, scanned.name, scanned.active, scanned.pack_qty)


def warehouse_code(value: object, *, field: str = "warehouse") -> str:
    return required_text(
        value, label="Warehouse code", field=field, max_len=WAREHOUSE_CODE_MAX
    ).upper()


def warehouse_ref(conn: Connection, code: object, *, field: str = "warehouse") -> WarehouseRef:
    text = warehouse_code(code, field=field)
    row = conn.execute(
        select(warehouse_t.c.id, warehouse_t.c.code, warehouse_t.c.active).where(
            warehouse_t.c.code == text
        )
    ).first()
    if row is None:
        raise NotFound(f"No warehouse has the code “{text}”.", field=field)
    return WarehouseRef(row.id, row.code, row.active)


def require_active_warehouse(ref: WarehouseRef, *, field: str = "warehouse") -> None:
    if not ref.active:
        raise ValidationError(
            f"Warehouse {ref.code} is inactive: reactivate it before moving stock into it.",
            field=field,
        )


def request_id_or_new(value: str | None) -> str:
    """The caller's request id (any token up to 64 characters), or a fresh UUID."""
    if value is None:
        return str(uuid.uuid4())
    return required_text(value, label="Request id", field="request_id", max_len=64)


def product_cost_minor(conn: Connection, product_id: int) -> int:
    """The product's standard cost as stored: the starting average for a new stock row."""
    cost = type_coerce(product_t.c.cost, BigInteger)
    return int(conn.execute(select(cost).where(product_t.c.id == product_id)).scalar_one())


def refs_by_id(
    conn: Connection, product_id: int, warehouse_id: int
) -> tuple[ProductRef, WarehouseRef]:
    p = conn.execute(
        select(product_t.c.id, product_t.c.sku, product_t.c.name, product_t.c.active).where(
            product_t.c.id == product_id
        )
    ).one()
    w = conn.execute(
        select(warehouse_t.c.id, warehouse_t.c.code, warehouse_t.c.active).where(
            warehouse_t.c.id == warehouse_id
        )
    ).one()
    return ProductRef(p.id, p.sku, p.name, p.active), WarehouseRef(w.id, w.code, w.active)
