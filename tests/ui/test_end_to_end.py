"""End to end in the real window: scan a delivery into the receive dialog, post, see it everywhere."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from invdesk.ui import background
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.movements import MovementsPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.scanning import ScanDetector
from tests.ui.conftest import CLERK


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def burst(target: QWidget, code: str, clock: Clock) -> None:
    """A keyboard-wedge scanner: the characters 8 ms apart, then Enter, at the focused widget."""
    for ch in code:
        clock.now += 8
        key = Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_unknown
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
        QApplication.sendEvent(target, event)
    clock.now += 8
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    QApplication.sendEvent(target, enter)


def idle(qtbot) -> None:
    qtbot.waitUntil(lambda: background.default().busy == 0)


def stock_of(window: MainWindow, qtbot) -> dict[tuple[str, str], int]:
    page = window.open_page(StockPage)
    idle(qtbot)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    return {(row.sku, row.warehouse): row.on_hand for row in rows}


def test_three_scans_into_a_receive_dialog_post_once_and_update_stock_and_ledger(
    qtbot, shop_db, settings
):
    clock = Clock()
    window = MainWindow(shop_db, CLERK, settings=settings, scanner=ScanDetector(clock=clock))
    qtbot.addWidget(window)
    window.show()
    before = stock_of(window, qtbot)

    window.stock_actions["receive"].trigger()
    dialog = window.actions_.scan_target()
    assert type(dialog).__name__ == "ReceiveDialog"
    dialog.warehouse.setCurrentIndex(dialog.warehouse.findData("MAIN"))
    focused = dialog.reference  # the scan lands wherever the focus is
    focused.setFocus()
    for code in ("P-003", "14006381333938", "P-003"):  # the middle one is a case of 12 P-001
        burst(focused, code, clock)
    assert focused.text() == ""  # the scanner's keys were not typed into the field
    with qtbot.waitSignal(dialog.posted) as posted:
        qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    request_id = posted.args[0].request_id

    after = stock_of(window, qtbot)
    assert after[("P-003", "MAIN")] == before[("P-003", "MAIN")] + 2
    assert after[("P-001", "MAIN")] == before[("P-001", "MAIN")] + 12
    movements = window.open_page(MovementsPage)
    idle(qtbot)
    rows = [movements.model.row_at(r) for r in range(movements.model.rowCount())]
    mine = sorted((m.sku, m.qty) for m in rows if m.request_id == request_id)
    assert mine == [("P-001", 12), ("P-003", 2)]
