"""Alert e-mail…: the user's own address and how alerts reach it (immediate, digest, off)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.outbound import alert_mail
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.widgets import ErrorLabel, FieldForm, Heading

MODES = {
    "immediate": "Each new alert at once",
    "digest": "One digest a day",
    "off": "No e-mail",
}


class AlertMailDialog(QDialog):
    """`saved(AlertSubscriptionView | None)` after the choice is stored."""

    saved = Signal(object)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.setWindowTitle("Alert e-mail")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            Heading(
                "Alert e-mail",
                "Alerts of your watched warehouses by e-mail, sent by the invdesk server. "
                "Your choice; other users keep their own.",
                self,
            )
        )
        self.form = FieldForm(QFormLayout())
        self.form.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("name@example.com")
        self.email.setMaxLength(254)
        self.form.add("&E-mail:", self.email, "email")
        self.mode = QComboBox(self)
        for value, label in MODES.items():
            self.mode.addItem(label, value)
        self.form.add("&Alerts:", self.mode, "alerts")
        layout.addLayout(self.form.layout)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        current = alert_mail.alert_mail(db, actor, actor.username)
        if current is not None:
            self.email.setText(current.email)
            self.mode.setCurrentIndex(self.mode.findData(current.mode))
        self.email.textEdited.connect(lambda _text: self.form.show({}))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        """An empty address with "No e-mail" forgets the address; otherwise it is checked."""
        address = self.email.text().strip()
        mode = str(self.mode.currentData())
        try:
            if not address and mode == "off":
                alert_mail.remove_alert_mail(self._db, self._actor, self._actor.username)
                result = None
            else:
                result = alert_mail.set_alert_mail(
                    self._db, self._actor, self._actor.username, address, mode
                )
        except InvdeskError as error:
            at_field = error.field in self.form.labels
            self.form.show({error.field: error.message} if at_field and error.field else {})
            self.error.show_message(None if at_field else error.message)
            return
        self.saved.emit(result)
        self.accept()
