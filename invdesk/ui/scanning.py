"""Telling a barcode scanner from a person: scanners type a burst of keys and end with Enter.

The ScanDetector filters key presses for the whole application and decides from each key's own
timestamp (`QKeyEvent.timestamp()`, set by the window system when the key went down), never from
when the GUI thread got round to it: on a busy PC a burst arrives late, in one lump or in pieces,
and its timestamps still say 8 ms apart. Printable keys are held while a burst is undecided. A
burst of at least `min_length` keys, each within `gap_ms` of the one before, ended by the
suffix key (Enter) is a scan: `scanned(text)` is emitted and nothing of it reaches a widget. A
key further apart shows a person typed the held keys: they are replayed, in order, to the widgets
they were meant for. With a prefix key configured, only bursts that start with it are scans
(perfect separation), and other keys pass straight through.

GS1 codes (GS1-128, DataMatrix) separate their fields with FNC1, which a scanner types as the
GS character: as a key whose text is "\x1d" or as Ctrl+]. Both are kept in the scan as "\x1d"
(a command key otherwise ends a burst), and so is a symbology prefix such as `]C1`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip, QWidget

GAP_MS = 15.0
"""Scanners send 1-10 ms apart; even a very fast typist's keys are 20 ms or more apart."""
MIN_LENGTH = 4
SETTLE_MS = 60
"""How long after the last held key, in wall time, the held keys are given to a person: keys
still queued behind a busy GUI thread are read first (see `_settle`)."""
PREFIX_TIMEOUT_MS = 1500
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)
"""Pressed by a scanner for capitals and symbols: neither part of the code nor an end of it."""
_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
GS = "\x1d"
"""FNC1 in a GS1 code, as a scanner types it."""
# A US-layout scanner on a French or Belgian AZERTY PC: the digit row types its symbols.
AZERTY_DIGITS = str.maketrans("&é\"'(-§è_!çà", "123456678890")


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


@dataclass(frozen=True)
class ScannerSettings:
    """How this workstation's scanner is told apart (kept per PC in QSettings)."""

    gap_ms: float = GAP_MS
    min_length: int = MIN_LENGTH
    prefix: str = ""
    """A key the scanner sends before each code (e.g. F12); empty: decide by timing."""
    suffix: str = "Return"
    """The key that ends a code: Return (Enter), Tab or a function key."""
    translate_layout: bool = False
    """Turn AZERTY digit-row symbols back into digits (a US scanner on a French PC)."""

    @classmethod
    def load(cls, settings: QSettings) -> ScannerSettings:
        default = cls()

        def number(key: str, fallback: float) -> float:
            try:
                return float(str(settings.value(f"scanner/{key}", fallback)))
            except ValueError:
                return fallback

        return cls(
            gap_ms=min(max(number("gap_ms", default.gap_ms), 2.0), 80.0),
            min_length=int(min(max(number("min_length", default.min_length), 2), 40)),
            prefix=str(settings.value("scanner/prefix", "")),
            suffix=str(settings.value("scanner/suffix", default.suffix)) or default.suffix,
            translate_layout=str(settings.value("scanner/translate_layout", "false")) == "true",
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("scanner/gap_ms", self.gap_ms)
        settings.setValue("scanner/min_length", self.min_length)
        settings.setValue("scanner/prefix", self.prefix)
        settings.setValue("scanner/suffix", self.suffix)
        settings.setValue("scanner/translate_layout", "true" if self.translate_layout else "false")
        settings.sync()


def is_gs(event: QKeyEvent) -> bool:
    """The GS character of a GS1 code: typed as "\x1d", or as Ctrl+] (its control key)."""
    if event.text() == GS:
        return True
    ctrl = event.modifiers() & _COMMAND == Qt.KeyboardModifier.ControlModifier
    return event.key() == Qt.Key.Key_BracketRight and ctrl


def key_name(event: QKeyEvent) -> str:
    """A key as the settings name it: 'F12', 'Return', 'Tab', or the character it types."""
    if event.key() == Qt.Key.Key_Enter:
        return "Return"
    name = QKeySequence(event.key()).toString(QKeySequence.SequenceFormat.PortableText)
    text = event.text()
    return text if text and text.isprintable() and len(name) <= 1 else name


@dataclass(frozen=True)
class _Held:
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float


class ScanDetector(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        gap_ms: float = GAP_MS,
        min_length: int = MIN_LENGTH,
        clock: Callable[[], float] = _monotonic_ms,
        settings: ScannerSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.settings = settings or ScannerSettings(gap_ms=gap_ms, min_length=min_length)
        self._held: list[_Held] = []
        self._prefixed = False
        self._replaying = False
        self.enabled = True
        self.last_enter_at = 0.0
        """The timestamp of the key that ended the last scan (for acknowledgement times)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._settle)
        self.configure(self.settings)

    @property
    def gap_ms(self) -> float:
        return self.settings.gap_ms

    @property
    def min_length(self) -> int:
        return self.settings.min_length

    def configure(self, settings: ScannerSettings) -> None:
        self.flush()
        self.settings = settings
        self._timer.setInterval(
            PREFIX_TIMEOUT_MS if settings.prefix else int(settings.gap_ms) + SETTLE_MS
        )

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

    # Deciding -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._replaying
            or not self.enabled
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWidget)
            or not isinstance(event, QKeyEvent)
            or event.key() in _MODIFIER_KEYS
        ):
            return False
        # Keys made without a window-system timestamp (synthetic events) are timed on arrival.
        at = float(event.timestamp()) or self._clock()
        if self.settings.prefix:
            return self._prefixed_key(watched, event, at)
        if self._held and not 0 <= at - self._held[-1].at <= self.settings.gap_ms:
            self.flush()  # the held keys came slower than a scanner types: a person
        if self._ends_code(event):
            if len(self._held) >= self.settings.min_length:
                self._emit(at)
                return True
            self.flush()
            return False
        if self._printable(event):
            text = GS if is_gs(event) else event.text()
            self._held.append(_Held(watched, event.key(), event.modifiers(), text, at))
            self._timer.start()
            return True
        self.flush()
        return False

    def _prefixed_key(self, watched: QWidget, event: QKeyEvent, at: float) -> bool:
        """Prefix mode: from the prefix key to the suffix everything is the scan; the rest typing."""
        if not self._prefixed:
            if key_name(event) == self.settings.prefix and not event.modifiers() & _COMMAND:
                self._prefixed = True
                self._timer.start()
                return True
            return False
        if self._ends_code(event):
            self._emit(at)
            return True
        if self._printable(event):
            text = GS if is_gs(event) else event.text()
            self._held.append(_Held(watched, event.key(), event.modifiers(), text, at))
            return True
        return True  # a stray key inside a prefixed code belongs to the scanner: dropped

    def _ends_code(self, event: QKeyEvent) -> bool:
        return key_name(event) == self.settings.suffix and not event.modifiers() & _COMMAND

    @staticmethod
    def _printable(event: QKeyEvent) -> bool:
        """A key that is part of a code: a character, or the GS of a GS1 code."""
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & _COMMAND:
            return True
        return is_gs(event)

    def _emit(self, at: float) -> None:
        code = self.pending
        if self.settings.translate_layout:
            code = code.translate(AZERTY_DIGITS)
        self._held.clear()
        self._prefixed = False
        self._timer.stop()
        self.last_enter_at = at
        if code:
            self.scanned.emit(code)

    def _settle(self) -> None:
        """The pause timer: first read key presses already queued (a busy GUI thread runs late,
        and the rest of a burst may be waiting behind this timer), then decide."""
        before = (len(self._held), self._held[-1].at if self._held else 0.0)
        QCoreApplication.processEvents()
        after = (len(self._held), self._held[-1].at if self._held else 0.0)
        if after != before and self._held:
            self._timer.start()  # the burst went on; wait for its end
            return
        self.flush()

    def flush(self) -> None:
        """Replay held keys to their widgets: the burst was a person typing."""
        self._timer.stop()
        held, self._held = self._held, []
        self._prefixed = False
        self._replaying = True
        try:
            for h in held:
                if not shiboken6.isValid(h.target):
                    continue
                event = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                event.setTimestamp(int(h.at))
                QCoreApplication.sendEvent(h.target, event)
        finally:
            self._replaying = False


def with_timing(settings: ScannerSettings, gaps_ms: list[float]) -> ScannerSettings:
    """Settings tuned to a scanner's measured key gaps: room for 1.5x its slowest gap."""
    if not gaps_ms:
        return settings
    slowest = max(gaps_ms)
    return replace(settings, gap_ms=round(min(max(slowest * 1.5 + 2.0, 6.0), 60.0), 1))


def layout_mismatch(text: str) -> str | None:
    """Why a test scan of digits came out as symbols, or None when it looks right."""
    symbols = {ch for ch in text if ch in "&é\"'(-§è_!çà"}
    if not text or any(ch.isdigit() for ch in text) or len(symbols) * 2 < len(set(text)):
        return None
    return (
        f"The scanner typed “{text}” where a barcode has digits: it uses a US keyboard layout "
        "and this PC a French or Belgian one. Set the scanner to this PC's layout (see its "
        "manual), or let invdesk turn the symbols back into digits."
    )


def scan_receiver(main: QWidget | None = None) -> QWidget | None:
    """The window in front that a scan belongs to: the active modal dialog or message box, else
    the active window unless it is `main` (None then: the main window decides)."""
    modal = QApplication.activeModalWidget()
    if modal is not None:
        return modal
    active = QApplication.activeWindow()
    return active if active is not None and active is not main else None


def refuse_scan(widget: QWidget, code: str) -> None:
    """A scan the window in front cannot take: a sound and a message there; nothing changes,
    nothing closes (Enter from the scanner never reached a button)."""
    QApplication.beep()
    if isinstance(widget, QMessageBox):
        message = f"Scan {code} not taken: answer this message first, then scan again."
    else:
        message = f"Scan {code} not taken: this window has no barcode field."
    refused = getattr(widget, "scan_refused", None)
    if callable(refused):
        refused(message)
        return
    QToolTip.showText(widget.mapToGlobal(widget.rect().center()), message, widget, QRect(), 5000)


def route_scan(code: str, main: QWidget | None = None) -> bool | None:
    """Give a scan to the window in front: True/False as its `handle_scan` took it, False when
    refused, None when no other window is in front (the caller's own look-up applies)."""
    receiver = scan_receiver(main)
    if receiver is None:
        return None
    handler = getattr(receiver, "handle_scan", None)
    if handler is None:
        refuse_scan(receiver, code)
        return False
    return bool(handler(code))
