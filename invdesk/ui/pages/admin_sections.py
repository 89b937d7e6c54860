"""The Admin page's lists for `invdesk serve`: API tokens, webhooks, and their deliveries.

Each section reads and writes off the GUI thread (the background runner; the newest read wins),
acts on the selected row after asking, and says a refusal in its own status line. The page
refreshes them on the live-update kind "admin"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.channels import tokens
from invdesk.services.outbound import webhooks
from invdesk.services.system.database import Database
from invdesk.ui import background, message_box
from invdesk.ui.dialogs.api_access import (
    AddDialog,
    AddTokenDialog,
    AddWebhookDialog,
    SecretShownDialog,
)
from invdesk.ui.dialogs.widgets import ERROR_COLOR, MUTED_COLOR
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.models.small_lists import delivery_model, token_model, webhook_model
from invdesk.ui.pages.common import reselect, table


class _Section(QWidget):
    """A table with buttons under it and a status line (one tab of the page); rows come from
    `reader()`."""

    changed = Signal()
    """Something was written: the page re-reads the sections that depend on it."""

    def __init__(
        self, title: str, db: Database, actor: Actor, model: ListTableModel, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.heading = title
        self.db, self.actor = db, actor
        self.model = model
        self.table = table(self)
        self.table.setModel(model)
        self.table.setMinimumHeight(120)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.bar = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.bar)
        layout.addWidget(self.status)
        self.confirmation: QMessageBox | None = None
        self.shown: QWidget | None = None
        """The last dialog this section opened (a test drives it)."""

    def button(self, text: str, slot: Callable[[], None], *, needs_row: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        if needs_row:
            button.setEnabled(False)
            self.table.selectionModel().selectionChanged.connect(
                lambda *_: button.setEnabled(self.selected() is not None)
            )
            self.model.modelReset.connect(lambda: button.setEnabled(False))
        return button

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None

    def select(self, match: Callable[[Any], bool]) -> None:
        for number in range(self.model.rowCount()):
            if match(self.model.row_at(number)):
                self.table.selectRow(number)
                return

    def reader(self) -> Callable[[], Any]:
        """The read to run off the GUI thread (filters are taken here, on the GUI thread)."""
        raise NotImplementedError

    def key(self, row: Any) -> Any:
        """What names a row across re-reads (the selection stays on it)."""
        return row.id

    def refresh(self) -> None:
        background.default().run(self.reader(), self._show, self._failed, parent=self, newest=self)

    def _show(self, rows: list[Any]) -> None:
        # A live refresh (the server sending) must not drop the row the admin is acting on.
        reselect(self.table, lambda: self.model.set_rows(rows), self.key)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self.say(error.message, error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR if error else MUTED_COLOR};")
        self.status.setText(text)

    def write(self, work: Callable[[], Any], done: str) -> None:
        """One short service call, off the GUI thread (a lock wait must not freeze the window);
        a refusal is said in the status line, never a traceback."""
        self.say("Working…")

        def succeeded(_result: Any) -> None:
            self.say(done)
            self.changed.emit()

        background.default().run(work, succeeded, self._failed, parent=self)

    def ask_then_write(self, question: str, work: Callable[[], Any], done: str) -> None:
        """Ask before something that cannot be undone; on Yes, `write(work, done)`."""
        box = QMessageBox(QMessageBox.Icon.Question, self.heading, question, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self.write(work, done))
        self.confirmation = box
        message_box.keep_open(box)


class _AddingSection(_Section):
    """A section whose "New…" button opens an add dialog; the new row's secret is shown once."""

    SECRET: str = ""
    """What the secret shown once is called ("this token")."""

    def add_dialog(self) -> AddDialog:
        raise NotImplementedError

    def named(self, view: Any) -> str:
        """How the status line and the secret's title name a new row ("Token webshop")."""
        raise NotImplementedError

    def add(self) -> None:
        dialog = self.add_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.shown = dialog
        dialog.open()

    def _added(self, result: tuple[Any, str]) -> None:
        view, secret = result
        name = self.named(view)
        self.say(f"{name} added.")
        self.changed.emit()
        shown = SecretShownDialog(name, self.SECRET, secret, self)
        shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shown = shown
        shown.open()


class TokensSection(_AddingSection):
    SECRET = "this token"

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("API tokens", db, actor, token_model(), parent)
        self.model.setParent(self)
        self.add_button = self.button("New token…", self.add, needs_row=False)
        self.revoke_button = self.button("Revoke…", self.revoke, needs_row=True)
        self.bar.addStretch(1)

    def reader(self) -> Callable[[], Any]:
        return lambda: tokens.list_tokens(self.db, self.actor)

    def add_dialog(self) -> AddDialog:
        return AddTokenDialog(self.db, self.actor, self)

    def key(self, row: Any) -> Any:
        return row.name

    def named(self, view: Any) -> str:
        return f"Token {view.name}"

    def revoke(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.active:
            self.say(f"Token {row.name} is already revoked.", error=True)
            return
        self.ask_then_write(
            f"Revoke token {row.name}? Requests sending it are refused from now on; "
            "this cannot be undone.",
            lambda: tokens.revoke_token(self.db, self.actor, row.name),
            f"Token {row.name} revoked.",
        )


class WebhooksSection(_AddingSection):
    SECRET = "its signing secret"

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Webhooks", db, actor, webhook_model(), parent)
        self.model.setParent(self)
        self.add_button = self.button("New webhook…", self.add, needs_row=False)
        self.remove_button = self.button("Remove…", self.remove, needs_row=True)
        self.test_button = self.button("Send test event", self.send_test, needs_row=True)
        self.bar.addStretch(1)

    def reader(self) -> Callable[[], Any]:
        return lambda: webhooks.list_webhooks(self.db, self.actor)

    def add_dialog(self) -> AddDialog:
        return AddWebhookDialog(self.db, self.actor, self)

    def named(self, view: Any) -> str:
        return f"Webhook {view.id}"

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.ask_then_write(
            f"Remove webhook {row.id} ({row.url})? Its pending deliveries are cancelled.",
            lambda: webhooks.remove_webhook(self.db, self.actor, row.id),
            f"Webhook {row.id} removed.",
        )

    def send_test(self) -> None:
        row = self.selected()
        if row is not None:
            self.write(
                lambda: webhooks.test_webhook(self.db, self.actor, row.id),
                f"Test event queued for webhook {row.id}; the server sends it shortly.",
            )


class DeliveriesSection(_Section):
    LIMIT = 200

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Deliveries", db, actor, delivery_model(), parent)
        self.model.setParent(self)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("Every status", None)
        for status in webhooks.DELIVERY_STATUSES:
            self.status_filter.addItem(status.capitalize(), status)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bar.addWidget(self.status_filter)
        self.retry_button = self.button("Retry now", self.retry, needs_row=True)
        self.refresh_button = self.button("Refresh", self.refresh, needs_row=False)
        self.bar.addStretch(1)

    def reader(self) -> Callable[[], Any]:
        status = self.status_filter.currentData()
        return lambda: webhooks.list_deliveries(
            self.db, self.actor, status=status, limit=self.LIMIT
        )

    def retry(self) -> None:
        row = self.selected()
        if row is not None:
            self.write(
                lambda: webhooks.retry_delivery(self.db, self.actor, row.id),
                f"Delivery {row.id} is due again; the server sends it shortly.",
            )
