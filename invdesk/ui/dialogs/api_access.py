"""Admin dialogs for `invdesk serve`: a new API token, a new webhook, and the secret shown once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.outbound import SUBSCRIBABLE
from invdesk.domain.security import Actor
from invdesk.domain.tokens import Scope
from invdesk.services.catalog import warehouses
from invdesk.services.channels import tokens
from invdesk.services.outbound import webhooks
from invdesk.services.system.database import Database
from invdesk.ui.background import Job
from invdesk.ui.dialogs.widgets import (
    MUTED_COLOR,
    ErrorLabel,
    FieldForm,
    Heading,
    save_off_thread,
)

SCOPE_HINTS = {
    Scope.READ: "read: inventory and alerts",
    Scope.ORDERS: "orders: place, fulfil, cancel",
    Scope.STOCK: "stock: replenish",
}


class _Choices(QFrame):
    """Checkboxes keyed by value, as one form input, `per_row` to a line.

    A red frame on a refused choice goes round the group, not round every box in it."""

    def __init__(self, parent: QWidget, labels: dict[str, str], *, per_row: int) -> None:
        super().__init__(parent)
        self.setObjectName("choices")
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        self.boxes: dict[str, QCheckBox] = {}
        for n, (value, label) in enumerate(labels.items()):
            box = QCheckBox(label, self)
            grid.addWidget(box, n // per_row, n % per_row)
            self.boxes[value] = box
        grid.setColumnStretch(per_row, 1)

    def setStyleSheet(self, styleSheet: str) -> None:
        super().setStyleSheet(f"QFrame#choices {{ {styleSheet} }}" if styleSheet else "")

    def chosen(self) -> list[str]:
        return [value for value, box in self.boxes.items() if box.isChecked()]


class AddDialog(QDialog):
    """A form whose Save runs one service call off the GUI thread; a refusal shows at its field,
    the dialog stays."""

    added = Signal(object)
    """The service's answer, after it is stored."""

    def __init__(self, title: str, hint: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(Heading(title, hint, self))
        self.form = FieldForm(QFormLayout())
        self.form.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._layout.addLayout(self.form.layout)
        self.error = ErrorLabel(self)
        self.saving: Job | None = None
        """The running (or last) save."""

    def _finish(self) -> None:
        self._layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout.addWidget(self.buttons)

    def _post(self, work: Callable[[], Any]) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.saving = save_off_thread(self, self.form, self.error, save, work, self._added)

    def _added(self, result: Any) -> None:
        self.added.emit(result)
        self.accept()

    def save(self) -> None:
        raise NotImplementedError


class AddTokenDialog(AddDialog):
    """`added((TokenView, secret))`: the caller shows the secret once."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(
            "New API token",
            "A web shop or till sends this token with every request. Give it only the scopes "
            "and warehouses it needs.",
            parent,
        )
        self._db, self._actor = db, actor
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. webshop")
        self.name.setMaxLength(64)
        self.form.add("&Name:", self.name, "name")
        self.scopes = _Choices(self, {s.value: SCOPE_HINTS[s] for s in Scope}, per_row=1)
        self.scope_boxes = self.scopes.boxes
        self.scope_boxes[Scope.READ.value].setChecked(True)
        self.form.add("Scopes:", self.scopes, "scope")
        active = warehouses.list_warehouses(db, actor, include_inactive=False)
        self.limits = _Choices(self, {w.code: w.code for w in active}, per_row=4)
        self.warehouse_boxes = self.limits.boxes
        self.form.add("Only &warehouses:", self.limits, "warehouse")
        hint = QLabel("None ticked: every warehouse.", self)
        hint.setStyleSheet(f"color: {MUTED_COLOR};")
        self.form.layout.addRow("", hint)
        self._finish()

    def save(self) -> None:
        scopes, limits = self.scopes.chosen(), self.limits.chosen()
        self._post(
            lambda: tokens.add_token(self._db, self._actor, self.name.text(), scopes, limits)
        )


class AddWebhookDialog(AddDialog):
    """`added((WebhookView, secret))`: the caller shows the signing secret once."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(
            "New webhook",
            "invdesk POSTs each chosen event to this address, signed with the secret "
            "(X-Invdesk-Signature), and retries for a day.",
            parent,
        )
        self._db, self._actor = db, actor
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://shop.example/invdesk-hook")
        self.form.add("&Address:", self.url, "url")
        self.events = _Choices(self, {e: e for e in SUBSCRIBABLE}, per_row=2)
        self.event_boxes = self.events.boxes
        for box in self.event_boxes.values():
            box.setChecked(True)
        self.form.add("Events:", self.events, "events")
        self.secret = QLineEdit(self)
        self.secret.setPlaceholderText("Leave empty for a random one")
        self.form.add("&Secret:", self.secret, "secret")
        self._finish()

    def save(self) -> None:
        events = self.events.chosen()
        secret = self.secret.text().strip() or None
        self._post(
            lambda: webhooks.add_webhook(self._db, self._actor, self.url.text(), events, secret)
        )


class SecretShownDialog(QDialog):
    """A new token or webhook secret, shown this once, with a Copy button."""

    def __init__(self, title: str, what: str, secret: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            Heading(
                title,
                f"Copy {what} now: it is stored only as a fingerprint and is never "
                "shown again. Lost, it is revoked and replaced.",
                self,
            )
        )
        self.secret = QLineEdit(secret, self)
        self.secret.setReadOnly(True)
        self.secret.selectAll()
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.clicked.connect(self.copy)
        line = QHBoxLayout()
        line.addWidget(self.secret, 1)
        line.addWidget(self.copy_button)
        layout.addLayout(line)
        self.copied = QLabel("Copied to the clipboard.", self)
        self.copied.setStyleSheet(f"color: {MUTED_COLOR};")
        self.copied.hide()
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret.text())
        self.copied.show()
