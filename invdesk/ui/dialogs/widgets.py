"""Small widgets the dialogs share: the scan field, error labels, validators, flashes, a conflict bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.catalog import WarehouseView
from invdesk.domain.errors import InvdeskError
from invdesk.ui import background
from invdesk.ui.background import Job
from invdesk.ui.scanning import GS, is_gs

ERROR_COLOR = "#b3261e"
OK_COLOR = "#1e7d32"
MUTED_COLOR = "#5f6368"
FLASH_MS = 700
MONEY_PATTERN = r"\d{0,7}([.,]\d{0,4})?"
INVALID_STYLE = "border: 1px solid #b3261e; border-radius: 3px; background: #fdecea;"

_FLASH_STYLES = {
    "ok": "background: #dff3e3; border: 1px solid #1e7d32; border-radius: 3px;",
    "unknown": "background: #fdecea; border: 1px solid #b3261e; border-radius: 3px;",
}


def save_off_thread(
    dialog: QWidget,
    form: FieldForm,
    error: ErrorLabel,
    save: QWidget,
    work: Callable[[], Any],
    done: Callable[[Any], None],
) -> Job:
    """One service call of a form's Save, on the application's runner (a lock wait never
    freezes the window). Save is off meanwhile; a refusal shows at its field, or under the form,
    and the dialog stays; a bug goes to the crash dialog. `done(result)` runs after a success."""
    save.setEnabled(False)
    dialog.setCursor(Qt.CursorShape.BusyCursor)

    def finished() -> None:
        save.setEnabled(True)
        dialog.unsetCursor()

    def succeeded(result: Any) -> None:
        finished()
        form.show({})
        error.show_message(None)
        done(result)

    def failed(problem: BaseException) -> None:
        finished()
        if not isinstance(problem, InvdeskError):
            background.show_error(dialog, problem)
            return
        at_field = problem.field in form.labels
        form.show({problem.field: problem.message} if at_field and problem.field else {})
        error.show_message(None if at_field else problem.message)

    return background.default().run(work, succeeded, failed, parent=dialog)


def regex_validator(pattern: str, parent: QWidget) -> QRegularExpressionValidator:
    return QRegularExpressionValidator(QRegularExpression(pattern), parent)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red frame on an input at fault; its own style sheet comes back when it is fixed."""
    if bool(widget.property("invalid")) == invalid:
        return
    if invalid:
        widget.setProperty("base_style", widget.styleSheet())
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet(INVALID_STYLE if invalid else str(widget.property("base_style") or ""))


class Heading(QWidget):
    """The dialog's title in large type and one line on how to use it (screenshots show no frame)."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(2)
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {MUTED_COLOR};")
        column.addWidget(self.title)
        column.addWidget(self.hint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_title(self, title: str) -> None:
        self.title.setText(title)


class ErrorLabel(QLabel):
    """A red message under an input, hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class FieldForm:
    """A QFormLayout whose rows carry a red message under the input, keyed by service field name."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, ErrorLabel] = {}

    def add(self, label: str, widget: QWidget, field: str) -> None:
        box = QWidget()
        # The row takes the form's width, so a message under a narrow input is not squeezed.
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        narrow = isinstance(widget, QComboBox) or widget.maximumWidth() < 1000
        column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft if narrow else Qt.AlignmentFlag(0))
        error = ErrorLabel(box)
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)  # Alt+letter moves to the input itself, not its frame
        self.layout.addRow(caption, box)
        self.widgets[field], self.labels[field] = widget, error

    def set_visible(self, field: str, visible: bool) -> None:
        """Show or hide a field's whole row (its caption too)."""
        self.layout.setRowVisible(self.widgets[field].parentWidget(), visible)

    def show(self, messages: dict[str, str]) -> None:
        for field, label in self.labels.items():
            label.show_message(messages.get(field))
            mark_invalid(self.widgets[field], field in messages)


class ScanField(QLineEdit):
    """Where a scanner types (or a clerk types a code); Enter enters the code instead of posting."""

    code_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Scan or type a SKU / barcode, then Enter")
        self.setClearButtonEnabled(True)
        self.setMaxLength(256)  # a GS1 DataMatrix carries more than a barcode's 64 characters
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.timeout.connect(self._unflash)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()  # do not let the dialog's default button see it
            code = self.text().strip(" \t")  # not strip(): Python counts GS as white space
            if code:
                self.code_entered.emit(code)
            return
        if is_gs(event):
            self.insert(GS)  # a GS1 code's field separator, which QLineEdit would drop
            return
        super().keyPressEvent(event)

    def flash(self, state: str) -> None:
        """Green for a good scan, red for an unknown code; back to normal shortly after."""
        self.setProperty("scan_state", state)
        self.setStyleSheet(_FLASH_STYLES[state])
        if state == "unknown":
            QApplication.beep()  # heard by a clerk looking at the goods, not the screen
        self._reset.start(FLASH_MS)

    def _unflash(self) -> None:
        self.setProperty("scan_state", "")
        self.setStyleSheet("")


class StatusLine(QLabel):
    """One line under the scan field: what the last scan did, in green or red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMinimumHeight(self.fontMetrics().height() + 4)

    def say(self, message: str, ok: bool) -> None:
        self.setStyleSheet(f"color: {OK_COLOR if ok else ERROR_COLOR};")
        self.setText(message)

    def hint(self, message: str) -> None:
        self.setStyleSheet(f"color: {MUTED_COLOR};")
        self.setText(message)


class WarehouseCombo(QComboBox):
    """Active warehouses by code and name; `code()` is the chosen code or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def fill(self, warehouses: list[WarehouseView], selected: str | None) -> None:
        self.blockSignals(True)
        self.clear()
        for wh in warehouses:
            self.addItem(f"{wh.code} · {wh.name}", wh.code)
        if selected is not None:
            index = self.findData(selected.strip().upper())
            if (
                index < 0
            ):  # an inactive or unknown code asked for: keep it visible, let the service say
                self.addItem(selected.strip().upper(), selected.strip().upper())
                index = self.count() - 1
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(0 if self.count() else -1)
        self.blockSignals(False)
        self.currentIndexChanged.emit(self.currentIndex())

    def code(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def set_code(self, code: str) -> None:
        index = self.findData(code.strip().upper())
        if index >= 0:
            self.setCurrentIndex(index)


class ConflictBar(QFrame):
    """'Changed by someone else' with a Reload button, shown when a save met a newer version."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBar")
        self.setStyleSheet(
            "#conflictBar { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.reload_button = QPushButton("&Reload", self)
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self.reload_requested)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.reload_button)
        self.hide()

    def show_conflict(self, what: str) -> None:
        self.message.setText(
            f"<b>{what} was changed by someone else.</b> Reload to see their changes, "
            "then make yours again."
        )
        self.show()
