"""The Admin page (admins only): the `invdesk serve` server's health, the read replica's state,
and what the server serves: API tokens, webhooks and their deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invdesk.config import server_url
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.system import server_health
from invdesk.services.system.database import Database, ReplicaStatus, replica_status
from invdesk.ui import background
from invdesk.ui.dialogs.company_editor import CompanyEditor
from invdesk.ui.pages.admin_sections import DeliveriesSection, TokensSection, WebhooksSection
from invdesk.ui.pages.base import SERVER_KINDS, Page

NO_SERVER = (
    "No server is set up. To watch one here, set INVDESK_SERVER_URL or add to the config file:\n"
    '[server]\nurl = "http://inventory-server:8765"'
)
NO_REPLICA = "None: every read goes to the database above (see --read-db in the README)."


@dataclass(frozen=True)
class Health:
    """One look at both: the server's answer (None: none set up) and the replica's state."""

    server: server_health.ServerHealth | None
    replica: ReplicaStatus | None


def replica_text(status: ReplicaStatus | None) -> str:
    if status is None:
        return NO_REPLICA
    lag = "" if status.lag_s is None else f", {status.lag_s:.1f} s behind"
    if status.usable:
        return f"{status.url}: in use{lag} (bound {status.max_lag_s:g} s)."
    return f"{status.url}: {status.reason}"


class AdminPage(Page):
    TITLE = "Admin"
    ICON = "admin"
    PERMISSION = Permission.ADMIN

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.server_url = QLabel()
        self.server_state = QLabel()
        self.replica_state = QLabel()
        for label in (self.server_url, self.server_state, self.replica_state):
            label.setWordWrap(True)
        self.check_button = QPushButton("Check now")
        self.check_button.clicked.connect(self.refresh)
        health = QGroupBox("Health", self)
        form = QFormLayout(health)
        form.addRow("Server:", self.server_url)
        form.addRow("State:", self.server_state)
        form.addRow("Read replica:", self.replica_state)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        self.company_button = QPushButton("&Company details…")
        self.company_button.setToolTip("The name and address printed at the head of documents.")
        self.company_button.clicked.connect(self.edit_company)
        check_row.addWidget(self.company_button)
        check_row.addStretch(1)
        form.addRow("", check_row)
        self.tokens = TokensSection(db, actor, self)
        self.webhooks = WebhooksSection(db, actor, self)
        self.deliveries = DeliveriesSection(db, actor, self)
        self.tokens.changed.connect(self.tokens.refresh)
        self.webhooks.changed.connect(self.webhooks.refresh)
        self.webhooks.changed.connect(self.deliveries.refresh)  # removing cancels, a test queues
        self.deliveries.changed.connect(self.deliveries.refresh)
        self.tabs = QTabWidget(self)  # each list gets the page's width: URLs and answers are long
        for section in (self.tokens, self.webhooks, self.deliveries):
            self.tabs.addTab(section, section.heading)
        layout = QVBoxLayout(self)
        layout.addWidget(health)
        layout.addWidget(self.tabs, 1)

    def edit_company(self) -> None:
        editor = CompanyEditor(self.db, self.actor, self)
        editor.open()

    def tables(self) -> dict[str, QTableView]:
        """Column widths the window remembers."""
        return {
            "admin_tokens": self.tokens.table,
            "admin_webhooks": self.webhooks.table,
            "admin_deliveries": self.deliveries.table,
        }

    def follows(self, kinds: frozenset[str]) -> bool:
        return True  # the server's lists ("admin"), and its health after any other change

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Live: tokens, webhooks or deliveries changed (another PC, the server sending)."""
        if kinds <= SERVER_KINDS:
            for section in (self.tokens, self.webhooks, self.deliveries):
                section.refresh()
        else:
            self.refresh()

    def refresh(self) -> None:
        """Ask the server and the replica off the GUI thread (a dead host takes seconds), and
        re-read the tokens, webhooks and deliveries."""
        for section in (self.tokens, self.webhooks, self.deliveries):
            section.refresh()
        url = server_url()
        self.server_url.setText(url or NO_SERVER)
        self.server_state.setText("Checking…" if url else "")
        self.check_button.setEnabled(False)
        background.default().run(
            lambda: self._look(url), self._show, self._failed, parent=self, newest=self
        )

    def _look(self, url: str | None) -> Health:
        server = None if url is None else server_health.check_server(self.actor, url)
        return Health(server, replica_status(self.db, self.actor))

    def _show(self, health: Health) -> None:
        self.check_button.setEnabled(True)
        if health.server is not None:
            self.server_state.setText(health.server.message)
        self.replica_state.setText(replica_text(health.replica))

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self.server_state.setText(error.message)  # e.g. a server address that is not a URL
