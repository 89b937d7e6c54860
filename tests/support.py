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
