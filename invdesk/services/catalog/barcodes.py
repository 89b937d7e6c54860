"""Replacing a product's whole barcode list in one edit, as the product editor saves it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.models import Barcode, Product
from invdesk.domain.barcodes import MAX_PACK_QTY, normalize_barcode
from invdesk.domain.catalog import EditProduct, ProductView
from invdesk.domain.errors import ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.products import (
    apply_product_edit,
    check_barcodes_free,
    product_by_code,
    product_view,
)
from invdesk.services.unit_of_work import check_version, edit_session


def _clean(barcodes: tuple[tuple[str, int], ...]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for code, pack in barcodes:
        clean = normalize_barcode(code)
        if isinstance(pack, bool) or not isinstance(pack, int) or not 1 <= pack <= MAX_PACK_QTY:
            raise ValidationError(
                f"Pack size of {clean} must be a whole number from 1 to {MAX_PACK_QTY:,}.",
                field="barcode",
            )
        if clean in cleaned:
            raise ValidationError(f"Barcode {clean} is listed twice.", field="barcode")
        cleaned[clean] = pack
    return cleaned


def replace_barcodes(
    db: Database,
    sku: str,
    barcodes: tuple[tuple[str, int], ...],
    actor: Actor,
    expected_version: int | None = None,
) -> ProductView:
    """Make (code, pack size) pairs the product's barcodes: missing ones go, new ones are added.

    Raises ValidationError (bad code or pack size), NotFound, Conflict (stale version, or a code
    that belongs to another product, field "barcode").
    """
    require(actor, Permission.CATALOG)
    wanted = _clean(barcodes)

    def work(session: Session) -> ProductView:
        product = product_by_code(session, sku)
        check_version(product.version, expected_version, f"Product {product.sku}")
        _replace(session, db, product, wanted)
        return product_view(product)

    return edit_session(db, work)


def save_product(
    db: Database, cmd: EditProduct, barcodes: tuple[tuple[str, int], ...], actor: Actor
) -> ProductView:
    """One Save of the product editor: its fields and its whole barcode list in one transaction,
    so a refused barcode leaves the fields unchanged too.

    Raises what `edit_product` and `replace_barcodes` raise.
    """
    require(actor, Permission.CATALOG)
    wanted = _clean(barcodes)

    def work(session: Session) -> ProductView:
        product = apply_product_edit(session, db, cmd, actor)
        _replace(session, db, product, wanted)
        return product_view(product)

    return edit_session(db, work)


def _replace(session: Session, db: Database, product: Product, wanted: dict[str, int]) -> None:
    current = {b.code: b for b in product.barcodes}
    added = [code for code in wanted if code not in current]
    check_barcodes_free(session, added)
    changed = False
    for code, barcode in current.items():
        if code not in wanted:
            product.barcodes.remove(barcode)
            changed = True
        elif barcode.pack_qty != wanted[code]:
            barcode.pack_qty = wanted[code]
            changed = True
    session.flush()  # removed codes are free again before the new rows go in
    for code in added:
        product.barcodes.append(Barcode(code=code, pack_qty=wanted[code]))
        changed = True
    if changed:
        product.updated_at = db.now()
    session.flush()
