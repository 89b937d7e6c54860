"""Logging in, or on a database without accounts, creating the administrator account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.catalog import users
from invdesk.services.catalog.logins import refused as logins_refused
from invdesk.services.system import database
from invdesk.services.system.database import Database


class LoginDialog(QDialog):
    """After `exec()` returns Accepted, `actor` is the logged-in user.

    With no account in the database the dialog is in "create the admin account" mode
    (`first_start` is True): the account made is an admin and is logged in at once.
    On a shared server whose accounts are login roles the name and password are the person's
    database login: then `database` is the database opened as them (the caller uses it from
    now on). `db` is None when the PC holds no login of its own (`server_url` is the address).
    """

    def __init__(
        self,
        db: Database | None,
        parent: QWidget | None = None,
        *,
        username: str = "",
        server_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._url = server_url if db is None else db.engine.url.render_as_string(False)
        self.actor: Actor | None = None
        self.database: Database | None = None
        self.first_start = db is not None and not users.has_users(db)
        self.setWindowTitle(
            "invdesk: " + ("create the admin account" if self.first_start else "log in")
        )

        intro = QLabel()
        intro.setWordWrap(True)
        if self.first_start:
            intro.setText(
                "<b>Welcome to invdesk.</b><br>This database has no user accounts yet. The account "
                "you create now is the <b>administrator</b>: it can add clerks and managers "
                "later (Users page, or <code>invdesk user add</code>)."
            )
        else:
            assert self._url is not None
            where = database.describe(db) if db is not None else database.describe_url(self._url)
            intro.setText(f"Log in to {where}.")
        self.username = QLineEdit(username)
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("User name:", self.username)
        form.addRow("Password:", self.password)
        if self.first_start:
            form.addRow("Repeat password:", self.repeat)
            self.password.setPlaceholderText("at least 8 characters")

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000;")
        self.error.setVisible(False)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create account and log in" if self.first_start else "Log in")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())
        (self.password if username else self.username).setFocus()

    def scan_refused(self, message: str) -> None:
        """A scan at the login: said here; it never reaches the name or password field."""
        self.show_error(message)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def submit(self) -> None:
        name, password = self.username.text(), self.password.text()
        try:
            if self.first_start:
                if password != self.repeat.text():
                    self.show_error("The two passwords differ; type them again.")
                    self.repeat.clear()
                    self.repeat.setFocus()
                    return
                self.actor = users.create_first_admin(self._db, name, password)
            else:
                self._log_in(name, password)
        except InvdeskError as error:
            self.show_error(error.message)
            self.password.clear()
            self.repeat.clear()
            (self.username if error.field == "username" else self.password).setFocus()
            return
        finally:
            password = ""
        self.accept()

    def _log_in(self, name: str, password: str) -> None:
        signed = users.sign_in(self._url, name, password) if self._url else None
        if signed is not None:
            self.database, self.actor = signed
        elif self._db is None:
            raise logins_refused()
        else:
            self.actor = users.login(self._db, name, password)
