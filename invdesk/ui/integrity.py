"""The scheduled integrity check in the desktop app: its timer, and the "ledger mismatch" banner
shown to admins on the Alerts page and the Dashboard."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.system.database import Database
from invdesk.services.trust import integrity
from invdesk.services.trust.integrity import CheckView
from invdesk.ui import background

# How often this PC looks: it runs the check when the newest run (any PC's) is older than
# integrity.CHECK_EVERY, and tells an admin about a mismatch another PC found.
LOOK_EVERY = timedelta(minutes=5)


class IntegrityWatch(QObject):
    """Runs `integrity.run_check` off the GUI thread on a timer. `mismatch(CheckView)`: an open
    ledger-mismatch alert newer than the last one announced (admins only)."""

    mismatch = Signal(object)
    checked = Signal(object)
    """A run this PC made (a CheckView), with or without findings."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QObject | None = None,
        every: timedelta = integrity.CHECK_EVERY,
        look_every: timedelta = LOOK_EVERY,
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self._every = db, actor, every
        self._announced = 0
        self.timer = QTimer(self)
        self.timer.setInterval(int(look_every.total_seconds() * 1000))
        self.timer.timeout.connect(self.look)
        self.timer.start()

    def _work(self) -> tuple[CheckView | None, CheckView | None]:
        ran = integrity.run_check(self._db, self._actor, self._every)
        found = integrity.open_alerts(self._db, self._actor) if self._admin() else []
        return ran, (found[0] if found else None)

    def _admin(self) -> bool:
        return self._actor.can(Permission.ADMIN)

    @Slot()
    def look(self) -> None:
        """Check now if it is due, and announce a new mismatch (what the timer calls)."""
        background.default().run(self._work, self._done, lambda _error: None)

    def _done(self, result: tuple[CheckView | None, CheckView | None]) -> None:
        ran, newest_open = result
        if ran is not None:
            self.checked.emit(ran)
        if newest_open is not None and newest_open.id > self._announced:
            self._announced = newest_open.id
            self.mismatch.emit(newest_open)


def describe(check: CheckView) -> str:
    when = check.checked_at.astimezone()
    first = check.summary.splitlines()[0] if check.summary else ""
    return (
        f"Ledger mismatch: the integrity check at {when:%Y-%m-%d %H:%M} found "
        f"{check.findings:,} problem(s). {first}"
    )


class IntegrityBanner(QFrame):
    """An admin's red line naming open ledger-mismatch alerts, with Acknowledge; hidden otherwise."""

    acknowledged = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self._shown: CheckView | None = None
        self.setObjectName("integrityBanner")
        self.setStyleSheet("#integrityBanner { background: #fde7e7; border: 1px solid #a40000; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #a40000;")
        self.acknowledge_button = QPushButton("Acknowledge", self)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.acknowledge_button)
        self.setVisible(False)

    def refresh(self) -> None:
        """Read the open alerts off the GUI thread (nothing for anyone but an admin)."""
        if not self._actor.can(Permission.ADMIN):
            return
        db, actor = self._db, self._actor
        background.default().run(
            lambda: integrity.open_alerts(db, actor), self.show_alerts, lambda _error: None
        )

    def show_alerts(self, found: list[CheckView]) -> None:
        self._shown = found[0] if found else None
        if self._shown is not None:
            more = f" ({len(found) - 1} earlier ones too.)" if len(found) > 1 else ""
            self.label.setText(describe(self._shown) + more)
            self.label.setToolTip(self._shown.summary)
        self.setVisible(self._shown is not None)

    @Slot()
    def acknowledge(self) -> None:
        if self._shown is None:
            return
        try:
            integrity.acknowledge(self._db, self._shown.id, self._actor)
        except InvdeskError as error:
            background.show_error(self, error)
        self.acknowledged.emit()
        self.refresh()
