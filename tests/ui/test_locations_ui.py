"""Locations in the GUI: the Move dialog driven by scanner bursts and keys alone, location codes
scanned into a receipt, the Locations page and its editor, the Stock page by location."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from invdesk.domain.locations import AddLocation, EditLocation
from invdesk.domain.security import SYSTEM
from invdesk.services.catalog import locations
from invdesk.services.reads import grain
from invdesk.ui.dialogs import LocationEditor, MoveDialog, ReceiveDialog
from invdesk.ui.dialogs.lines import Column
from invdesk.ui.models.small_lists import LocationColumn
from invdesk.ui.pages.locations import LocationsPage
from invdesk.ui.pages.stock import StockPage
from tests.integration.placing import place
from tests.ui.conftest import CLERK
from tests.ui.dialogs.shop import post, shown
from tests.ui.keys import Typist

UNIT_EAN = "4006381333931"  # P-001 in the window's shop


def _bins(db, *codes: str) -> None:
    for code in codes:
        locations.add_location(db, AddLocation("MAIN", code), SYSTEM)


def _units(db) -> dict[str, int]:
    return {v.code: v.on_hand for v in locations.list_locations(db, "MAIN", SYSTEM)}


def _front(qtbot, cls):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), cls))
    return QApplication.activeModalWidget()


def test_a_move_is_scanned_and_posted_without_a_mouse(qtbot, window):
    _bins(window.db, "A-01-1", "B-02-1")
    place(window.db, "P-001", "MAIN", "A-01-1", 8)
    window.activateWindow()
    dialog = window.actions_.open_stock_dialog("MoveDialog", warehouse="MAIN")
    assert isinstance(dialog, MoveDialog)
    qtbot.waitUntil(dialog.scan.hasFocus)
    typist = Typist()

    for code in ("A-01-1", "B-02-1", UNIT_EAN, UNIT_EAN):  # from, to, two of P-001
        typist.press(f"{code}\n", gap_ms=8)
    dialog.table.setFocus()  # Tab from the scan field: the line's quantity is current
    typist.press("3", gap_ms=300)  # a person types a count on the line: 3, then Enter
    qtbot.waitUntil(lambda: dialog.table.state() == QAbstractItemView.State.EditingState)
    typist.press("\n", gap_ms=300)
    qtbot.waitUntil(lambda: [line.qty_text for line in dialog.model.lines] == ["3"])
    assert (dialog.source.currentData(), dialog.destination.currentData()) == ("A-01-1", "B-02-1")
    assert [line.qty_text for line in dialog.model.lines] == ["3"]
    with qtbot.waitSignal(dialog.posted, timeout=10_000) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    kinds = [(m.kind.value, m.qty, m.location) for m in blocker.args[0].movements]
    assert kinds == [("move_out", -3, "A-01-1"), ("move_in", 3, "B-02-1")]
    assert _units(window.db) == {"A-01-1": 5, "B-02-1": 3}


def test_a_move_takes_one_product_and_two_different_locations(qtbot, window):
    _bins(window.db, "A-01-1")
    dialog = window.actions_.open_stock_dialog("MoveDialog", warehouse="MAIN")

    assert dialog.handle_scan("A-01-1")  # from A-01-1; the target was A-01-1 already
    dialog.handle_scan("P-001")
    dialog.handle_scan("P-002")

    assert [line.item.sku for line in dialog.model.lines] == ["P-001"]
    assert "one product" in dialog.status.text()
    assert dialog.header_problems() == {
        "to_location": "Choose a different location from the one goods leave."
    }
    assert not dialog.can_post()
    dialog.destination.setCurrentIndex(0)  # the default location
    assert dialog.can_post()
    dialog.model.remove_rows([0])
    dialog.reject()


def test_a_location_scanned_in_a_receipt_books_the_next_lines_there(qtbot, shop_db):
    _bins(shop_db, "A-01-1")
    dialog = ReceiveDialog(shop_db, CLERK, warehouse="MAIN")
    qtbot.addWidget(dialog)

    dialog.handle_scan("P-003")  # before any location: the default location (or putaway)
    dialog.handle_scan("a-01-1")
    said = dialog.status.text()
    dialog.handle_scan("P-003")
    dialog.handle_scan("P-003")
    product_cells = [
        dialog.model.data(dialog.model.index(row, list(dialog.columns).index(Column.PRODUCT)))
        for row in range(dialog.model.rowCount())
    ]
    post(qtbot, dialog)

    assert said == "Location A-01-1: the next lines are booked there."
    assert product_cells == ["Product P-003", "Product P-003 @ A-01-1"]
    rows = grain.stock_by_grain(
        shop_db, CLERK, by_location=True, by_lot=False, product="P-003", warehouse="MAIN"
    )
    assert [(r.location, r.on_hand) for r in rows] == [(None, 31), ("A-01-1", 2)]


def test_a_location_code_is_unknown_in_a_warehouse_without_it(qtbot, shop_db):
    _bins(shop_db, "A-01-1")
    dialog = ReceiveDialog(shop_db, CLERK, warehouse="SHOP")
    qtbot.addWidget(dialog)

    dialog.handle_scan("A-01-1")

    assert dialog.line_location is None
    assert "Unknown code “A-01-1”" in dialog.status.text()


def test_the_locations_page_adds_edits_and_deactivates(qtbot, qtmodeltester, window):
    _bins(window.db, "ZONE-A")
    page = window.open_page(LocationsPage)
    page.warehouse.setCurrentIndex(page.warehouse.findData("MAIN"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    qtmodeltester.check(page.model)

    editor = page.add()
    editor.code.setText("a-03-2")
    editor.name.setText("Aisle A, rack 3")
    editor.zone.setCurrentIndex(editor.zone.findData("ZONE-A"))
    with qtbot.waitSignal(editor.saved):
        editor.save()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.table.selectRow(0)
    shown_row = [
        page.model.data(page.model.index(0, c)) for c in (LocationColumn.CODE, LocationColumn.ZONE)
    ]
    page.deactivate()
    qtbot.waitUntil(lambda: page.model.row_at(0) is not None and not page.model.row_at(0).active)

    assert shown_row == ["A-03-2", "ZONE-A"]
    assert "1 active locations" in page.status.text()
    assert not page.deactivate_button.isEnabled()


def test_a_stale_location_edit_offers_a_reload(qtbot, shop_db):
    _bins(shop_db, "A-1")
    editor = LocationEditor(shop_db, SYSTEM, warehouse="MAIN", code="A-1")
    qtbot.addWidget(editor)
    locations.edit_location(shop_db, EditLocation("MAIN", "A-1", name="Theirs"), SYSTEM)

    editor.name.setText("Mine")
    editor.save()

    assert shown(editor.conflict) and editor.saved_view is None
    editor.reload()
    assert editor.name.text() == "Theirs"


@pytest.mark.parametrize("with_bins", [False, True])
def test_the_stock_page_offers_by_location_only_where_there_are_locations(qtbot, window, with_bins):
    if with_bins:
        _bins(window.db, "A-01-1")
        place(window.db, "P-002", "MAIN", "A-01-1", 5)
    page = window.open_page(StockPage)
    page.select_warehouse("MAIN")
    qtbot.wait(50)
    background_idle(qtbot)

    assert page.by_grain.isHidden() is not with_bins
    assert page.move_button.isHidden() is not with_bins
    if with_bins:
        page.by_grain.setChecked(True)
        qtbot.waitUntil(lambda: page.grain_model.rowCount() == 11)  # 10 products + P-002 at A-01-1
        assert page.table.isHidden() and not page.grain_table.isHidden()
        p2 = [r for r in page.grain_model.rows() if r.sku == "P-002"]
        assert [(r.location, r.on_hand) for r in p2] == [(None, 15), ("A-01-1", 5)]
        assert next(iter(page.tables())) == "stock_by_grain"


def background_idle(qtbot) -> None:
    from invdesk.ui import background

    qtbot.waitUntil(lambda: not background.default().busy, timeout=5000)
    QApplication.processEvents()


def test_a_location_scanned_in_the_main_window_says_what_it_holds(qtbot, window):
    _bins(window.db, "A-01-1")
    place(window.db, "P-002", "MAIN", "A-01-1", 4)
    window.activateWindow()
    Typist().press("A-01-1\n", gap_ms=8)

    qtbot.waitUntil(lambda: "A-01-1" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == "Location A-01-1 in MAIN · 4 units"
    assert window.actions_.prompt is None  # not offered as an unknown barcode
