"""The Transit and Traceability pages, the receive dialog and the transfer dialog's ship choice."""

from __future__ import annotations

from datetime import date

from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.stock import Line, TransferStock
from invdesk.domain.transit import ShipmentStatus
from invdesk.services.stock import orders, shipments, transit
from invdesk.ui.dialogs.stock_dialogs import TransferDialog
from invdesk.ui.pages.trace import TracePage
from invdesk.ui.pages.transit import TransitPage
from tests.lots import receive_lot, tracked_product
from tests.ui.conftest import CLERK


def _page(qtbot, page):
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def test_a_short_receipt_shows_the_shortfall_before_posting_and_closes_the_transfer(qtbot, shop_db):
    cmd = TransferStock("MAIN", "SHOP", (Line("P-001", 5),), reference="TRUCK-1")
    shipment_id = transit.ship(shop_db, cmd, CLERK).movements[0].transfer_id
    page = _page(qtbot, TransitPage(shop_db, CLERK))
    assert page.routes.rowCount() == 1 and "5 units in transit" in page.status.text()
    page.select_first()
    assert page.receive_button.isEnabled()

    dialog = page.receive_dialog()
    qtbot.addWidget(dialog)
    for _ in range(3):
        dialog.add_code("P-001")
    assert dialog.model.arrived == [3]
    assert dialog.summary.text().startswith("Short: 2 units")
    dialog.keep_open.setChecked(True)
    assert "2 units stay expected" in dialog.summary.text()
    dialog.keep_open.setChecked(False)
    dialog.add_code("P-001")
    with qtbot.waitSignal(dialog.posted) as posted:
        dialog.post()

    assert posted.args[0].discrepancy
    view = shipments.get_shipment(shop_db, CLERK, shipment_id)
    assert (view.status, view.lines[0].received, view.lines[0].short) == (
        ShipmentStatus.CLOSED,
        4,
        1,
    )


def test_quantities_are_edited_within_what_is_expected(qtbot, shop_db):
    transit.ship(shop_db, TransferStock("MAIN", "SHOP", (Line("P-002", 4),)), CLERK)
    page = _page(qtbot, TransitPage(shop_db, CLERK))
    page.select_first()
    dialog = page.receive_dialog()
    qtbot.addWidget(dialog)
    cell = dialog.model.index(0, 4)
    assert not dialog.model.setData(cell, "5")  # more than expected
    assert dialog.model.setData(cell, "4")
    assert dialog.summary.text() == "Everything expected has arrived."


def test_the_transfer_dialog_can_ship_now_and_receive_later(qtbot, shop_db):
    dialog = TransferDialog(shop_db, CLERK, source="MAIN", destination="SHOP")
    qtbot.addWidget(dialog)
    assert dialog.service() is not transit.ship
    dialog.ship_later.setChecked(True)
    assert dialog.service() is transit.ship
    assert dialog.header_state()["ship"] is True


def test_the_trace_page_shows_the_orders_that_took_a_lot(qtbot, shop_db):
    tracked_product(shop_db, "MILK")
    receive_lot(shop_db, "MILK", "MAIN", 5, "L-7", date(2099, 1, 1))
    orders.place_order(shop_db, PlaceOrder("WEB-7", "MAIN", (OrderLine("MILK", 2),)), CLERK)
    orders.fulfil_order(shop_db, "WEB-7", CLERK)
    page = TracePage(shop_db, CLERK)
    qtbot.addWidget(page)
    page.show()
    page.show_lot("MILK", "L-7")
    qtbot.waitUntil(lambda: page.found is not None)
    assert [o.reference for o in page.orders.rows()] == ["WEB-7"]
    assert "3 on hand" in page.heading.text()
    page.show_lot("MILK", "NOPE")
    qtbot.waitUntil(lambda: page.found is None)
    assert "no lot" in page.status.text()


def test_a_ledger_row_naming_a_lot_opens_its_trace_in_one_double_click(qtbot, window, shop_db):
    from invdesk.ui.pages.movements import MovementsPage

    tracked_product(shop_db, "MILK")
    receive_lot(shop_db, "MILK", "MAIN", 5, "L-9", date(2099, 1, 1))
    page = window.open_page(MovementsPage)
    assert isinstance(page, MovementsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    first = page.model.index(0, 8)  # newest first: the lot's receipt
    assert page.model.data(first).startswith("Lot L-9")
    with qtbot.waitSignal(page.open_trace):
        page.table.activated.emit(first)
    trace_page = window.current_page()
    assert isinstance(trace_page, TracePage)
    qtbot.waitUntil(lambda: trace_page.found is not None)
    assert trace_page.found.lot.number == "L-9"
