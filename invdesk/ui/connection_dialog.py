"""Choosing the database: a local SQLite file or a shared PostgreSQL server, tested before use.

The chosen address goes to the config file without its password; the password goes to the system
keyring when the user ticks "Remember", and is asked again at the next start otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk import config, credentials
from invdesk.domain.errors import InvdeskError
from invdesk.services.catalog import users
from invdesk.services.system import connection
from invdesk.services.system.database import Database

SSL_MODES = ("prefer", "disable", "allow", "require", "verify-ca", "verify-full")


class _Signals(QObject):
    done = Signal(object)  # a Database, or the exception that stopped it


class _ConnectTask(QRunnable):
    """Connects off the GUI thread: an unreachable server can take seconds to time out."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result: object = connection.connect(self.url)
        except Exception as error:
            result = error
        self.signals.done.emit(result)


def postgres_url(host: str, port: int, database: str, user: str, sslmode: str = "prefer") -> str:
    """A postgresql:// address without a password."""
    netloc = f"{quote(user, safe='')}@" if user else ""
    netloc += f"[{host}]" if ":" in host else host
    netloc += f":{port}"
    query = "" if sslmode == "prefer" else "?" + urlencode({"sslmode": sslmode})
    return f"postgresql://{netloc}/{quote(database, safe='')}{query}"


class ConnectionDialog(QDialog):
    """Pick and test a database. After `exec()` returns Accepted, `database` is open and ready,
    `url` is its address without password, and the config file remembers it (unless save=False).
    """

    attempt_finished = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        initial_url: str | None = None,
        message: str | None = None,
        save: bool = True,
        env: Mapping[str, str] = os.environ,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("invdesk: connect to a database")
        self.database: Database | None = None
        self.url: str | None = None
        self.problem: connection.ConnectionProblem | None = None
        self._save, self._env = save, env
        self._pending: _ConnectTask | None = None
        self._pending_password = ""

        self.local = QRadioButton("This PC only: a local database file (SQLite)")
        self.server = QRadioButton("Shared server for several PCs (PostgreSQL)")
        self.local.setChecked(True)

        self.local_box = self._local_box()
        self.server_box = self._server_box()
        self._problem_widgets()
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_box)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addWidget(self.error)
        layout.addWidget(self.create_tables, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.upgrade, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.local.toggled.connect(self._sync)
        self.resize(560, self.sizeHint().height())

        if initial_url:
            self.set_url(initial_url)
        self._sync()
        if message:
            self.show_error(message)

    def _local_box(self) -> QGroupBox:
        """The SQLite file: a path and a Browse button."""
        self.path = QLineEdit(str(Path(config.default_database_url()[len("sqlite:///") :])))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        box = QGroupBox("Database file")
        local_form = QFormLayout(box)
        local_form.addRow("File:", file_row)
        return box

    def _server_box(self) -> QGroupBox:
        """The PostgreSQL server: host, port, database, user, password and TLS mode."""
        self.host = QLineEdit()
        self.host.setPlaceholderText("db-server or 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.dbname = QLineEdit("invdesk")
        self.user = QLineEdit("invdesk")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("asked at every start unless remembered")
        self.remember = QCheckBox("Remember the password in the system keyring")
        self.keyring_note = QLabel(credentials.keyring_problem() or "")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setVisible(bool(self.keyring_note.text()))
        self.remember.setEnabled(not self.keyring_note.text())
        self.sslmode = QComboBox()
        self.sslmode.addItems(SSL_MODES)
        box = QGroupBox("Server")
        form = QFormLayout(box)
        form.addRow("Host:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Database:", self.dbname)
        form.addRow("User:", self.user)
        form.addRow("Password:", self.password)
        form.addRow("", self.remember)
        form.addRow("", self.keyring_note)
        form.addRow("TLS mode:", self.sslmode)
        return box

    def _problem_widgets(self) -> None:
        """The error line, the fixes it may offer (create tables, upgrade) and the buttons."""
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #a40000;")
        self.error.setVisible(False)
        self.create_tables = QPushButton("Create the tables now")
        self.create_tables.setVisible(False)
        self.create_tables.clicked.connect(self._create_tables)
        self.upgrade = QPushButton("Upgrade it now (administrator)…")
        self.upgrade.setVisible(False)
        self.upgrade.clicked.connect(self._upgrade)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("Connect")
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)

    def set_url(self, url: str) -> None:
        """Fill the fields from an address (a password in it goes to the password field)."""
        parts = urlsplit(url)
        if parts.scheme.startswith("sqlite"):
            self.local.setChecked(True)
            self.path.setText(url.split("///", 1)[-1])
            return
        self.server.setChecked(True)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or 5432)
        self.dbname.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))
        if parts.password:
            self.password.setText(unquote(parts.password))
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        mode = query.get("sslmode", "prefer")
        if mode in SSL_MODES:
            self.sslmode.setCurrentText(mode)

    def chosen_url(self) -> str:
        """The address the fields describe, without a password."""
        if self.local.isChecked():
            return f"sqlite:///{Path(self.path.text().strip()).expanduser()}"
        return postgres_url(
            self.host.text().strip() or "localhost",
            self.port.value(),
            self.dbname.text().strip(),
            self.user.text().strip(),
            self.sslmode.currentText(),
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        # A wrapped label does not grow its window by itself: make room for every line.
        width = max(self.error.width(), self.width() - 40, 400)
        self.error.setMinimumHeight(self.error.heightForWidth(width))
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def try_connect(self) -> None:
        """Test the connection in the background; accept the dialog when it works."""
        if self._pending is not None:
            return
        if self.local.isChecked() and not self.path.text().strip():
            self.show_error("Choose a file for the database.")
            return
        if self.server.isChecked() and not self.dbname.text().strip():
            self.show_error("Enter the name of the database on the server.")
            return
        url = self.chosen_url()
        password = self.password.text()
        if self.server.isChecked() and not password:
            password = credentials.saved_password(url) or ""
        self._pending_password = password
        self._pending = _ConnectTask(credentials.with_password(url, password) if password else url)
        self._pending.signals.done.connect(self._connected)
        self._busy(True)
        self.show_error("Connecting…")
        self.error.setStyleSheet("")
        QThreadPool.globalInstance().start(self._pending)

    def _connected(self, result: object) -> None:
        self._pending = None
        self._busy(False)
        self.error.setStyleSheet("color: #a40000;")
        if isinstance(result, Database):
            self._accept_database(result)
        elif isinstance(result, connection.ConnectionProblem):
            self.problem = result
            self.show_error(result.message)
            self.create_tables.setVisible(result.kind == "empty")
            self.upgrade.setVisible(result.kind == "behind")
            if result.kind == "auth":
                self.password.setFocus()
                self.password.selectAll()
        elif isinstance(result, Exception):
            self.show_error(f"The database could not be opened: {result}")
        self.attempt_finished.emit()

    def _accept_database(self, db: Database) -> None:
        url = self.chosen_url()
        self.database, self.url, self.problem = db, url, None
        if self.server.isChecked() and self._pending_password:
            if self.remember.isChecked():
                credentials.save_password(url, self._pending_password)
            else:
                credentials.forget_password(url)
        if self._save:
            config.save_database_url(url, self._env)
        self.accept()

    def _create_tables(self) -> None:
        url = self.chosen_url()
        password = self._pending_password
        try:
            db = Database.open(credentials.with_password(url, password) if password else url)
            try:
                connection.create_tables(db)
            finally:
                db.dispose()
        except connection.ConnectionProblem as problem:
            self.show_error(problem.message)
            return
        self.create_tables.setVisible(False)
        self.try_connect()

    def _upgrade(
        self, *, credentials_for: Callable[[], tuple[str, str] | None] | None = None
    ) -> None:
        """Upgrade an older schema here: an admin logs in (no login while it has no accounts)."""
        url = self.chosen_url()
        password = self._pending_password
        try:
            db = Database.open(credentials.with_password(url, password) if password else url)
            try:
                login = None
                if users.has_users(db):
                    login = (credentials_for or self._ask_admin)()
                    if login is None:
                        return
                connection.upgrade_schema(db, *(login or (None, None)))
            finally:
                db.dispose()
        except InvdeskError as error:
            self.show_error(error.message)
            return
        self.upgrade.setVisible(False)
        self.try_connect()

    def _ask_admin(self) -> tuple[str, str] | None:
        name, ok = QInputDialog.getText(self, "Upgrade the database", "Administrator user name:")
        if not ok or not name:
            return None
        password, ok = QInputDialog.getText(
            self, "Upgrade the database", f"Password of {name}:", QLineEdit.EchoMode.Password
        )
        return (name, password) if ok else None

    def _busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        for widget in (self.local_box, self.server_box, self.local, self.server):
            widget.setEnabled(not busy)
        if not busy:
            self._sync()

    def _sync(self) -> None:
        self.local_box.setEnabled(self.local.isChecked())
        self.server_box.setEnabled(self.server.isChecked())
        self.create_tables.setVisible(False)
        self.upgrade.setVisible(False)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Database file",
            self.path.text(),
            "invdesk database (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path.setText(path)

    def reject(self) -> None:
        if self._pending is not None:
            return  # wait for the attempt in flight: it may hand back an open database
        super().reject()
