"""A small warehouse with bins, lots and open orders, for pick lists and packing slips."""

from __future__ import annotations

from datetime import date, timedelta

from invdesk.db.engine import Database
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.stock import operations, orders
from tests import lots, support

SOON = date.today() + timedelta(days=20)
LATER = date.today() + timedelta(days=60)


def bins_and_orders(db: Database) -> Database:
    """MAIN has bins A-2, A-10 and B-1 (a string sort puts A-10 before A-2; a walk does not).
    BOLT: 5 in A-10, 5 in A-2. MILK (lots): L-LATE (3, expires LATER) in B-1, L-SOON (3, expires
    SOON) in A-2. NUT: 10 in B-1. Open orders WEB-1 (BOLT 3, NUT 2) and WEB-2 (BOLT 4, MILK 4)."""
    support.warehouse(db, "MAIN", "Main warehouse")
    for code in ("A-10", "A-2", "B-1"):
        support.location(db, "MAIN", code)
    support.product(db, "BOLT")
    support.product(db, "NUT")
    lots.tracked_product(db, "MILK")
    receipt = (
        Line("BOLT", 5, location="A-10"),
        Line("BOLT", 5, location="A-2"),
        Line("MILK", 3, location="B-1", lot="L-LATE", expiry=LATER),
        Line("MILK", 3, location="A-2", lot="L-SOON", expiry=SOON),
        Line("NUT", 10, location="B-1"),
    )
    operations.receive(db, ReceiveStock("MAIN", receipt), SYSTEM)
    place(db, "WEB-1", ("BOLT", 3), ("NUT", 2))
    place(db, "WEB-2", ("BOLT", 4), ("MILK", 4))
    return db


def place(db: Database, reference: str, *lines: tuple[str, int]) -> None:
    cmd = PlaceOrder(reference, "MAIN", tuple(OrderLine(s, q) for s, q in lines), "web_shop")
    orders.place_order(db, cmd, SYSTEM)
