"""This PC's scanner: timing, an optional prefix/suffix key, the keyboard-layout fix, and a test
scan that measures the scanner and spots a layout mismatch."""

from __future__ import annotations

import itertools
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.ui.dialogs.widgets import Heading
from invdesk.ui.scanning import (
    ScanDetector,
    ScannerSettings,
    key_name,
    layout_mismatch,
    with_timing,
)

KEYS = ("", "F9", "F10", "F11", "F12")
SUFFIXES = ("Return", "Tab", "F9", "F10", "F11", "F12")


class ScannerSettingsDialog(QDialog):
    """Kept per workstation (QSettings); applied to the running detector on Save."""

    def __init__(self, detector: ScanDetector, store: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Scanner")
        self.detector, self.store = detector, store
        current = detector.settings
        layout = QVBoxLayout(self)
        layout.addWidget(
            Heading(
                "Scanner",
                "invdesk tells the scanner from the keyboard by how fast keys come. Scan a "
                "barcode into the test field to measure your scanner.",
                self,
            )
        )
        form = QFormLayout()
        self.test = QLineEdit(self)
        self.test.setPlaceholderText("Click here, then scan any product barcode")
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.gap = QDoubleSpinBox(self)
        self.gap.setRange(2, 80)
        self.gap.setSuffix(" ms")
        self.gap.setValue(current.gap_ms)
        self.min_length = QSpinBox(self)
        self.min_length.setRange(2, 40)
        self.min_length.setValue(current.min_length)
        self.prefix = _key_combo(self, KEYS, current.prefix)
        self.suffix = _key_combo(self, SUFFIXES, current.suffix)
        self.translate = QCheckBox("&Turn AZERTY digit-row symbols back into digits", self)
        self.translate.setChecked(current.translate_layout)
        for text, widget in (
            ("Test &scan:", self.test),
            ("", self.result),
            ("Keys at most &apart:", self.gap),
            ("Shortest &code:", self.min_length),
            ("&Prefix key:", self.prefix),
            ("&Ends with:", self.suffix),
            ("", self.translate),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.prefix.setToolTip("A key the scanner sends before each code: perfect separation")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._stamps: list[float] = []
        self.test.installEventFilter(self)
        self.finished.connect(lambda _r: setattr(self.detector, "enabled", True))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The test field measures the raw keys itself, so the detector stands aside there."""
        if event.type() == QEvent.Type.FocusIn:
            self.detector.enabled = False
        elif event.type() == QEvent.Type.FocusOut:
            self.detector.enabled = True
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if key_name(event) in (self.suffix.currentText(), "Return"):
                self.measure(self.test.text(), self._stamps)
                self._stamps = []
                return True
            if event.text() and event.text().isprintable():
                self._stamps.append(float(event.timestamp()))
        return False

    def measure(self, text: str, stamps: list[float]) -> None:
        """What the test scan says: the scanner's speed, a suggested gap, a layout mismatch."""
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        tuned = with_timing(self.settings(), gaps)
        speed = f"{len(text)} keys, slowest gap {max(gaps):.0f} ms" if gaps else "no timing"
        message = f"Read “{text}”: {speed}. Keys at most {tuned.gap_ms:g} ms apart set."
        self.gap.setValue(tuned.gap_ms)
        problem = layout_mismatch(text)
        if problem:
            message += " " + problem
            self.translate.setChecked(True)
        self.result.setText(message)
        self.test.clear()

    def settings(self) -> ScannerSettings:
        return replace(
            self.detector.settings,
            gap_ms=self.gap.value(),
            min_length=self.min_length.value(),
            prefix=self.prefix.currentText().strip(),
            suffix=self.suffix.currentText().strip() or "Return",
            translate_layout=self.translate.isChecked(),
        )

    def save(self) -> None:
        chosen = self.settings()
        chosen.save(self.store)
        self.detector.configure(chosen)
        self.accept()


def _key_combo(parent: QWidget, keys: tuple[str, ...], current: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setEditable(True)  # any other key or character the scanner is set to send
    combo.addItems(list(keys))
    combo.setCurrentText(current)
    return combo
