"""Test builders for lot- and serial-tracked stock, through the services."""

from __future__ import annotations

from datetime import date

from invdesk.db.engine import Database
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.security import SYSTEM, Actor
from invdesk.domain.stock import Line, ReceiveStock, StockResult
from invdesk.services.catalog import products


def tracked_product(db: Database, sku: str, tracking: str = "lot") -> None:
    products.create_product(
        db,
        CreateProduct(sku, f"Product {sku}", "Food", cost="1.00", price="2.00", tracking=tracking),
        SYSTEM,
    )


def receive_lot(
    db: Database,
    sku: str,
    wh: str,
    qty: int,
    lot: str,
    expiry: date | None = None,
    *,
    actor: Actor = SYSTEM,
) -> StockResult:
    """A receipt of `qty` units of lot `lot` (made on first receipt with its expiry)."""
    line = Line(sku, qty, lot=lot, expiry=expiry)
    return _receive(db, wh, line, actor)


def receive_serials(db: Database, sku: str, wh: str, *serials: str) -> StockResult:
    return _receive(db, wh, Line(sku, len(serials), serials=serials), SYSTEM)


def _receive(db: Database, wh: str, line: Line, actor: Actor) -> StockResult:
    from invdesk.services.stock import operations

    return operations.receive(db, ReceiveStock(wh, (line,)), actor)
