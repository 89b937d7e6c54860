"""Demo suppliers and purchase orders: who sells the shop what, and orders in every status.

Added after the demo history (`load_demo`), through the purchasing services a manager uses, so
terms, numbers, audit rows and receipts are what a real shop would have: four suppliers (one
inactive), each product of the catalogue sold by one of them (a few by none, so the Reorder page
has suggestions without a supplier), and POs: two drafts, one sent, one partly received, one
received in full and one cancelled.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from invdesk.db.engine import Database
from invdesk.domain.purchasing import (
    CreatePurchase,
    LinkSupplier,
    OrderLine,
    PurchaseOrderView,
    ReceivePurchase,
    SupplierDetails,
)
from invdesk.domain.security import Actor
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.services.reads import queries

WAREHOUSE = "MAIN"
# (code, name, contact, e-mail, phone, address, lead days, active)
SUPPLIERS = (
    ("ACME", "Acme Wholesale Ltd", "Dana Reyes", "orders@acme.example", "+44 20 7946 0101",
     "Unit 4, Riverside Estate, Leeds", 5, True),
    ("NORDIC", "Nordic Office Supply AB", "Lars Holm", "sales@nordic.example", "+46 8 555 010",
     "Industrivägen 12, Malmö", 9, True),
    ("VOLTA", "Volta Electronics GmbH", "Mia Krüger", "b2b@volta.example", "+49 30 901820",
     "Am Kanal 3, Berlin", 14, True),
    ("OLDCO", "Old Company Trading", None, None, None, None, 21, False),
)  # fmt: skip
PACKS = (1, 6, 12, 24)
UNSUPPLIED_EVERY = 9
"""Every ninth product has no supplier (the Reorder page lists such suggestions apart)."""


def _supplier_of(index: int, category: str) -> str:
    if category in ("Electronics", "Tools"):
        return "VOLTA" if index % 3 else "ACME"
    if category == "Office":
        return "NORDIC"
    return "ACME"


def load_purchasing(db: Database, actor: Actor) -> None:
    """Suppliers, their products' terms and POs in every status (see the module's docstring)."""
    for code, name, contact, email, phone, address, lead, _active in SUPPLIERS:
        suppliers.create_supplier(
            db, SupplierDetails(code, name, contact, email, phone, address, lead), actor
        )
    levels = queries.stock_levels(db, actor, warehouse=WAREHOUSE, include_empty=True)
    catalogue = {level.sku: level for level in levels}
    by_supplier: dict[str, list[str]] = {}
    for index, (sku, level) in enumerate(sorted(catalogue.items())):
        if index % UNSUPPLIED_EVERY == UNSUPPLIED_EVERY - 1:
            continue
        category = _category(sku)
        supplier = _supplier_of(index, category)
        pack = PACKS[index % len(PACKS)]
        unit_cost = level.avg_cost if level.avg_cost > 0 else Decimal("1.00")
        suppliers.link_supplier(
            db,
            LinkSupplier(
                supplier,
                sku,
                supplier_sku=f"{supplier[:2]}-{10000 + index * 7}",
                price=(unit_cost * pack).quantize(Decimal("0.01")),
                pack_size=pack,
                min_qty=pack * 2 if index % 4 == 0 else 0,
                preferred=True,
            ),
            actor,
        )
        by_supplier.setdefault(supplier, []).append(sku)
    _orders(db, actor, by_supplier)
    for code, *_rest, active in SUPPLIERS:
        if not active:
            suppliers.edit_supplier(db, SupplierDetails(code, active=False), actor)


def _category(sku: str) -> str:
    prefixes = {"ELE": "Electronics", "TOO": "Tools", "OFF": "Office"}
    return prefixes.get(sku[:3], "Other")


def _lines(skus: list[str], start: int, count: int, qty: int) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(sku, qty * (1 + n % 3)) for n, sku in enumerate(skus[start : start + count])
    )


def _orders(db: Database, actor: Actor, by_supplier: dict[str, list[str]]) -> None:
    today = db.now().date()
    acme, nordic, volta = by_supplier["ACME"], by_supplier["NORDIC"], by_supplier["VOLTA"]

    def create(
        supplier: str, lines: tuple[OrderLine, ...], days: int, note: str | None = None
    ) -> PurchaseOrderView:
        expected = today + timedelta(days=days)
        return orders.create_po(
            db, CreatePurchase(supplier, WAREHOUSE, lines, expected=expected, notes=note), actor
        )

    received = create("ACME", _lines(acme, 0, 4, 24), -3)
    orders.send_po(db, received.number, actor)
    whole = orders.get_po(db, received.number, actor)
    receiving.receive_po(
        db,
        ReceivePurchase(whole.number, tuple(Line(ln.sku, ln.ordered) for ln in whole.lines)),
        actor,
    )
    partial = create("VOLTA", _lines(volta, 0, 6, 12), 2, "Second delivery promised for Friday")
    orders.send_po(db, partial.number, actor)
    sent = orders.get_po(db, partial.number, actor)
    first = tuple(Line(ln.sku, ln.ordered // 2) for ln in sent.lines[:4] if ln.ordered // 2)
    receiving.receive_po(db, ReceivePurchase(sent.number, first), actor)
    cancelled = create("NORDIC", _lines(nordic, 0, 3, 6), 10)
    orders.send_po(db, cancelled.number, actor)
    orders.cancel_po(db, cancelled.number, actor, reason="Supplier out of stock; reordered")
    on_the_way = create("NORDIC", _lines(nordic, 3, 5, 12), 6)
    orders.send_po(db, on_the_way.number, actor)
    create("ACME", _lines(acme, 4, 3, 12), 7, "Check the new pack sizes")
    create("VOLTA", _lines(volta, 6, 2, 6), 14)
