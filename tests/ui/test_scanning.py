"""The scan detector tells a scanner's key burst from a person typing, wherever the focus is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from invdesk.ui.scanning import ScanDetector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def field(qtbot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    return edit


@pytest.fixture
def detector(qtbot, clock) -> ScanDetector:
    scanner = ScanDetector(clock=clock)
    scanner.install()
    yield scanner
    scanner.uninstall()
    scanner.deleteLater()


def press(widget: QLineEdit, text: str, clock: Clock, gap_ms: float) -> None:
    """Key presses `gap_ms` apart on the clock the detector reads; \\n is Enter."""
    for ch in text:
        clock.now += gap_ms
        if ch == "\n":
            event = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"
            )
        else:
            key = Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_unknown
            event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
        QApplication.sendEvent(widget, event)


def test_a_fast_burst_ending_with_enter_is_a_scan_and_types_nothing(qtbot, detector, field, clock):
    with qtbot.waitSignal(detector.scanned) as signal:
        press(field, "4006381333931\n", clock, gap_ms=8)

    assert signal.args == ["4006381333931"]
    assert field.text() == ""


def test_human_typing_reaches_the_field_unchanged(qtbot, detector, field, clock):
    scans = []
    detector.scanned.connect(scans.append)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))

    press(field, "hello world\n", clock, gap_ms=120)

    assert field.text() == "hello world"
    assert entered == ["hello world"]
    assert scans == []


def test_a_short_fast_burst_is_replayed_when_the_pause_comes(qtbot, detector, field, clock):
    scans = []
    detector.scanned.connect(scans.append)

    press(field, "ab", clock, gap_ms=5)  # two keys rolled over by a quick typist
    assert field.text() == ""  # held while undecided
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=1000)  # the pause timer replays them
    assert scans == []


def test_a_fast_burst_then_a_slow_key_is_typing_in_order(qtbot, detector, field, clock):
    press(field, "abc", clock, gap_ms=5)
    press(field, "d", clock, gap_ms=300)
    detector.flush()

    assert field.text() == "abcd"


def test_too_short_a_burst_with_enter_is_not_a_scan(qtbot, detector, field, clock):
    scans = []
    detector.scanned.connect(scans.append)
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))

    press(field, "12\n", clock, gap_ms=5)

    assert scans == [] and entered == ["12"]


def test_a_scan_in_the_middle_of_typing_is_taken_out_of_the_text(qtbot, detector, field, clock):
    scans = []
    detector.scanned.connect(scans.append)

    press(field, "qty ", clock, gap_ms=200)
    press(field, "036000291452\n", clock, gap_ms=200)  # the first key still looks human
    assert scans == []
    field.clear()
    press(field, "036000291452\n", clock, gap_ms=4)

    assert scans == ["036000291452"]
    assert field.text() == ""


def test_shortcuts_pass_through_untouched(qtbot, detector, field, clock):
    field.setText("abc")
    field.selectAll()
    clock.now += 5
    QApplication.sendEvent(
        field,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier),
    )
    assert field.text() == ""
