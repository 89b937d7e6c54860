"""Ending a session whose account an administrator deactivated or gave another role.

Services check the role an actor carries; a running window carries the role it logged in with.
So the window re-reads its account now and then (off the GUI thread) and, once it changed,
ends the session: the clerk logs in again and gets the pages and rights the account has now.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from invdesk.domain.security import Actor
from invdesk.services.catalog import users
from invdesk.services.system.database import Database
from invdesk.ui import background

CHECK_MS = 15_000


class SessionGuard(QObject):
    """Emits `ended(message)` once, when the logged-in account no longer stands as it did."""

    ended = Signal(str)

    def __init__(
        self, db: Database, actor: Actor, parent: QObject | None = None, interval_ms: int = CHECK_MS
    ) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self._checking = False
        self.over = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if self._checking or self.over:
            return
        self._checking = True
        db, actor = self._db, self._actor
        background.default().run(lambda: users.standing(db, actor), self._judge, self._unknown)

    def _unknown(self, _error: BaseException) -> None:
        # Offline or a failed read proves nothing: the status bar already says the database is
        # unreachable, and the next check asks again.
        self._checking = False

    def _judge(self, now: Actor | None) -> None:
        self._checking = False
        if self.over or now == self._actor:
            return
        if now is None:
            message = (
                f"The account “{self._actor.username}” was deactivated by an administrator. "
                "Its session has ended."
            )
        else:
            message = (
                f"An administrator changed your role from {self._actor.role.value} to "
                f"{now.role.value}. Log in again to work with it."
            )
        self.over = True
        self.timer.stop()
        self.ended.emit(message)
