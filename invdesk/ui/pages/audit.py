"""The Audit page: who did what and when (stock movements and record edits), newest first."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.audit import AuditFilter
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.reads import audit
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.audit import AuditModel
from invdesk.ui.pages.base import Page

MAX_ROWS = 2000


class AuditPage(Page):
    TITLE = "Audit"
    ICON = "audit"
    PERMISSION = Permission.REPORTS

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        self.user = QLineEdit()
        self.user.setPlaceholderText("any user")
        self.user.setClearButtonEnabled(True)
        self.use_since = QCheckBox("Since")
        self.since = QDateEdit(QDate.currentDate().addDays(-7))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setEnabled(False)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.user.returnPressed.connect(self.refresh)
        self.status = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(QLabel("User:"))
        bar.addWidget(self.user)
        bar.addWidget(self.use_since)
        bar.addWidget(self.since)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)

        self.model = AuditModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.allowed = actor.can(Permission.REPORTS)
        if not self.allowed:
            for widget in (self.user, self.use_since, self.since, self.refresh_button):
                widget.setEnabled(False)
            self.status.setText(f"Your role ({actor.role}) cannot see the audit trail.")
        self.refresh()

    def current_filter(self) -> AuditFilter:
        since = None
        if self.use_since.isChecked():
            day = self.since.date().toPython()
            since = datetime.combine(day, time()).astimezone().astimezone(UTC)  # local midnight
        user = self.user.text().strip().lower() or None
        return AuditFilter(user=user, since=since, limit=MAX_ROWS)

    def refresh(self) -> None:
        """Up to MAX_ROWS joined entries: read off the GUI thread, shown when they arrive."""
        if not self.allowed:
            return
        db, actor, wanted = self._db, self._actor, self.current_filter()
        self.status.setText("Loading…")
        background.default().run(
            lambda: audit.list_audit(db, actor, wanted),
            self._show,
            self._failed,
            parent=self,
            newest=self,
        )

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self.status.setText(error.message)

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        more = " (newest shown; narrow the filter for older)" if len(rows) >= MAX_ROWS else ""
        self.status.setText(f"{len(rows):,} entries{more}.")
