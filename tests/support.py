"""Small builders for tests: a warehouse or two and products with stock, through the services."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from invdesk.db.engine import Database
from invdesk.domain.catalog import CreateProduct, ProductView
from invdesk.domain.security import SYSTEM, Actor
from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.catalog import products, warehouses
from invdesk.services.reads import queries

ACTOR = Actor("tester")


def warehouse(db: Database, code: str = "MAIN", name: str | None = None) -> None:
    warehouses.create_warehouse(db, code, name or f"Warehouse {code}", SYSTEM)


def product(
    db: Database,
    sku: str = "SKU-1",
    *,
    barcodes: tuple[tuple[str, int], ...] = (),
    cost: str = "1.00",
    category: str = "Tools",
) -> ProductView:
    return products.create_product(
        db,
        CreateProduct(sku, f"Product {sku}", category, cost=cost, price="2.00", barcodes=barcodes),
        SYSTEM,
    )


def stocked(db: Database, sku: str = "SKU-1", qty: int = 10, wh: str = "MAIN") -> None:
    from invdesk.services.stock import operations

    operations.receive(db, ReceiveStock(wh, (Line(sku, qty),)), SYSTEM)


def on_hand(db: Database, sku: str, wh: str = "MAIN") -> tuple[int, int]:
    """(on_hand, reserved) of one product in one warehouse; (0, 0) when it has no row."""
    rows = queries.stock_levels(db, SYSTEM, product=sku, warehouse=wh, include_empty=True)
    return (rows[0].on_hand, rows[0].reserved) if rows else (0, 0)


def ledger_count(db: Database) -> int:
    from sqlalchemy import func, select

    from invdesk.db.models import Movement

    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(Movement)).scalar_one())


def wait_until(condition: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Return as soon as `condition()` is true (checked every 10 ms); fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what or condition}"
        pause.wait(0.01)


def location(db: Database, wh: str, code: str, kind: str = "storage") -> None:
    """A location of a warehouse, added through the service as a manager would."""
    from invdesk.domain.locations import AddLocation
    from invdesk.services.catalog import locations

    locations.add_location(db, AddLocation(wh, code, type=kind), SYSTEM)


def tracked(db: Database, sku: str, tracking: str, shelf_life: int | None = None) -> ProductView:
    return products.create_product(
        db,
        CreateProduct(
            sku,
            f"Product {sku}",
            "Food",
            cost="1.00",
            price="2.00",
            tracking=tracking,
            shelf_life_days=shelf_life,
        ),
        SYSTEM,
    )


def quants(db: Database, sku: str, wh: str = "MAIN") -> dict[tuple[str | None, str | None], int]:
    """{(location code, lot number): on hand} of one product in one warehouse (non-zero only)."""
    from sqlalchemy import select

    from invdesk.db.tables import location_t, lot_t, product_t, quant_t, warehouse_t

    q = quant_t.c
    stmt = (
        select(location_t.c.code, lot_t.c.number, q.on_hand)
        .select_from(quant_t)
        .join(product_t, product_t.c.id == q.product_id)
        .join(warehouse_t, warehouse_t.c.id == q.warehouse_id)
        .outerjoin(location_t, location_t.c.id == q.location_id)
        .outerjoin(lot_t, lot_t.c.id == q.lot_id)
        .where(product_t.c.sku == sku, warehouse_t.c.code == wh, q.on_hand != 0)
    )
    with db.read() as conn:
        return {(row[0], row[1]): row[2] for row in conn.execute(stmt)}
