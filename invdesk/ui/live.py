"""Live updates for the GUI: the services' change listener, re-emitted as Qt signals on the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from invdesk.domain.security import Actor
from invdesk.services.stock import events
from invdesk.services.system import live
from invdesk.services.system.database import Database


class LiveUpdates(QObject):
    """Tells views what changed in the database, whoever changed it.

    `changed(kinds, ids)`: kinds is a frozenset of "stock", "alert", "order", "policy", "catalog",
    "admin" (API tokens, webhooks, deliveries);
    ids maps a kind to a tuple of ids (empty: refresh everything of that kind). Bursts are merged
    for `coalesce_ms` so a busy warehouse does not make views refresh dozens of times a second.
    `online_changed(bool)`: the PostgreSQL listener lost or regained its connection.
    `alert_raised(sku, warehouse, kind)`: an alert was raised by this process (for a tray message).
    Call `close()` (or let the parent delete it) to stop the listener thread.
    """

    changed = Signal(frozenset, object)
    online_changed = Signal(bool)
    alert_raised = Signal(str, str, str)
    _arrived = Signal(object)
    _online = Signal(bool)
    _raised = Signal(object)

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        coalesce_ms: int = 50,
        start: bool = True,
        notify_others: bool = True,
    ) -> None:
        super().__init__(parent)
        self._pending: live.Change | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self._flush)
        queued = Qt.ConnectionType.QueuedConnection
        self._arrived.connect(self._on_arrived, queued)
        self._online.connect(self.online_changed, queued)
        self._raised.connect(self._on_raised, queued)
        self._notifier = live.start_notifier(db) if notify_others else None
        self._unsubscribe = events.subscribe(db, self._on_events)
        self._listener = live.ChangeListener(db, self._arrived.emit, self._online.emit)
        if start:
            self._listener.start()

    @property
    def online(self) -> bool:
        return self._listener.online

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL backend of the listening connection (for diagnostics and tests)."""
        return self._listener.backend_pid

    def _on_events(self, batch: list[events.Event]) -> None:
        for event in batch:
            if isinstance(event, events.AlertRaised):
                self._raised.emit(event)

    @Slot(object)
    def _on_raised(self, event: Any) -> None:
        self.alert_raised.emit(event.sku, event.warehouse, event.alert_kind)

    @Slot(object)
    def _on_arrived(self, change: live.Change) -> None:
        self._pending = change if self._pending is None else live.merge(self._pending, change)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        change, self._pending = self._pending, None
        if change is not None:
            self.changed.emit(change.kinds, change.ids)

    def close(self) -> None:
        self._unsubscribe()
        self._listener.close()
        if self._notifier is not None:
            self._notifier.close()
        self._timer.stop()


class TrayNotifier(QObject):
    """Shows a system-tray message for new alerts on the warehouses the user watches.

    Connect `LiveUpdates.alert_raised` (alerts this PC raised) and call `check()` on an "alert"
    change (alerts other PCs raised): it lists open alerts newer than the last one shown.
    """

    shown = Signal(str, str)

    def __init__(
        self,
        db: Database,
        actor: Actor,
        tray: QSystemTrayIcon | None = None,
        watched: tuple[str, ...] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from invdesk.services.catalog import watching
        from invdesk.services.reads import alerts

        self._alerts, self._watching = alerts, watching
        self._db, self._actor, self._tray = db, actor, tray
        self.watched = watched
        """Warehouse codes to announce; None: the user's watch list, read at every check."""
        newest = alerts.list_alerts(db, actor, warehouses=self._codes(), limit=1)
        self._last_id = newest[0].id if newest else 0

    def _codes(self) -> tuple[str, ...]:
        """The warehouses to announce alerts of; () means every warehouse."""
        if self.watched is not None:
            return self.watched
        chosen = self._watching.watched_warehouses(self._db, self._actor)
        return () if chosen.everything else chosen.codes

    def _fresh(self) -> list[Any]:
        """Open alerts on the watched warehouses raised since the last one announced."""
        listed = self._alerts.list_alerts(self._db, self._actor, warehouses=self._codes(), limit=50)
        return [a for a in listed if a.id > self._last_id]

    def check(self) -> int:
        """Announce open alerts raised since the last check; returns how many were announced."""
        return self._announce(self._fresh())

    def check_later(self) -> None:
        """`check()` with the read off the GUI thread (what live updates call)."""
        from invdesk.ui import background

        background.default().run(self._fresh, self._announce, lambda _error: None)

    def _announce(self, found: list[Any]) -> int:
        fresh = [a for a in found if a.id > self._last_id]  # another check may have shown them
        if not fresh:
            return 0
        self._last_id = max(a.id for a in fresh)
        if len(fresh) == 1:
            a = fresh[0]
            title = a.kind.value.replace("_", " ").capitalize()
            what = "in the lots" if a.kind.value.startswith("lot_") else "available"
            text = f"{a.sku} {a.product_name} in {a.warehouse}: {a.available:,} {what}"
        else:
            title, text = "Stock alerts", f"{len(fresh)} new alerts"
        self.notify(title, text)
        return len(fresh)

    def notify(self, title: str, text: str) -> None:
        """One tray message (and `shown`), for stock alerts and the ledger-mismatch alert."""
        self.shown.emit(title, text)
        if self._tray is not None and QSystemTrayIcon.supportsMessages():
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 8000)


class SweepTimer(QObject):
    """Runs the reservation and order sweeper every `interval_ms` while the app is open.

    Safe on several PCs at once (the sweeper is a singleton on PostgreSQL and each release is
    written once). `swept(int)` reports how many orders were marked expired by a run.
    """

    swept = Signal(int)

    def __init__(
        self, db: Database, actor: Actor, parent: QObject | None = None, interval_ms: int = 60_000
    ) -> None:
        super().__init__(parent)
        from invdesk.services.stock import orders

        self._run = lambda: orders.expire_orders(db, actor)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sweep)
        self.timer.start()

    @Slot()
    def sweep(self) -> int:
        from invdesk.domain.errors import InvdeskError

        try:
            count = self._run()
        except InvdeskError:  # offline or a clerk without stock rights: try again next time
            return 0
        self.swept.emit(count)
        return count
