"""The labels of products, locations and lots, read through the services (permissions there)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from invdesk.db.engine import Database
from invdesk.domain.catalog import ProductView
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.security import Actor
from invdesk.reports.labels.designs import Label, LocationLabel, LotLabel, ProductLabel, lot_gtin
from invdesk.services.catalog import locations, products
from invdesk.services.reads import trace


def product_label(view: ProductView) -> ProductLabel:
    """A product's label: its unit barcodes first (a case barcode names 12 units, not one)."""
    units = tuple(b.code for b in view.barcodes if b.pack_qty == 1)
    return ProductLabel(view.sku, view.name, view.price, units)


def product_labels(db: Database, actor: Actor, codes: Iterable[str]) -> list[ProductLabel]:
    """Labels of the products named by SKU or barcode, in the order given. Raises NotFound."""
    return [product_label(view) for view in products.get_products(db, codes, actor)]


def location_labels(
    db: Database, actor: Actor, warehouse: str, codes: Iterable[str] = ()
) -> list[LocationLabel]:
    """Labels of `codes` in `warehouse`, or of all its active locations when none are named."""
    wanted = [c.strip().upper() for c in codes]
    found = locations.list_locations(db, warehouse, actor, include_inactive=False)
    by_code = {view.code: view for view in found}
    missing = [code for code in wanted if code not in by_code]
    if missing:
        raise NotFound(
            f"{warehouse.upper()} has no active location {', '.join(missing)}.", field="code"
        )
    if not found:
        raise NotFound(f"{warehouse.upper()} has no locations to label.", field="warehouse")
    chosen = [by_code[code] for code in wanted] if wanted else found
    return [LocationLabel(v.warehouse, v.code, v.name) for v in chosen]


def lot_label(db: Database, actor: Actor, product: str, lot: str) -> LotLabel:
    """A lot's GS1 label: the product's GTIN, the lot and its expiry. Raises NotFound, or
    ValidationError when the product has no GTIN to put in a GS1 code."""
    view = products.get_product(db, product, actor)
    found = trace.trace_lot(db, actor, view.sku, lot, serial=False).lot
    gtin = lot_gtin(tuple(b.code for b in view.barcodes))
    if gtin is None:
        raise ValidationError(
            f"{view.sku} has no EAN/UPC barcode, and a GS1 lot label needs one (a GTIN). "
            "Add its barcode, or print a product label.",
            field="product",
        )
    return LotLabel(view.sku, view.name, gtin, found.number, found.expiry)


@dataclass(frozen=True)
class Counted:
    """A label with how many a receipt calls for: one per unit, or one per pack."""

    label: Label
    units: int = 1
    packs: int = 1


def receipt_labels(db: Database, actor: Actor, lines: Iterable[tuple[str, int]]) -> list[Counted]:
    """Labels for received (SKU, units) lines: per unit, or per pack of the product's case
    barcode (the largest pack it has; a product without one is labelled per unit)."""
    wanted = [(sku, units) for sku, units in lines if units > 0]
    views = products.get_products(db, [sku for sku, _units in wanted], actor)
    out: list[Counted] = []
    for (_sku, units), view in zip(wanted, views, strict=True):
        pack = max((b.pack_qty for b in view.barcodes), default=1)
        out.append(Counted(product_label(view), units, -(-units // pack)))
    return out


def expand(counted: Iterable[Counted], *, per_pack: bool) -> list[Label]:
    """Each label repeated as often as its units (or packs) say."""
    return [c.label for c in counted for _ in range(c.packs if per_pack else c.units)]
