"""Small reads the stock dialogs make while a clerk types or scans: a code, stock figures, pickers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import barcode_t, level_t, product_t
from invdesk.domain.barcodes import MAX_BARCODE_LEN
from invdesk.domain.catalog import WarehouseView
from invdesk.domain.errors import NotFound
from invdesk.domain.gs1 import Gs1Scan, might_be_gs1, parse_gs1, plain_code
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import clean_text
from invdesk.services.catalog import warehouses
from invdesk.services.catalog.lookup import product_ref, warehouse_ref
from invdesk.services.stock.availability import held


@dataclass(frozen=True)
class ScannedCode:
    """What a scanned or typed code stands for: `pack_qty` units of product `sku` per scan.

    For a GS1 scan, `code` is its GTIN and `scan` what else it said (lot, expiry, serial, count);
    `tracking` ('none', 'lot' or 'serial') tells a dialog which of those a line needs."""

    code: str
    sku: str
    name: str
    unit: str
    pack_qty: int
    active: bool
    scan: Gs1Scan | None = None
    tracking: str = "none"
    shelf_life_days: int | None = None


@dataclass(frozen=True)
class StockFigure:
    """One product's stock in one warehouse, in units; zeros when it never had any."""

    sku: str
    warehouse: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def resolve_code(db: Database, actor: Actor, code: str) -> ScannedCode:
    """The product behind a SKU, barcode or GS1 scan, with the units one scan of it stands for.

    Raises NotFound (field "product") for an unknown code, ValidationError for an empty one or
    a GS1 code that does not read (a bad check digit or date).
    """
    require(actor, Permission.VIEW)
    scan = parse_gs1(code) if might_be_gs1(code) else None
    with db.read() as conn:
        ref = product_ref(conn, code)
        unit = conn.execute(select(product_t.c.unit).where(product_t.c.id == ref.id)).scalar_one()
    shown = scan.gtin if scan is not None and scan.gtin else plain_code(code.strip(" \t\r\n"))
    return ScannedCode(
        shown,
        ref.sku,
        ref.name,
        unit,
        ref.pack_qty,
        ref.active,
        scan,
        ref.tracking,
        ref.shelf_life_days,
    )


def stock_figures(
    db: Database, actor: Actor, skus: Iterable[str], warehouse: str
) -> dict[str, StockFigure]:
    """Stock of several products (by SKU) in one warehouse, in one query; unknown SKUs are left out.

    Raises NotFound (field "warehouse") for an unknown warehouse code.
    """
    require(actor, Permission.VIEW)
    wanted = sorted(set(skus))
    with db.read() as conn:
        wh = warehouse_ref(conn, warehouse)
        if not wanted:
            return {}
        s = level_t.c
        as_of = held(db.now())  # a hold past its expiry counts as released
        rows = conn.execute(
            as_of.join(
                select(product_t.c.sku, s.on_hand, as_of.reserved.label("reserved"))
                .select_from(product_t)
                .outerjoin(level_t, (s.product_id == product_t.c.id) & (s.warehouse_id == wh.id))
                .where(product_t.c.sku.in_(wanted))
            )
        )
        return {r.sku: StockFigure(r.sku, wh.code, r.on_hand or 0, r.reserved or 0) for r in rows}


def stock_figure(db: Database, actor: Actor, code: str, warehouse: str) -> StockFigure:
    """Stock of the product behind a SKU or barcode in one warehouse, in units."""
    scanned = resolve_code(db, actor, code)
    found = stock_figures(db, actor, [scanned.sku], warehouse)
    return found[scanned.sku]


def barcode_owner(db: Database, actor: Actor, code: str) -> str | None:
    """The SKU of the product that already uses `code` as its SKU or a barcode, if any."""
    require(actor, Permission.VIEW)
    text = clean_text(code, label="Barcode", field="barcode", max_len=MAX_BARCODE_LEN)
    with db.read() as conn:
        owner = conn.execute(
            select(product_t.c.sku)
            .join(barcode_t, barcode_t.c.product_id == product_t.c.id)
            .where(barcode_t.c.code == text)
        ).scalar()
        if owner is None:
            owner = conn.execute(select(product_t.c.sku).where(product_t.c.sku == text)).scalar()
    return owner


def active_warehouses(db: Database, actor: Actor) -> list[WarehouseView]:
    """Warehouses a stock document can name, ordered by code."""
    return warehouses.list_warehouses(db, actor, include_inactive=False)


def product_sku(db: Database, actor: Actor, product_id: int) -> str:
    """The current SKU of a product by id, so an editor can reload a product renamed meanwhile."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        sku = conn.execute(select(product_t.c.sku).where(product_t.c.id == product_id)).scalar()
    if sku is None:
        raise NotFound("This product no longer exists.", field="sku")
    return str(sku)
