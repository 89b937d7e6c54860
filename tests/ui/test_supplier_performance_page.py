"""The Supplier performance page: a row per supplier from the service, read off the GUI thread."""

from __future__ import annotations

from invdesk.domain import purchasing as p
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.ui.pages.supplier_performance import SupplierPerformancePage
from tests import support

MANAGER = Actor("manager", Role.MANAGER)


def test_the_page_lists_each_supplier_with_its_rates(qtbot, empty_db):
    db = empty_db
    support.warehouse(db, "MAIN")
    support.product(db, "BOLT")
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme", lead_days=7), MANAGER)
    suppliers.create_supplier(db, p.SupplierDetails("BETA", "Beta"), MANAGER)
    lines = (p.OrderLine("BOLT", 10, "2.00"),)
    po = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", lines), MANAGER)
    orders.send_po(db, po.number, MANAGER)
    receiving.receive_po(db, p.ReceivePurchase(po.number, (Line("BOLT", 10),)), MANAGER)
    page = SupplierPerformancePage(db, MANAGER)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    cells = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert cells[:5] == ["ACME", "Acme", "1", "1", "100%"]
    assert cells[8] == "100%" and cells[9] == "20.00"
    assert "2 suppliers" in page.status.text()
    page.period.setCurrentIndex(2)  # all time: read again
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
