"""Resolving what a clerk typed or scanned: a SKU or barcode, a warehouse code, a request id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Connection, bindparam, exists, select, type_coerce

from invdesk.db.direct import Direct
from invdesk.db.tables import barcode_t, location_t, product_t, warehouse_t
from invdesk.domain.barcodes import MAX_BARCODE_LEN, gtin_forms
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.gs1 import might_be_gs1, parse_gs1, plain_code
from invdesk.domain.stock_checks import warehouse_code as warehouse_code
from invdesk.domain.validation import required_text

# Built once with bind parameters, so each look-up reuses the compiled statement.
_p, _b, _w = product_t.c, barcode_t.c, warehouse_t.c
# The standard cost (stored integer) comes with the product: a receipt needs it as the starting
# average of a new stock row, and fetching it here saves a round trip.
_PRODUCT_COLS = (
    _p.id,
    _p.sku,
    _p.name,
    _p.active,
    type_coerce(_p.cost, BigInteger).label("cost"),
    _p.tracking,
    _p.shelf_life_days,
)
_PRODUCT_BY_SKU = Direct(select(*_PRODUCT_COLS).where(_p.sku == bindparam("code")))
_PRODUCT_BY_BARCODE = (
    select(*_PRODUCT_COLS, _b.pack_qty)
    .join(barcode_t, _b.product_id == _p.id)
    .where(_b.code == bindparam("code"))
)
# A GTIN in any of its lengths: a GS1 scan's GTIN-14 finds the EAN-13 a product was given.
_PRODUCT_BY_GTIN = (
    select(*_PRODUCT_COLS, _b.pack_qty, _b.code)
    .join(barcode_t, _b.product_id == _p.id)
    .where(_b.code.in_(bindparam("codes", expanding=True)))
)
_PRODUCT_BY_GTIN_SKU = select(*_PRODUCT_COLS).where(_p.sku.in_(bindparam("codes", expanding=True)))
_PRODUCT_BY_ID = select(*_PRODUCT_COLS).where(_p.id == bindparam("id"))


def _warehouse_cols(w: Any) -> tuple[Any, ...]:
    has_locations = exists().where(location_t.c.warehouse_id == w.c.id).label("has_locations")
    return (w.c.id, w.c.code, w.c.active, has_locations)


_WAREHOUSE_COLS = _warehouse_cols(warehouse_t)
_WAREHOUSE_BY_CODE = Direct(select(*_WAREHOUSE_COLS).where(_w.code == bindparam("code")))
_WAREHOUSE_BY_ID = select(*_WAREHOUSE_COLS).where(_w.id == bindparam("id"))
_PRODUCT_COST = select(type_coerce(_p.cost, BigInteger)).where(_p.id == bindparam("id"))


def _warehouses_and_product(count: int) -> Direct:
    """`count` warehouses by code and a product by SKU in one row (none if any is missing)."""
    aliases = [warehouse_t.alias(f"w{n}") for n in range(count)]
    columns = [column for w in aliases for column in _warehouse_cols(w)]
    return Direct(
        select(*columns, *_PRODUCT_COLS).where(
            *(w.c.code == bindparam(f"w{n}") for n, w in enumerate(aliases)),
            _p.sku == bindparam("code"),
        )
    )


# One and two warehouses: a receipt or issue, and a transfer.
_WAREHOUSES_AND_PRODUCT = {1: _warehouses_and_product(1), 2: _warehouses_and_product(2)}


# The refs and the records of a stock operation in progress are NamedTuples, not frozen dataclasses:
# as immutable, and built in a third of the time (a stock operation builds half a dozen).
class ProductRef(NamedTuple):
    id: int
    sku: str
    name: str
    active: bool
    pack_qty: int = 1
    """Units per scanned code: 1 for a SKU or unit barcode, 12 for a case of twelve."""
    cost_minor: int | None = None
    """The standard cost as stored (1/10,000 units) when it was read with the product."""
    tracking: str = "none"
    """none, lot or serial (domain.tracking.Tracking)."""
    shelf_life_days: int | None = None


class WarehouseRef(NamedTuple):
    id: int
    code: str
    active: bool
    has_locations: bool = False
    """Whether any location was ever made there (else everything is in its default location)."""


def _product(row: Any, pack_qty: int = 1) -> ProductRef:
    pid, sku, name, active, cost, tracking, shelf_life = row[:7]
    return ProductRef(pid, sku, name, bool(active), pack_qty, cost, tracking, shelf_life)


def _warehouse(row: Any) -> WarehouseRef:
    wid, code, active, has_locations = row
    return WarehouseRef(wid, code, bool(active), bool(has_locations))


def product_ref(conn: Connection, code: object, *, field: str = "product") -> ProductRef:
    """The product whose SKU, or one of whose barcodes, is `code`; a GS1 scan's by its GTIN, and
    a GTIN by any of its lengths (a GTIN-14 with a leading zero is the EAN-13 on file)."""
    if type(code) is str and might_be_gs1(code):
        scan = parse_gs1(code)
        if scan is not None and scan.gtin is not None:
            code = scan.gtin
        elif scan is not None:
            raise ValidationError(
                "This GS1 code names no product (no GTIN): scan the product's own code.",
                field=field,
            )
        else:
            code = plain_code(code)  # "]E0" + an EAN-13: the EAN
    text = required_text(code, label="SKU or barcode", field=field, max_len=MAX_BARCODE_LEN)
    row = _PRODUCT_BY_SKU.first(conn, {"code": text})
    if row is not None:
        return _product(row)
    scanned = conn.execute(_PRODUCT_BY_BARCODE, {"code": text}).first()
    if scanned is None:
        return _product_by_gtin(conn, text, field)
    return _product(scanned, scanned.pack_qty)


def products_by_sku(conn: Connection, codes: Iterable[str]) -> dict[str, ProductRef]:
    """The products whose SKU is exactly one of `codes`, in one query per 500 codes: a long
    document's lines found in one round trip; `product_ref` still resolves any code not found
    here (a barcode, a GS1 scan), one by one, with its errors."""
    wanted = sorted({c for c in codes if type(c) is str and c and c == c.strip()})
    found: dict[str, ProductRef] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(_PRODUCT_BY_GTIN_SKU, {"codes": wanted[start : start + 500]})
        found.update((row[1], _product(row)) for row in rows)
    return found


def _product_by_gtin(conn: Connection, text: str, field: str) -> ProductRef:
    """A GTIN stored in another length than scanned (the longest stored form wins), else NotFound.

    Also "01" + a GTIN-14 alone, as a scanner without symbology prefixes sends a GS1 DataBar of
    fresh produce: too like a 16-digit SKU for the domain to call it GS1, so it is tried only
    once no SKU or barcode is exactly that."""
    gtin = text[2:] if len(text) == 16 and text[:2] in ("01", "02") else text
    forms = [form for form in gtin_forms(gtin) if form != text]
    if forms:
        rows = conn.execute(_PRODUCT_BY_GTIN, {"codes": forms}).all()
        if rows:
            found = max(rows, key=lambda r: len(r.code))
            return _product(found, found.pack_qty)
        by_sku = conn.execute(_PRODUCT_BY_GTIN_SKU, {"codes": forms}).first()
        if by_sku is not None:
            return _product(by_sku)
    raise NotFound(f"No product has the SKU or barcode “{text}”.", field=field)


def warehouse_ref(conn: Connection, code: object, *, field: str = "warehouse") -> WarehouseRef:
    text = warehouse_code(code, field=field)
    row = _WAREHOUSE_BY_CODE.first(conn, {"code": text})
    if row is None:
        raise NotFound(f"No warehouse has the code “{text}”.", field=field)
    return _warehouse(row)


def warehouses_and_product(
    conn: Connection, codes: tuple[str, ...], product_code: str
) -> tuple[list[WarehouseRef], ProductRef] | None:
    """The warehouses of `codes` (as `warehouse_code` gives them) and the product whose SKU is
    `product_code`, in one round trip; None if any of them is not found that way.

    The common single-line document needs no more. On None the caller looks each one up on its own
    (`warehouse_ref`, `product_ref`), which also finds a barcode or raises the right NotFound.
    """
    if len(codes) == 1:  # a receipt or an issue: the general case below, written out
        row = _WAREHOUSES_AND_PRODUCT[1].first(conn, {"code": product_code, "w0": codes[0]})
        if row is None:
            return None
        return [_warehouse(row[:4])], _product(row[4:])
    row = _WAREHOUSES_AND_PRODUCT[len(codes)].first(
        conn, {"code": product_code, **{f"w{n}": code for n, code in enumerate(codes)}}
    )
    if row is None:
        return None
    split = 4 * len(codes)
    warehouses = [_warehouse(row[n : n + 4]) for n in range(0, split, 4)]
    return warehouses, _product(row[split:])


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


def product_cost_minor(conn: Connection, product: ProductRef) -> int:
    """The product's standard cost as stored: the starting average for a new stock row."""
    if product.cost_minor is not None:
        return product.cost_minor
    return int(conn.execute(_PRODUCT_COST, {"id": product.id}).scalar_one())


def refs_by_id(
    conn: Connection, product_id: int, warehouse_id: int
) -> tuple[ProductRef, WarehouseRef]:
    product = _product(conn.execute(_PRODUCT_BY_ID, {"id": product_id}).one())
    return product, _warehouse(conn.execute(_WAREHOUSE_BY_ID, {"id": warehouse_id}).one())
