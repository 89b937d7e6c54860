"""Screenshots of goods in transit and traceability: the demo data gets shipments and a lot first.

The demo data set has neither (it is a shop of untracked products), so these factories add a
lot-tracked product with two lots, an order that took one, and two transfers on their way,
through the same services a clerk uses, before grabbing the pages and the receive dialog.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from PySide6.QtWidgets import QApplication, QWidget

from invdesk.domain.catalog import CreateProduct
from invdesk.domain.errors import InvdeskError
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.stock import Line, ReceiveStock, TransferStock
from invdesk.services.catalog import products
from invdesk.services.reads import queries
from invdesk.services.stock import operations, orders, shipments, transit
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.trace import TracePage
from invdesk.ui.pages.transit import TransitPage

LOT_SKU = "MILK-1L"


def _with_transit(window: MainWindow) -> None:
    """A lot-tracked product with two lots, an order that took from the first, two shipments."""
    db, actor = window.db, window.actor
    if shipments.list_shipments(db, actor):
        return
    today = db.now().date()
    milk = CreateProduct(
        LOT_SKU, "Organic milk 1 l", "Food", cost="0.62", price="1.19", tracking="lot"
    )
    with contextlib.suppress(InvdeskError):  # made by an earlier shot
        products.create_product(db, milk, actor)
    for lot, days, qty in (("L2412-A", 9, 40), ("L2412-B", 24, 60)):
        line = Line(LOT_SKU, qty, lot=lot, expiry=today + timedelta(days=days))
        operations.receive(db, ReceiveStock("MAIN", (line,), reference="PO-2201"), actor)
    orders.place_order(db, PlaceOrder("WEB-90412", "MAIN", (OrderLine(LOT_SKU, 12),)), actor)
    orders.fulfil_order(db, "WEB-90412", actor)
    stocked = [
        level.sku
        for level in queries.stock_levels(db, actor, warehouse="MAIN", limit=50)
        if level.available >= 20
    ][:3]
    lines = tuple(Line(sku, 6 + 2 * n) for n, sku in enumerate(stocked))
    transit.ship(db, TransferStock("MAIN", "SHOP", lines, reference="TRUCK-14"), actor)
    cold = (Line(LOT_SKU, 20),)
    transit.ship(db, TransferStock("MAIN", "EAST", cold, reference="COLD-3"), actor)


def transit_page(window: MainWindow) -> QWidget:
    _with_transit(window)
    page = window.open_page(TransitPage)
    assert isinstance(page, TransitPage)
    page.refresh()
    _settle()
    page.select_first()
    return window


def receive_dialog(window: MainWindow) -> QWidget:
    page = transit_page(window)
    transit_view = window.page(TransitPage)
    assert isinstance(transit_view, TransitPage)
    _settle()
    dialog = transit_view.receive_dialog()
    assert dialog is not None, page
    dialog.all_arrived()
    rows = dialog.model.rows()
    if rows:  # one carton missing: the shortfall shows before posting
        dialog.model.set_arrived(0, rows[0].expected - 1)
    dialog.resize(820, 420)
    dialog.show()
    return dialog


def trace_page(window: MainWindow) -> QWidget:
    _with_transit(window)
    page = window.open_page(TracePage)
    assert isinstance(page, TracePage)
    page.show_lot(LOT_SKU, "L2412-A")
    return window


def _settle() -> None:
    from invdesk.ui.screenshots import settle

    settle()
    QApplication.processEvents()


SHOTS = {
    "transit-shipped": transit_page,
    "transit-receive": receive_dialog,
    "trace-lot": trace_page,
}
