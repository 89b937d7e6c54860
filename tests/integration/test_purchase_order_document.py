"""The purchase order as a document for the supplier, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from invdesk.domain import purchasing as p
from invdesk.domain.catalog import EditWarehouse
from invdesk.domain.errors import NotFound
from invdesk.domain.security import SYSTEM
from invdesk.reports.documents.purchase_order import purchase_order
from invdesk.services.catalog import suppliers, warehouses
from invdesk.services.purchasing import orders
from tests import support


@pytest.fixture
def po(db):
    support.warehouse(db, "MAIN", "Acme Supplies")
    warehouses.edit_warehouse(
        db, EditWarehouse("MAIN", address="1 Dock Road, Harbour City"), SYSTEM
    )
    support.product(db, "BOLT")
    support.product(db, "NUT")
    details = p.SupplierDetails("FAST", "Fasteners Ltd", email="orders@fast.example",
                                address="9 Mill Lane, Steelton")  # fmt: skip
    suppliers.create_supplier(db, details, SYSTEM)
    link = p.LinkSupplier("FAST", "BOLT", supplier_sku="F-B12", price="24.00", pack_size=12)
    suppliers.link_supplier(db, link, SYSTEM)
    lines = (p.OrderLine("BOLT", 24), p.OrderLine("NUT", 5, "0.30"))
    made = orders.create_po(db, p.CreatePurchase("FAST", "MAIN", lines, notes="Dock 2"), SYSTEM)
    return db, made.number


def test_a_purchase_order_names_the_supplier_their_skus_and_the_total(po):
    db, number = po
    doc = purchase_order(db, SYSTEM, number)
    assert doc.kind == "Purchase order" and doc.number == number and doc.barcode == number
    supplier, deliver = doc.parties
    assert supplier.name == "Fasteners Ltd (FAST)"
    assert supplier.address == ("9 Mill Lane", "Steelton", "orders@fast.example")
    assert deliver.name == "Acme Supplies (MAIN)"
    assert doc.column_texts("SKU") == ["BOLT", "NUT", ""]
    assert doc.column_texts("Supplier SKU") == ["F-B12", "", ""]
    assert doc.column_texts("Packs") == ["2 × 12", "", ""]
    assert doc.column_texts("Unit price") == ["2.00", "0.30", ""]
    assert doc.column_texts("Amount") == ["48.00", "1.50", "49.50"]
    assert dict(doc.fields)["Status"] == "draft"
    assert doc.notes[0] == "Notes: Dock 2"
    with pytest.raises(NotFound):
        purchase_order(db, SYSTEM, "PO-999999")
