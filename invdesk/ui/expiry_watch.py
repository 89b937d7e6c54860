"""Lot expiry alerts on a desktop without a server: the expiry pass at start and every hour.

Lots expire by the calendar, not by a ledger row, so nothing else would raise their alerts on a
shop that runs no `invdesk serve`. The pass runs off the GUI thread; with a server running the
same pass hourly, a second one finds nothing to do (it raises each alert once).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from invdesk.domain.restock import ExpiryCheck
from invdesk.domain.security import Actor
from invdesk.services.stock import expiry_alerts
from invdesk.services.system.database import Database
from invdesk.ui import background

HOUR_MS = 3_600_000


class ExpiryWatch(QObject):
    """`checked(ExpiryCheck)` after each pass; a failed pass (offline) is tried next hour."""

    checked = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, parent: QObject | None = None, interval_ms: int = HOUR_MS
    ) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run)
        self.timer.start()
        QTimer.singleShot(0, self, self.run)

    def run(self) -> None:
        db, actor = self._db, self._actor
        background.default().run(
            lambda: expiry_alerts.check_expiry(db, actor),
            self._done,
            lambda _error: None,  # offline or refused: the next hour tries again
        )

    def _done(self, done: ExpiryCheck) -> None:
        self.checked.emit(done)
