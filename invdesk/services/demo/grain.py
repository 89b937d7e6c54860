"""Demo bins, lots and serials: the main warehouse's shelves, fresh and dated goods, phones.

Added on top of the demo history (`load_demo`) for the screenshots and for trying the features:
the history itself stays a shop without locations or lots, as most shops are. Stock moves through
the services (receipts, moves), so the ledger, counters and quants agree as they always do.
"""

from __future__ import annotations

from datetime import timedelta

from invdesk.db.engine import Database
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.locations import AddLocation
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import Line, MoveStock, ReceiveStock
from invdesk.services.catalog import locations, products
from invdesk.services.stock import moves, operations

WAREHOUSE = "MAIN"
# (code, name, type, zone)
LOCATIONS = (
    ("A", "Aisle A", "storage", None),
    ("A-01-1", "Aisle A, bay 1, level 1", "storage", "A"),
    ("A-01-2", "Aisle A, bay 1, level 2", "storage", "A"),
    ("A-02-1", "Aisle A, bay 2, level 1", "storage", "A"),
    ("B", "Aisle B (cold)", "storage", None),
    ("B-01-1", "Cold room, shelf 1", "storage", "B"),
    ("B-01-2", "Cold room, shelf 2", "storage", "B"),
    ("RCV", "Receiving dock", "receiving", None),
    ("SHIP", "Shipping dock", "shipping", None),
    ("QC", "Quarantine cage", "quarantine", None),
)
# (sku, name, category, tracking, shelf life, price, cost, putaway)
PRODUCTS = (
    ("MILK-1L", "Fresh milk 1 l", "Food", "lot", 10, "1.49", "0.80", "B-01-1"),
    ("YOG-500", "Greek yoghurt 500 g", "Food", "lot", 21, "2.99", "1.60", "B-01-2"),
    ("ASP-24", "Aspirin 500 mg, 24 tablets", "Other", "lot", 730, "4.50", "1.90", "A-02-1"),
    ("PHN-X1", "Smartphone X1 128 GB", "Electronics", "serial", None, "399.00", "260.00", "A-01-2"),
)


def load_where_and_which(db: Database, actor: Actor) -> None:
    """Bins in MAIN, lot-tracked food and medicine with lots of staggered expiry (one expired,
    one expiring this week), serial-tracked phones, and a few units moved between bins."""
    require(actor, Permission.CATALOG)
    today = db.now().date()
    for code, name, kind, zone in LOCATIONS:
        locations.add_location(db, AddLocation(WAREHOUSE, code, name, kind, zone), actor)
    for sku, name, category, tracking, life, price, cost, _bin in PRODUCTS:
        products.create_product(
            db,
            CreateProduct(
                sku, name, category, price=price, cost=cost, tracking=tracking,
                shelf_life_days=life,
            ),
            actor,
        )  # fmt: skip
    for sku, *_rest, putaway in PRODUCTS:
        locations.set_putaway(db, sku, WAREHOUSE, putaway, actor)

    def receive(sku: str, qty: int, lot: str, expiry_days: int, cost: str) -> None:
        line = Line(sku, qty, cost, lot=lot, expiry=(today + timedelta(days=expiry_days)))
        operations.receive(db, ReceiveStock(WAREHOUSE, (line,), reference="PO-DEMO"), actor)

    receive("MILK-1L", 24, "M2611", -1, "0.78")
    receive("MILK-1L", 48, "M2612", 4, "0.80")
    receive("MILK-1L", 60, "M2613", 9, "0.82")
    receive("YOG-500", 30, "Y-4410", 12, "1.60")
    receive("YOG-500", 36, "Y-4418", 20, "1.62")
    receive("ASP-24", 120, "ASP2407A", 200, "1.85")
    receive("ASP-24", 80, "ASP2502C", 600, "1.92")
    serials = tuple(f"35{n:013d}" for n in range(2091, 2097))
    operations.receive(
        db,
        ReceiveStock(
            WAREHOUSE, (Line("PHN-X1", len(serials), "260.00", serials=serials),), "PO-DEMO"
        ),
        actor,
    )
    moves.move(db, MoveStock("MILK-1L", WAREHOUSE, "B-01-1", "QC", 24, lot="M2611"), actor)
    moves.move(db, MoveStock("ASP-24", WAREHOUSE, "A-02-1", "A-01-1", 40, lot="ASP2502C"), actor)
