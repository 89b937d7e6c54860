"""Receiving a delivery against a purchase order by scanner: the PO opened by scanning its printed
number, its lines ticked off by scans (key events stamped 8 ms apart, delivered in one late
lump as a busy PC gets them), a product not on it refused with its code, more than ordered
confirmed first, and the receipt posted once under the dialog's request id."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from invdesk.domain.purchasing import (
    CreatePurchase,
    OrderLine,
    POStatus,
    ReceivePurchase,
    SupplierDetails,
)
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.ui.dialogs import ReceiveDialog
from invdesk.ui.dialogs.po_receiving import CheckColumn
from tests import support
from tests.ui.keys import Typist

BUYER = Actor("bea", Role.MANAGER)
CASE_EAN = "14006381333938"  # a case of 12 P-001 (tests/ui/conftest.py)


@pytest.fixture
def typist() -> Typist:
    return Typist()


def _po(db, lines, *, send=True):
    if not suppliers.list_suppliers(db, BUYER):
        suppliers.create_supplier(db, SupplierDetails("ACME", "Acme Wholesale"), BUYER)
    order = tuple(OrderLine(sku, qty, "2.50") for sku, qty in lines)
    po = orders.create_po(db, CreatePurchase("ACME", "MAIN", order), BUYER)
    return orders.send_po(db, po.number, BUYER) if send else po


def _receive(qtbot, window, **kwargs) -> ReceiveDialog:
    dialog = window.actions_.open_stock_dialog("ReceiveDialog", **kwargs)
    assert isinstance(dialog, ReceiveDialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    dialog.scan.setFocus()
    qtbot.waitUntil(dialog.scan.hasFocus)
    return dialog


def _opened(qtbot, window, typist, number, **kwargs) -> ReceiveDialog:
    dialog = _receive(qtbot, window, **kwargs)
    with qtbot.waitSignal(dialog.purchase.opened, timeout=5000):
        typist.press(f"{number}\n", gap_ms=8)
    return dialog


def _receive_extra(qtbot, dialog):
    """Alt+R in the question: the keyboard's way to "Receive the extra" (the box in front)."""
    box = dialog.over_question
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    with qtbot.waitSignal(dialog.posted, timeout=10_000) as posted:
        qtbot.keyClick(box, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    return posted.args[0]


def _check(dialog, sku, column):
    model = dialog.purchase.model
    row = model.rows_by_sku[sku]
    return model.data(model.index(row, column))


def test_scanning_a_po_number_opens_its_open_lines(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24), ("P-002", 5)])
    dialog = _opened(qtbot, window, typist, po.number, warehouse="SHOP")
    assert dialog.purchase.number == po.number
    assert dialog.purchase.model.rowCount() == 2 and not dialog.purchase.table.isHidden()
    assert dialog.warehouse.code() == "MAIN" and not dialog.warehouse.isEnabled()
    assert dialog.reference.text() == po.number
    assert dialog.scan.text() == "" and dialog.model.rowCount() == 0  # no key leaked
    assert f"{po.number}: 2 open lines" in dialog.status.text()
    assert _check(dialog, "P-001", CheckColumn.OPEN) == "24"


def test_scans_in_one_late_lump_tick_the_lines_off(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24), ("P-002", 5)])
    dialog = _opened(qtbot, window, typist, po.number)
    # Three scans, their keys 8 ms apart by timestamp, all delivered at once.
    typist.press(f"4006381333931\n{CASE_EAN}\nP-002\n", gap_ms=8)
    assert [line.qty_text for line in dialog.model.lines] == ["1", "1", "1"]
    assert _check(dialog, "P-001", CheckColumn.NOW) == "13"
    assert _check(dialog, "P-001", CheckColumn.OPEN) == "11"
    assert _check(dialog, "P-002", CheckColumn.NOW) == "1"
    assert "1 of 5 open" in dialog.status.text()
    typist.press("P-002\nP-002\nP-002\nP-002\n", gap_ms=8)
    assert _check(dialog, "P-002", CheckColumn.STATE) == "✓ complete"
    assert dialog.scan.text() == ""


def test_a_product_not_on_the_po_or_unknown_is_refused_with_its_code(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24)])
    dialog = _opened(qtbot, window, typist, po.number)
    typist.press("P-003\n", gap_ms=8)
    assert f"P-003 is not on {po.number}: nothing added." in dialog.status.text()
    assert dialog.scan.property("scan_state") == "unknown"
    typist.press("NOPE-42\n", gap_ms=8)
    assert "Unknown code “NOPE-42”" in dialog.status.text()
    assert dialog.model.rowCount() == 0 and not dialog.can_post()


def test_a_draft_po_is_refused_and_the_dialog_stays_a_plain_receipt(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24)], send=False)
    dialog = _receive(qtbot, window)
    with qtbot.waitSignal(dialog.purchase.refused, timeout=5000):
        typist.press(f"{po.number}\n", gap_ms=8)
    assert "is still a draft: send it first" in dialog.status.text()
    assert dialog.purchase.order is None and dialog.warehouse.isEnabled()


def test_more_than_ordered_asks_first_and_posts_only_when_confirmed(qtbot, window, typist):
    po = _po(window.db, [("P-001", 2)])
    dialog = _opened(qtbot, window, typist, po.number)
    typist.press("P-001\nP-001\nP-001\n", gap_ms=8)
    assert _check(dialog, "P-001", CheckColumn.STATE) == "over by 1"
    qtbot.keyClick(dialog.scan, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    box = dialog.over_question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "P-001: 3 of 2 ordered" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter is the safe answer: go back
    assert not box.isVisible() and dialog.posted_result is None
    assert orders.get_po(window.db, po.number, BUYER).lines[0].received == 0

    dialog.post()
    receipt = _receive_extra(qtbot, dialog)
    assert receipt.order.status is POStatus.RECEIVED and receipt.order.lines[0].received == 3
    assert receipt.request_id == dialog.request_id
    assert support.on_hand(window.db, "P-001") == (13, 0)  # 10 in stock, 3 received


def test_a_receipt_posts_against_the_po_once_and_a_retry_books_nothing(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24), ("P-002", 5)])
    dialog = _opened(qtbot, window, typist, po.number)
    typist.press("P-001\nP-001\n", gap_ms=8)
    with qtbot.waitSignal(dialog.posted, timeout=10_000) as posted:
        dialog.post()
    receipt = posted.args[0]
    assert receipt.order.status is POStatus.PARTIAL
    assert [ln.received for ln in receipt.order.lines] == [2, 0]
    again = receiving.receive_po(
        window.db,
        ReceivePurchase(po.number, (Line("P-001", 2),), request_id=dialog.request_id),
        BUYER,
    )
    assert again.replayed and again.order.lines[0].received == 2
    assert support.on_hand(window.db, "P-001") == (12, 0)


def test_a_delivery_booked_meanwhile_makes_the_post_ask_before_passing_the_order(
    qtbot, window, typist
):
    po = _po(window.db, [("P-001", 5)])
    dialog = _opened(qtbot, window, typist, po.number)
    typist.press("P-001\nP-001\nP-001\n", gap_ms=8)  # 3 of 5: fine on screen
    other = ReceivePurchase(po.number, (Line("P-001", 3),), request_id="other-clerk")
    receiving.receive_po(window.db, other, BUYER)  # another clerk, another PC
    job = dialog.post()
    assert job is not None
    qtbot.waitUntil(lambda: dialog.over_question is not None and dialog.over_question.isVisible())
    assert "P-001: 6 of 5 ordered" in dialog.over_question.text()
    assert _receive_extra(qtbot, dialog).order.lines[0].received == 6


def test_a_po_number_scanned_in_the_main_window_opens_the_receive_dialog_on_it(
    qtbot, window, typist
):
    po = _po(window.db, [("P-001", 24)])
    window.activateWindow()
    window.scan_field.setFocus()
    qtbot.waitUntil(window.scan_field.hasFocus)
    typist.press(f"{po.number.lower()}\n", gap_ms=8)
    dialog = next(d for d in window.actions_.open_dialogs if isinstance(d, ReceiveDialog))
    qtbot.waitUntil(lambda: dialog.purchase.order is not None, timeout=5000)
    assert dialog.purchase.number == po.number


def test_a_po_number_typed_by_hand_in_its_field_opens_it(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24)])
    dialog = _receive(qtbot, window)
    dialog.purchase.field.setFocus()
    qtbot.waitUntil(dialog.purchase.field.hasFocus)
    with qtbot.waitSignal(dialog.purchase.opened, timeout=5000):
        typist.press("po-1\n", gap_ms=150)  # a person: 150 ms a key, Enter in the field
    assert dialog.purchase.number == po.number == "PO-000001"
    assert dialog.purchase.field.text() == po.number


def test_an_unposted_po_receipt_reopens_on_its_po_with_its_request_id(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24)])
    dialog = _opened(qtbot, window, typist, po.number)
    typist.press("P-001\nP-001\n", gap_ms=8)
    draft = dialog.draft()
    assert draft.header["po"] == po.number
    again = ReceiveDialog(window.db, BUYER, draft=draft)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.purchase.opened, timeout=5000):
        pass
    assert again.request_id == dialog.request_id
    assert _check(again, "P-001", CheckColumn.NOW) == "2"
    dialog.discard()


def test_emptying_the_po_field_makes_it_a_plain_receipt_again(qtbot, window, typist):
    po = _po(window.db, [("P-001", 24)])
    dialog = _opened(qtbot, window, typist, po.number)
    dialog.purchase.field.clear()
    with qtbot.waitSignal(dialog.purchase.closed):
        dialog.purchase.field.returnPressed.emit()
    assert dialog.warehouse.isEnabled() and not dialog.reference.isReadOnly()
    assert dialog.reference.text() == "" and dialog.purchase.table.isHidden()
    typist.press("P-003\n", gap_ms=8)  # any product again
    assert [line.item.sku for line in dialog.model.lines] == ["P-003"]
