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

from invdesk.domain.outbound import AlertSubscriptionView
from invdesk.domain.security import Actor
from invdesk.services.outbound import alert_mail
from invdesk.services.system.database import Database
from invdesk.ui.background import Job
from invdesk.ui.dialogs.widgets import ErrorLabel, FieldForm, Heading, save_off_thread

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
        self.saving: Job | None = None
        """The running (or last) save."""
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
        """An empty address with "No e-mail" forgets the address; otherwise it is checked.
        Stored off the GUI thread; the dialog closes once it is."""
        address = self.email.text().strip()
        mode = str(self.mode.currentData())
        db, actor = self._db, self._actor

        def work() -> AlertSubscriptionView | None:
            if not address and mode == "off":
                alert_mail.remove_alert_mail(db, actor, actor.username)
                return None
            return alert_mail.set_alert_mail(db, actor, actor.username, address, mode)

        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.saving = save_off_thread(self, self.form, self.error, save, work, self._saved)

    def _saved(self, result: AlertSubscriptionView | None) -> None:
        self.saved.emit(result)
        self.accept()
