"""Key presses as a window system delivers them: each with its own timestamp."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def key_event(ch: str, at: float) -> QKeyEvent:
    """A key press stamped `at` ms by the window system; \\n is Enter, ⇧ a Shift press, \\x1d
    the GS character and ⌃ the same GS sent as Ctrl+]."""
    if ch == "\n":
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"
        )
    elif ch == "\x1d":  # GS (FNC1 of a GS1 code) as a character
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch
        )
    elif ch == "⌃":  # GS as its control key, Ctrl+], with no text (as some systems send it)
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier, ""
        )
    elif ch == "⇧":
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    else:
        key = Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_unknown
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
    event.setTimestamp(int(at))
    return event


class Typist:
    """Presses keys into whichever widget has the focus, `gap_ms` apart by their timestamps,
    delivered at once (as a GUI thread that was busy gets them: in one late lump)."""

    def __init__(self) -> None:
        self.at = 10_000_000.0

    def press(self, text: str, gap_ms: float, widget: QWidget | None = None) -> None:
        self.at += 500  # a pause before: a new burst
        for ch in text:
            self.at += gap_ms
            target = widget or QApplication.focusWidget()
            assert target is not None, "no widget has the keyboard focus"
            QApplication.sendEvent(target, key_event(ch, self.at))
