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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.outbound import SUBSCRIBABLE
from invdesk.domain.security import Actor
from invdesk.domain.tokens import Scope
from invdesk.services import warehouses, webhooks
from invdesk.services.channels import tokens
from invdesk.services.database import Database
from invdesk.ui.dialogs.widgets import ErrorLabel, FieldForm, Heading

SCOPE_HINTS = {
    Scope.READ: "read: inventory and alerts",
    Scope.ORDERS: "orders: place, fulfil, cancel",
    Scope.STOCK: "stock: replenish",
}


def _boxes(
    parent: QWidget, labels: dict[str, str], ticked: bool
) -> tuple[QWidget, dict[str, QCheckBox]]:
    """A row of checkboxes keyed by value, as one form input."""
    row = QWidget(parent)
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    boxes = {}
    for value, label in labels.items():
        box = QCheckBox(label, row)
        box.setChecked(ticked)
        line.addWidget(box)
        boxes[value] = box
    line.addStretch(1)
    return row, boxes


class _AddDialog(QDialog):
    """A form whose Save runs one service call; a refusal shows at its field, the dialog stays."""

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

    def _finish(self) -> None:
        self._layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout.addWidget(self.buttons)

    def _post(self, work: Callable[[], Any]) -> None:
        try:
            result = work()
        except InvdeskError as error:
            at_field = error.field in self.form.labels
            self.form.show({error.field: error.message} if at_field and error.field else {})
            self.error.show_message(None if at_field else error.message)
            return
        self.form.show({})
        self.error.show_message(None)
        self.added.emit(result)
        self.accept()

    def save(self) -> None:
        raise NotImplementedError


class AddTokenDialog(_AddDialog):
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
        scopes = {s.value: SCOPE_HINTS[s] for s in Scope}
        row, self.scope_boxes = _boxes(self, scopes, ticked=False)
        self.scope_boxes[Scope.READ.value].setChecked(True)
        self.form.add("Scopes:", row, "scope")
        codes = {
            w.code: w.code for w in warehouses.list_warehouses(db, actor, include_inactive=False)
        }
        row, self.warehouse_boxes = _boxes(self, codes, ticked=False)
        row.setToolTip("Tick none for every warehouse.")
        self.form.add("Only &warehouses:", row, "warehouse")
        self._finish()

    def save(self) -> None:
        scopes = [v for v, box in self.scope_boxes.items() if box.isChecked()]
        limits = [v for v, box in self.warehouse_boxes.items() if box.isChecked()]
        self._post(
            lambda: tokens.add_token(self._db, self._actor, self.name.text(), scopes, limits)
        )


class AddWebhookDialog(_AddDialog):
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
        row, self.event_boxes = _boxes(self, {e: e for e in SUBSCRIBABLE}, ticked=True)
        self.form.add("Events:", row, "events")
        self.secret = QLineEdit(self)
        self.secret.setPlaceholderText("Leave empty for a random one")
        self.form.add("&Secret:", self.secret, "secret")
        self._finish()

    def save(self) -> None:
        events = [v for v, box in self.event_boxes.items() if box.isChecked()]
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
        self.copied = QLabel("", self)
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret.text())
        self.copied.setText("Copied to the clipboard.")
