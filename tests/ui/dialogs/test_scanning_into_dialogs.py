"""Scanning into a stock dialog: lines added or incremented, case barcodes, unknown codes, keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from invdesk.domain.stock import LedgerFilter, MovementKind
from invdesk.services.reads import queries
from invdesk.ui.dialogs import AttachBarcodeDialog, IssueDialog, ReceiveDialog
from invdesk.ui.dialogs.lines import Column
from tests import support
from tests.ui.dialogs.shop import ADMIN, CASE_EAN, CLERK, UNIT_EAN, shown


def _receive(qtbot, db, actor=CLERK, **kwargs):
    dialog = ReceiveDialog(db, actor, warehouse="MAIN", **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # shortcuts (Ctrl+Enter, Delete) work in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _scan_keys(qtbot, dialog, code):
    """What a keyboard-wedge scanner does: the characters, then Enter, into the scan field."""
    qtbot.keyClicks(dialog.scan, code)
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return)


def _cell(dialog, row, column):
    return dialog.model.data(dialog.model.index(row, list(dialog.columns).index(column)))


def test_each_scan_adds_a_line_or_one_more_on_its_line(qtbot, shop):
    dialog = _receive(qtbot, shop)
    assert dialog.handle_scan(UNIT_EAN)
    assert dialog.handle_scan("SKU-2")
    assert dialog.handle_scan(UNIT_EAN)
    assert dialog.model.rowCount() == 2
    assert _cell(dialog, 0, Column.QTY) == "2"
    assert _cell(dialog, 0, Column.PRODUCT) == "Product CAB-1 (CAB-1)"
    assert _cell(dialog, 1, Column.QTY) == "1"
    assert dialog.scan.property("scan_state") == "ok"
    assert "Added 1 × 4006381333931" in dialog.status.text()


def test_a_case_barcode_adds_a_case_of_units(qtbot, shop):
    dialog = _receive(qtbot, shop)
    dialog.handle_scan(CASE_EAN)
    dialog.handle_scan(CASE_EAN)
    assert dialog.model.rowCount() == 1
    assert _cell(dialog, 0, Column.QTY) == "2"
    assert _cell(dialog, 0, Column.UNITS) == "24 each (2 × 12)"
    assert "case of 12" in dialog.status.text()
    assert dialog.summary.text() == "1 line, 24 units"
    with qtbot.waitSignal(dialog.posted) as blocker:
        dialog.post()
    (movement,) = blocker.args[0].movements
    assert movement.qty == 24
    assert support.on_hand(shop, "CAB-1") == (34, 0)


def test_an_unknown_code_says_so_and_adds_nothing(qtbot, shop):
    dialog = _receive(qtbot, shop)
    _scan_keys(qtbot, dialog, "NOPE-42")
    assert dialog.model.rowCount() == 0
    assert "Unknown code “NOPE-42”" in dialog.status.text()
    assert dialog.scan.property("scan_state") == "unknown"
    assert dialog.scan.text() == "NOPE-42"  # kept, selected, to fix a typo
    assert not dialog.can_post()
    assert not shown(dialog.new_product_button)  # a clerk may not create products
    qtbot.waitUntil(lambda: dialog.scan.property("scan_state") == "")


def test_a_manager_is_offered_a_new_product_for_an_unknown_code(qtbot, shop):
    dialog = _receive(qtbot, shop, actor=ADMIN)
    assert dialog.handle_scan("96385074") is True
    assert shown(dialog.new_product_button)
    dialog.handle_scan("SKU-2")
    assert not shown(dialog.new_product_button)


def test_enter_in_the_scan_field_adds_a_line_and_does_not_post(qtbot, shop):
    dialog = _receive(qtbot, shop)
    _scan_keys(qtbot, dialog, "SKU-2")
    assert dialog.model.rowCount() == 1 and dialog.isVisible()
    assert dialog.scan.text() == ""
    dialog.scan_qty.setValue(5)
    _scan_keys(qtbot, dialog, "SKU-2")
    assert _cell(dialog, 0, Column.QTY) == "6"
    assert dialog.scan_qty.value() == 1


def test_enter_elsewhere_posts_and_escape_cancels(qtbot, shop):
    dialog = _receive(qtbot, shop, lines=[("SKU-2", 1)])
    dialog.reference.setFocus()
    with qtbot.waitSignal(dialog.posted):
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    empty = _receive(qtbot, shop)
    with qtbot.waitSignal(empty.rejected):
        qtbot.keyClick(empty.scan, Qt.Key.Key_Escape)  # nothing scanned: closes at once
    assert support.on_hand(shop, "SKU-3") == (0, 0)


def test_ctrl_enter_posts_from_the_scan_field(qtbot, shop):
    dialog = _receive(qtbot, shop, lines=[("SKU-2", 1)])
    dialog.scan.setFocus()
    with qtbot.waitSignal(dialog.posted):
        qtbot.keyClick(dialog.scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_delete_removes_the_selected_line(qtbot, shop):
    dialog = _receive(qtbot, shop, lines=[("SKU-2", 1), ("SKU-3", 1)])
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    assert dialog.table.currentIndex().row() == 1  # the last line added
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert [line.item.sku for line in dialog.model.lines] == ["SKU-3"]


def test_tab_runs_from_the_header_to_the_scan_field_lines_and_buttons(qtbot, shop):
    dialog = IssueDialog(shop, CLERK, warehouse="MAIN", lines=[("CAB-1", 1)])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.scan  # ready for the first scan
    dialog.warehouse.setFocus()
    expected = [
        dialog.reference,
        dialog.reason,
        dialog.scan,
        dialog.scan_qty,
        dialog.add_button,
        dialog.table,
        dialog.post_button,
    ]
    seen = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_scan_three_items_post_and_see_stock_and_ledger(qtbot, shop):
    """End to end: a delivery scanned with the keyboard wedge, posted, visible in the services."""
    dialog = _receive(qtbot, shop)
    for code in ("SKU-2", CASE_EAN, "SKU-3"):
        _scan_keys(qtbot, dialog, code)
    _scan_keys(qtbot, dialog, "SKU-2")
    dialog.reference.setText("PO-77")
    with qtbot.waitSignal(dialog.posted):
        qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    levels = {(row.sku, row.warehouse): row.on_hand for row in queries.stock_levels(shop, CLERK)}
    assert levels == {("CAB-1", "MAIN"): 22, ("SKU-2", "MAIN"): 2, ("SKU-3", "MAIN"): 1}
    ledger = queries.history(shop, CLERK, LedgerFilter(kinds=(MovementKind.RECEIVE,)))
    mine = [m for m in ledger if m.request_id == dialog.request_id]
    assert sorted((m.sku, m.qty, m.reference) for m in mine) == [
        ("CAB-1", 12, "PO-77"),
        ("SKU-2", 2, "PO-77"),
        ("SKU-3", 1, "PO-77"),
    ]


def test_typing_a_quantity_into_the_line_then_enter_does_not_post(qtbot, shop):
    dialog = _receive(qtbot, shop)
    _scan_keys(qtbot, dialog, "SKU-2")
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    assert dialog.table.currentIndex().column() == list(dialog.columns).index(Column.QTY)
    qtbot.keyClicks(dialog.table, "7")  # any key starts editing the quantity cell
    editor = QApplication.focusWidget()
    assert editor is not dialog.table
    qtbot.keyClicks(editor, "5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _cell(dialog, 0, Column.QTY) == "75")  # the delegate commits queued
    assert dialog.isVisible() and dialog.posted_result is None
    qtbot.waitUntil(dialog.table.hasFocus)
    with qtbot.waitSignal(dialog.posted):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # the next Enter posts
    assert support.on_hand(shop, "SKU-2") == (75, 0)


def test_a_unit_line_and_a_case_line_of_one_product_stay_apart(qtbot, shop):
    dialog = IssueDialog(shop, CLERK, warehouse="MAIN", lines=[(UNIT_EAN, 1), (CASE_EAN, 1)])
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.summary.text() == "2 lines, 13 units"
    assert not dialog.can_post()  # 13 units asked, 10 there: both lines count
    assert dialog.lines_error.text() == (
        "Line 1: Only 10 each of CAB-1 available; these lines ask for 13."
    )
    assert set(dialog.model.shortages) == {0, 1}


def test_an_unknown_scan_can_be_attached_and_then_counts_as_a_line(qtbot, shop, monkeypatch):
    def attach_to_sku_2(self):
        self.product.setText("SKU-2")
        self.attach()
        return QDialog.DialogCode.Accepted if self.saved_view else QDialog.DialogCode.Rejected

    monkeypatch.setattr(AttachBarcodeDialog, "exec", attach_to_sku_2)
    dialog = _receive(qtbot, shop, actor=ADMIN)
    dialog.handle_scan("96385074")
    assert dialog.model.rowCount() == 0 and shown(dialog.new_product_button)
    dialog.new_product_button.click()
    assert [(line.item.code, line.item.sku) for line in dialog.model.lines] == [
        ("96385074", "SKU-2")
    ]
    assert not shown(dialog.new_product_button)


def test_the_line_model_passes_the_qt_model_checks(qtbot, qtmodeltester, shop):
    dialog = _receive(qtbot, shop, lines=[("SKU-2", 1), (CASE_EAN, 2)])
    qtmodeltester.check(dialog.model, force_py=True)
    dialog.model.mark_error(1, "Not enough CAB-1")
    cost = list(dialog.columns).index(Column.COST)
    dialog.model.setData(dialog.model.index(0, cost), "1.23456")
    qtmodeltester.check(dialog.model, force_py=True)
