"""Telling a barcode scanner from a person: scanners type a burst of keys and end with Enter.

The ScanDetector filters key presses for the whole application. Printable keys are held back
while a burst is undecided. If the next key comes within `gap_ms` the burst goes on; an Enter
after at least `min_length` fast keys makes it a scan: `scanned(text)` is emitted and nothing
reaches the focused widget. Any slower key, another key or a pause (the timer) shows it was a
person, and the held keys are replayed to the widget they were meant for, in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

GAP_MS = 30.0
MIN_LENGTH = 4
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


@dataclass(frozen=True)
class _Held:
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanDetector(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        gap_ms: float = GAP_MS,
        min_length: int = MIN_LENGTH,
        clock: Callable[[], float] = _monotonic_ms,
    ) -> None:
        super().__init__(parent)
        self.gap_ms, self.min_length, self._clock = gap_ms, min_length, clock
        self._held: list[_Held] = []
        self._last = 0.0
        self._replaying = False
        self.enabled = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(gap_ms) + 5)
        self._timer.timeout.connect(self.flush)

    def install(self) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.flush()

    @property
    def pending(self) -> str:
        return "".join(h.text for h in self._held)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._replaying
            or not self.enabled
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWidget)
            or not isinstance(event, QKeyEvent)
        ):
            return False
        now = self._clock()
        if self._held and now - self._last > self.gap_ms:
            self.flush()  # the last held key was typed by a person
        text = event.text()
        if event.key() in _ENTER and not event.modifiers() & _COMMAND:
            if len(self._held) >= self.min_length:
                code = self.pending
                self._held.clear()
                self._timer.stop()
                self.scanned.emit(code)
                return True
            self.flush()
            return False
        if text and text.isprintable() and not event.modifiers() & _COMMAND:
            self._held.append(_Held(watched, event.key(), event.modifiers(), text))
            self._last = now
            self._timer.start()
            return True
        self.flush()
        return False

    def flush(self) -> None:
        """Replay held keys to their widgets: the burst was a person typing."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for h in held:
                if not shiboken6.isValid(h.target):
                    continue
                event = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                QCoreApplication.sendEvent(h.target, event)
        finally:
            self._replaying = False
