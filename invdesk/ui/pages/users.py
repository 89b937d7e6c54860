"""The Users page: admins add accounts, change roles, reset passwords and deactivate accounts;
everyone can change their own password here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission, Role
from invdesk.domain.users import UserView
from invdesk.services.catalog import users
from invdesk.services.system.database import Database
from invdesk.ui.pages.base import Page

HEADERS = ("User", "Role", "Active", "Last login")


class AccountDialog(QDialog):
    """Name, role and password (typed twice) for a new account; or only a password."""

    def __init__(
        self, parent: QWidget | None, *, title: str, new_account: bool, current: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.username = QLineEdit()
        self.role = QComboBox()
        self.role.addItems([r.value for r in Role])
        self.current = QLineEdit()
        self.password = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.current, self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        if new_account:
            form.addRow("User name:", self.username)
            form.addRow("Role:", self.role)
        if current:
            form.addRow("Current password:", self.current)
        form.addRow("New password:" if not new_account else "Password:", self.password)
        form.addRow("Repeat password:", self.repeat)
        self.error = QLabel()
        self.error.setStyleSheet("color: #a40000;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText("The two passwords differ; type them again.")
            return
        self.accept()


class UsersPage(Page):
    TITLE = "Users"
    ICON = "users"
    PERMISSION = Permission.VIEW

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        self.is_admin = actor.can(Permission.ADMIN)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("Add user…")
        self.role_box = QComboBox()
        self.role_box.addItems([r.value for r in Role])
        self.role_button = QPushButton("Set role")
        self.password_button = QPushButton("Set password…")
        self.active_button = QPushButton("Deactivate")
        self.own_password_button = QPushButton("Change my password…")
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.add_button.clicked.connect(self._add)
        self.role_button.clicked.connect(lambda: self.set_role(self.role_box.currentText()))
        self.password_button.clicked.connect(self._reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.own_password_button.clicked.connect(self._own_password)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        bar = QHBoxLayout()
        for widget in (self.add_button, self.role_box, self.role_button, self.password_button):
            bar.addWidget(widget)
        bar.addWidget(self.active_button)
        bar.addStretch(1)
        bar.addWidget(self.own_password_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._rows: list[UserView] = []
        if not self.is_admin:
            for widget in (self.add_button, self.role_box, self.role_button):
                widget.setVisible(False)
            self.password_button.setVisible(False)
            self.active_button.setVisible(False)
            self.table.setVisible(False)
            self.status.setText("Only an administrator manages accounts.")
        self.refresh()

    def refresh(self) -> None:
        if not self.is_admin:
            return
        self._rows = users.list_users(self._db, self._actor)
        self.table.setRowCount(len(self._rows))
        for row, user in enumerate(self._rows):
            last = (
                user.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M")
                if user.last_login_at
                else ""
            )
            values = (user.username, user.role.value, "yes" if user.active else "no", last)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for row, user in enumerate(self._rows):
            if user.username == username:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        user = self.selected()
        for widget in (self.role_button, self.password_button, self.active_button):
            widget.setEnabled(user is not None)
        if user is not None:
            self.role_box.setCurrentText(user.role.value)
            self.active_button.setText("Deactivate" if user.active else "Activate")

    def _run(self, action: str, work: Callable[[], object]) -> bool:
        try:
            work()
        except InvdeskError as error:
            self.status.setText(error.message)
            return False
        self.status.setText(action)
        self.refresh()
        return True

    def add_user(self, name: str, role: str, password: str) -> bool:
        return self._run(
            f"Added {name.strip().lower()} ({role}).",
            lambda: users.add_user(self._db, name, password, role, self._actor),
        )

    def set_role(self, role: str) -> bool:
        user = self.selected()
        if user is None:
            return False
        return self._run(
            f"{user.username} is now {role}.",
            lambda: users.set_role(self._db, user.username, role, self._actor),
        )

    def toggle_active(self) -> bool:
        user = self.selected()
        if user is None:
            return False
        state = "deactivated" if user.active else "active again"
        return self._run(
            f"{user.username} is {state}.",
            lambda: users.set_user_active(self._db, user.username, not user.active, self._actor),
        )

    def set_password(self, username: str, password: str, current: str | None = None) -> bool:
        return self._run(
            f"Password of {username} changed.",
            lambda: users.change_password(
                self._db, username, password, self._actor, old_password=current
            ),
        )

    def _add(self) -> None:
        dialog = AccountDialog(self, title="Add a user", new_account=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_user(dialog.username.text(), dialog.role.currentText(), dialog.password.text())

    def _reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = AccountDialog(
            self, title=f"Set the password of {user.username}", new_account=False
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_password(user.username, dialog.password.text())

    def _own_password(self) -> None:
        dialog = AccountDialog(
            self, title="Change my password", new_account=False, current=not self.is_admin
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            current = dialog.current.text() if not self.is_admin else None
            self.set_password(self._actor.username, dialog.password.text(), current)
