"""A scan never edits a form: with an editor, a login or a message box in front, a burst of
scanner keys (timestamps 8 ms apart, delivered late in one lump) goes to the barcode field or
is refused with a message; its Enter never presses a button and nothing closes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from invdesk.services.catalog import products
from invdesk.services.reads import audit
from invdesk.ui.dialogs import ProductEditor, ReceiveDialog, WarehouseEditor
from invdesk.ui.login_dialog import LoginDialog
from invdesk.ui.scanning import ScanDetector
from tests.ui.conftest import CLERK
from tests.ui.keys import Typist


@pytest.fixture
def typist() -> Typist:
    return Typist()


def _in_front(qtbot, window, cls):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), cls))
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, cls)
    return widget


def test_a_scan_with_the_product_editor_open_changes_no_product(qtbot, window, typist):
    window.activateWindow()
    window.actions_.edit_product(sku="P-002")
    editor = _in_front(qtbot, window, ProductEditor)
    editor.name.setFocus()
    editor.name.selectAll()  # the name pre-selected, as when tabbed into
    qtbot.waitUntil(editor.name.hasFocus)
    audit_before = audit.list_audit(window.db, CLERK)

    typist.press("96385074\n", gap_ms=8)

    assert editor.name.text() == "Product P-002"
    assert editor.barcode_list() == (("96385074", 1),)  # listed, to be saved with Save
    assert editor.isVisible() and editor.saved_view is None  # Enter did not press Save
    assert products.get_product(window.db, "P-002", CLERK).name == "Product P-002"
    assert products.get_product(window.db, "P-002", CLERK).barcodes == ()
    assert audit.list_audit(window.db, CLERK) == audit_before


def test_a_scan_in_the_warehouse_editor_is_refused_with_a_message(qtbot, window, typist):
    window.activateWindow()
    window.actions_.edit_warehouse(code="MAIN")
    editor = _in_front(qtbot, window, WarehouseEditor)
    editor.name.setFocus()
    qtbot.waitUntil(editor.name.hasFocus)
    name = editor.name.text()

    typist.press("4006381333931\n", gap_ms=8)

    assert editor.name.text() == name and editor.isVisible() and editor.saved_view is None
    assert "Scan 4006381333931 not taken" in editor.error.text()


def test_a_scan_while_a_message_box_is_open_closes_nothing(qtbot, window, typist):
    window.activateWindow()
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", warehouse="MAIN")
    assert isinstance(dialog, ReceiveDialog)
    dialog.handle_scan("P-001")
    box = QMessageBox(QMessageBox.Icon.Warning, "invdesk", "Something to read", parent=dialog)
    box.open()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is box)

    typist.press("4006381333931\n", gap_ms=8, widget=box)

    assert box.isVisible() and dialog.isVisible()
    assert [line.qty_text for line in dialog.model.lines] == ["1"]  # not added behind the box
    assert window.scan_field.property("scan") == "bad"
    box.close()


def test_a_burst_split_across_a_message_box_is_one_scan_never_typed(qtbot, window, typist):
    """A box opens in the middle of a burst (the focus moves to it): the keys before and after
    are one code, refused as a whole; no part of it is typed anywhere or taken as a code."""
    window.activateWindow()
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", warehouse="MAIN")
    dialog.reference.setFocus()
    qtbot.waitUntil(dialog.reference.hasFocus)
    scans: list[str] = []
    window.scanner.scanned.connect(scans.append)
    first, rest = "400638", "1333931\n"
    at = typist.at
    typist.press(first, gap_ms=8, widget=dialog.reference)
    box = QMessageBox(QMessageBox.Icon.Warning, "invdesk", "Printer offline", parent=dialog)
    box.open()
    typist.at = typist.at - 500  # the burst goes on, 8 ms later, into the box
    assert typist.at > at
    typist.press(rest, gap_ms=8, widget=box)

    assert scans == ["4006381333931"]
    assert dialog.reference.text() == "" and dialog.model.lines == []
    assert box.isVisible()
    box.close()


def test_a_scan_at_the_login_is_refused_and_typed_nowhere(qtbot, empty_db, typist):
    from invdesk.ui.scanning import route_scan

    scanner = ScanDetector()
    scanner.install()
    scanner.scanned.connect(route_scan)
    login = LoginDialog(empty_db)
    qtbot.addWidget(login)
    login.open()
    login.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is login)
    try:
        typist.press("4006381333931\n", gap_ms=6, widget=login.username)
    finally:
        scanner.uninstall()
    assert login.username.text() == "" and login.isVisible()
    assert "Scan 4006381333931 not taken" in login.error.text()
