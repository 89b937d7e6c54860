"""The Admin page's lists for `invdesk serve`: API tokens, webhooks, and their deliveries.

Each section reads off the GUI thread (its own `Newest`), acts on the selected row after asking,
and says a refusal in its own status line."""

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
from invdesk.ui import background
from invdesk.ui.dialogs.api_access import AddTokenDialog, AddWebhookDialog, SecretShownDialog
from invdesk.ui.dialogs.widgets import ERROR_COLOR, MUTED_COLOR
from invdesk.ui.models.admin_lists import delivery_model, token_model, webhook_model
from invdesk.ui.models.columns import ListTableModel
from invdesk.ui.pages.common import table

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


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
        self._reads = background.Newest(self)
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

    def refresh(self) -> None:
        self._reads.run(self.reader(), self.model.set_rows, self._failed)

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

        background.post_runner(work, succeeded, lambda error: self.say(error.message, error=True))

    def ask(self, question: str, then: Callable[[], None]) -> None:
        """Ask before something that cannot be undone; `then` runs on Yes."""
        box = QMessageBox(QMessageBox.Icon.Question, self.heading, question, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(then)
        self.confirmation = box
        background.keep_open(box)

    def show_secret(self, title: str, what: str, secret: str) -> None:
        dialog = SecretShownDialog(title, what, secret, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shown = dialog
        dialog.open()


class TokensSection(_Section):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("API tokens", db, actor, token_model(), parent)
        self.model.setParent(self)
        self.add_button = self.button("New token…", self.add, needs_row=False)
        self.revoke_button = self.button("Revoke…", self.revoke, needs_row=True)
        self.bar.addStretch(1)

    def reader(self) -> Callable[[], Any]:
        return lambda: tokens.list_tokens(self.db, self.actor)

    def add(self) -> None:
        dialog = AddTokenDialog(self.db, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.shown = dialog
        dialog.open()

    def _added(self, result: tuple[Any, str]) -> None:
        view, secret = result
        self.say(f"Token {view.name} added.")
        self.changed.emit()
        self.show_secret(f"Token {view.name}", "this token", secret)

    def revoke(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.active:
            self.say(f"Token {row.name} is already revoked.", error=True)
            return
        self.ask(
            f"Revoke token {row.name}? Requests sending it are refused from now on; "
            "this cannot be undone.",
            lambda: self.write(
                lambda: tokens.revoke_token(self.db, self.actor, row.name),
                f"Token {row.name} revoked.",
            ),
        )


class WebhooksSection(_Section):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Webhooks", db, actor, webhook_model(), parent)
        self.model.setParent(self)
        self.add_button = self.button("New webhook…", self.add, needs_row=False)
        self.remove_button = self.button("Remove…", self.remove, needs_row=True)
        self.test_button = self.button("Send test event", self.send_test, needs_row=True)
        self.bar.addStretch(1)

    def reader(self) -> Callable[[], Any]:
        return lambda: webhooks.list_webhooks(self.db, self.actor)

    def add(self) -> None:
        dialog = AddWebhookDialog(self.db, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.shown = dialog
        dialog.open()

    def _added(self, result: tuple[Any, str]) -> None:
        view, secret = result
        self.say(f"Webhook {view.id} added.")
        self.changed.emit()
        self.show_secret(f"Webhook {view.id}", "its signing secret", secret)

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.ask(
            f"Remove webhook {row.id} ({row.url})? Its pending deliveries are cancelled.",
            lambda: self.write(
                lambda: webhooks.remove_webhook(self.db, self.actor, row.id),
                f"Webhook {row.id} removed.",
            ),
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
