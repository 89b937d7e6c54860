"""Alerts and Reports: placeholders, clearly marked, until their issues are built."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

from invdesk.domain.security import Actor
from invdesk.services.database import Database
from invdesk.ui.resources import icon
from invdesk.ui.widgets import Page


class _Placeholder(Page):
    TEXT = ""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.status.setText("Not available yet")
        picture = QLabel(self)
        picture.setPixmap(icon(self.ICON).pixmap(QSize(72, 72)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge = QLabel("Coming in a later version", self)
        badge.setObjectName("placeholderBadge")
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(self.TEXT, self)
        text.setObjectName("placeholderText")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        text.ensurePolished()
        text.setMinimumHeight(text.heightForWidth(560) + 8)
        self.body.addStretch(1)
        self.body.addWidget(picture)
        self.body.addWidget(badge, 0, Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.body.addStretch(2)


class AlertsPage(_Placeholder):
    TITLE = "Alerts"
    ICON = "alerts"
    TEXT = (
        "Low-stock and out-of-stock alerts will appear here, raised from each warehouse's "
        "restock policy, with acknowledge and resolve. Until then the Stock page highlights "
        "rows at or below their reorder point."
    )


class ReportsPage(_Placeholder):
    TITLE = "Reports"
    ICON = "reports"
    TEXT = (
        "Stock valuation, movement summaries, sales velocity and Excel exports will appear "
        "here. Until then the command line lists stock and history as JSON "
        "(invdesk stock --json, invdesk history)."
    )
