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
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.services.reads import queries, reorder

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


def load_purchasing(db: Database, actor: Actor) -> int:
    """Suppliers, their products' terms and POs in every status (see the module's docstring).
    Returns the ledger rows the demo's deliveries booked. Raises PermissionDenied unless the
    actor may edit the catalogue and purchase (a manager)."""
    require(actor, Permission.CATALOG)
    require(actor, Permission.PURCHASING)
    for code, name, contact, email, phone, address, lead, _active in SUPPLIERS:
        suppliers.create_supplier(
            db, SupplierDetails(code, name, contact, email, phone, address, lead), actor
        )
    levels = queries.stock_levels(db, actor, warehouse=WAREHOUSE, include_empty=True)
    catalogue = {level.sku: level for level in levels}
    # Of today's purchase suggestions in MAIN, two get no supplier (listed apart on the Reorder
    # page) and a few are partly on order already (its On order column).
    wanted = [s.sku for s in reorder.suggestions(db, actor, WAREHOUSE) if s.source is None]
    unsupplied = set(wanted[:2])
    by_supplier: dict[str, list[str]] = {}
    packs: dict[str, int] = {}
    for index, (sku, level) in enumerate(sorted(catalogue.items())):
        if index % UNSUPPLIED_EVERY == UNSUPPLIED_EVERY - 1 or sku in unsupplied:
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
        packs[sku] = pack
    booked = _orders(db, actor, by_supplier, packs)
    _partly_on_order(db, actor, by_supplier, packs)
    for code, *_rest, active in SUPPLIERS:
        if not active:
            suppliers.edit_supplier(db, SupplierDetails(code, active=False), actor)
    return booked


def _partly_on_order(
    db: Database,
    actor: Actor,
    by_supplier: dict[str, list[str]],
    packs: dict[str, int],
) -> None:
    """A sent PO of one pack each of up to five suggested products of one supplier, each still
    short with that pack on order: the Reorder page shows them net of it."""
    wanted = [
        s.sku
        for s in reorder.suggestions(db, actor, WAREHOUSE)
        if s.source is None and s.sku in packs and s.available + packs[s.sku] < s.threshold
    ]
    chosen = max(by_supplier, key=lambda code: len(set(by_supplier[code]) & set(wanted)))
    skus = [sku for sku in wanted if sku in by_supplier[chosen]][:5]
    if not skus:
        return
    lines = tuple(OrderLine(sku, packs[sku]) for sku in skus)
    expected = db.now().date() + timedelta(days=3)
    po = orders.create_po(db, CreatePurchase(chosen, WAREHOUSE, lines, expected=expected), actor)
    orders.send_po(db, po.number, actor)


def _category(sku: str) -> str:
    prefixes = {"ELE": "Electronics", "TOO": "Tools", "OFF": "Office"}
    return prefixes.get(sku[:3], "Other")


def _lines(skus: list[str], packs: dict[str, int], start: int, count: int) -> tuple[OrderLine, ...]:
    """Whole packs, one to three of them (at least 6 units)."""
    chosen = skus[start : start + count]
    return tuple(
        OrderLine(sku, packs[sku] * max(1 + n % 3, -(-6 // packs[sku])))
        for n, sku in enumerate(chosen)
    )


def _orders(
    db: Database, actor: Actor, by_supplier: dict[str, list[str]], packs: dict[str, int]
) -> int:
    today = db.now().date()
    acme, nordic, volta = by_supplier["ACME"], by_supplier["NORDIC"], by_supplier["VOLTA"]

    def create(
        supplier: str, lines: tuple[OrderLine, ...], days: int, note: str | None = None
    ) -> PurchaseOrderView:
        expected = today + timedelta(days=days)
        return orders.create_po(
            db, CreatePurchase(supplier, WAREHOUSE, lines, expected=expected, notes=note), actor
        )

    received = create("ACME", _lines(acme, packs, 0, 4), -3)
    orders.send_po(db, received.number, actor)
    whole = orders.get_po(db, received.number, actor)
    booked = len(
        receiving.receive_po(
            db,
            ReceivePurchase(whole.number, tuple(Line(ln.sku, ln.ordered) for ln in whole.lines)),
            actor,
        ).movements
    )
    partial = create("VOLTA", _lines(volta, packs, 0, 6), 2, "Second delivery promised for Friday")
    orders.send_po(db, partial.number, actor)
    sent = orders.get_po(db, partial.number, actor)
    first = tuple(Line(ln.sku, ln.ordered // 2) for ln in sent.lines[:4] if ln.ordered // 2)
    booked += len(receiving.receive_po(db, ReceivePurchase(sent.number, first), actor).movements)
    cancelled = create("NORDIC", _lines(nordic, packs, 0, 3), 10)
    orders.send_po(db, cancelled.number, actor)
    orders.cancel_po(db, cancelled.number, actor, reason="Supplier out of stock; reordered")
    on_the_way = create("NORDIC", _lines(nordic, packs, 3, 5), 6)
    orders.send_po(db, on_the_way.number, actor)
    create("ACME", _lines(acme, packs, 4, 3), 7, "Check the new pack sizes")
    create("VOLTA", _lines(volta, packs, 6, 2), 14)
    return booked
