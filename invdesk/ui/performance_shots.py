"""The Supplier performance page's screenshot: the demo history has no purchase orders, so a few
suppliers get some first (sent, delivered in full, in part, late, cancelled), through the same
services the Purchase orders page and `invdesk po` use."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QWidget

from invdesk.domain import purchasing as p
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.demo import grain
from invdesk.services.purchasing import orders, receiving
from invdesk.services.reads import queries
from invdesk.ui import background
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.supplier_performance import SupplierPerformancePage

SUPPLIERS = (
    ("NORDIC", "Nordic Components", 7),
    ("RAPID", "Rapid Supply", 3),
    ("HARBOUR", "Harbour Wholesale", 10),
)


def _with_history(window: MainWindow) -> None:
    db, actor = window.db, window.actor
    tracked = {product[0] for product in grain.PRODUCTS}  # lots: a receipt would need one
    levels = queries.stock_levels(db, actor, warehouse=grain.WAREHOUSE, limit=40)
    skus = [s.sku for s in levels if s.sku not in tracked][:9]
    today = db.now().date()
    for n, (code, name, lead) in enumerate(SUPPLIERS):
        suppliers.create_supplier(db, p.SupplierDetails(code, name, lead_days=lead), actor)
        for k in range(3):
            sku = skus[(3 * n + k) % len(skus)]
            expected = today + timedelta(days=k - n)  # some already due yesterday: late
            ordered = 24 + 12 * k
            line = p.OrderLine(sku, ordered, f"{1.5 + n + k:.2f}")
            po = orders.create_po(
                db, p.CreatePurchase(code, grain.WAREHOUSE, (line,), expected), actor
            )
            orders.send_po(db, po.number, actor)
            delivered = ordered if (n + k) % 3 else 12
            receiving.receive_po(db, p.ReceivePurchase(po.number, (Line(sku, delivered),)), actor)
            if delivered < ordered:
                orders.cancel_po(db, po.number, actor, reason="the rest is discontinued")


def supplier_performance(window: MainWindow) -> QWidget:
    _with_history(window)
    page = window.open_page(SupplierPerformancePage)
    assert isinstance(page, SupplierPerformancePage)
    page.refresh()
    background.default().wait()
    return window


SHOTS = {"supplierperformance": supplier_performance}
