"""Pick lists, packing slips and transfer notes from the Orders and Transit pages: a preview,
then a PDF or a printer (a QPrinter writing PDF stands in for one)."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter

from invdesk.domain.stock import Line, TransferStock
from invdesk.services.stock import orders, transit
from invdesk.ui.pages.orders import OrdersPage
from invdesk.ui.pages.transit import TransitPage
from tests import picking
from tests.ui.conftest import CLERK


@pytest.fixture
def shop(empty_db):
    return picking.bins_and_orders(empty_db)


def _orders_page(qtbot, db):
    page = OrdersPage(db, CLERK)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.orders_model.rowCount() == 2)
    return page


def _previewed(qtbot, dialog):
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=5000):
        dialog.show()
    return dialog


def test_a_pick_list_of_the_selected_orders_previews_and_saves_as_pdf(qtbot, shop, tmp_path):
    page = _orders_page(qtbot, shop)
    page.orders_table.selectAll()
    assert page.pick_button.isEnabled() and not page.fulfil_button.isEnabled()
    assert not page.slip_button.isEnabled()  # a packing slip is for one order
    dialog = _previewed(qtbot, page.pick_list_dialog())
    assert dialog.windowTitle().startswith("Pick list WEB-")
    assert dialog.page_label.text() == "Page 1 of 1"
    assert not dialog.preview.pixmap().isNull()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_pdf(str(tmp_path / "pick.pdf"))
    assert (tmp_path / "pick.pdf").read_bytes().startswith(b"%PDF")
    assert "Saved 1 page(s)" in dialog.status.text()


def test_a_packing_slip_prints_on_letter_paper(qtbot, shop, tmp_path):
    page = _orders_page(qtbot, shop)
    page.orders_table.selectRow(0)
    assert page.slip_button.isEnabled()
    dialog = _previewed(qtbot, page.packing_slip_dialog())
    with qtbot.waitSignal(dialog.previewed, timeout=5000):
        dialog.paper_box.setCurrentIndex(dialog.paper_box.findData("letter"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=5000) as printed:
        dialog.print_document(printer)
    assert printed.args == [1]
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_an_order_cancelled_meanwhile_gives_a_message_not_a_pick_list(qtbot, shop):
    page = _orders_page(qtbot, shop)
    page.orders_table.selectRow(0)
    orders.cancel_order(shop, page.selected_order().reference, CLERK)
    dialog = page.pick_list_dialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        dialog.show()
    assert "cancelled: there is nothing to pick" in failed.args[0]
    assert not dialog.pdf_button.isEnabled()


def test_the_transit_page_prints_the_transfer_note(qtbot, shop, tmp_path):
    from tests import support

    support.warehouse(shop, "EAST")
    transit.ship(shop, TransferStock("MAIN", "EAST", (Line("NUT", 2),)), CLERK)
    page = TransitPage(shop, CLERK)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    page.select_first()
    assert page.note_button.isEnabled()
    dialog = _previewed(qtbot, page.transfer_note_dialog())
    assert dialog.windowTitle().startswith("Transfer note")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_pdf(str(tmp_path / "note.pdf"))


def test_a_long_document_previews_page_by_page(qtbot):
    from invdesk.ui.dialogs.print_document import PrintDocumentDialog
    from tests.ui.printing.test_document_pdf import _document

    dialog = _previewed(qtbot, PrintDocumentDialog("Pick list", lambda: _document(120)))
    pages = dialog.pages
    assert pages >= 3 and dialog.page_label.text() == f"Page 1 of {pages}"
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    with qtbot.waitSignal(dialog.previewed) as shown:
        dialog.next_button.click()
    assert shown.args == [1] and dialog.page_label.text() == f"Page 2 of {pages}"
    assert dialog.previous_button.isEnabled()
