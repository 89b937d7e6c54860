"""Live updates between PCs (DESIGN.md section 5): a coalesced NOTIFY after commit, and a listener.

The hints and the listener's thread are the database's (`invdesk.db.listen`); this module ties
them to the event bus: what this process commits is announced to others (ChangeNotifier) and
reported to its own listeners at once, without a round trip through the server.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from invdesk.db.engine import Database
from invdesk.db.listen import KINDS as KINDS
from invdesk.db.listen import MAX_IDS, Listener, send_hint
from invdesk.db.listen import Change as Change
from invdesk.db.listen import merge as merge
from invdesk.db.listen import parse_payload as parse_payload
from invdesk.db.listen import payload as payload
from invdesk.services.stock import events

log = logging.getLogger(__name__)
_origins: dict[int, str] = {}


def origin_of(db: Database) -> str:
    """A token naming this open database in this process, so a listener can skip its own hints."""
    found = events.bus(db)
    return _origins.setdefault(id(found), uuid.uuid4().hex[:12])


def change_of(batch: list[events.Event]) -> Change:
    ids: dict[str, list[Any]] = {}
    for event in batch:
        ids.setdefault(event.kind, [])
        if event.key is not None and event.key not in ids[event.kind]:
            ids[event.kind].append(event.key)
    return Change(frozenset(ids), {k: tuple(v) for k, v in ids.items()})


class ChangeNotifier:
    """Sends `NOTIFY invdesk_changes` after commits, coalesced to one per `interval` seconds.

    Sent from its own thread on its own connection, never inside a stock transaction. On SQLite
    there is nothing to send: other processes see `PRAGMA data_version` move.
    """

    def __init__(self, db: Database, *, interval: float = 0.2) -> None:
        self._db, self._interval = db, interval
        self._origin = origin_of(db)
        self._pending: dict[str, dict[Any, None]] | None = None  # kind -> ids, in order
        self._cond = threading.Condition()
        self._closed = False
        self._unsubscribe = events.subscribe(db, self._on_events)
        self._thread = threading.Thread(target=self._run, name="invdesk-notify", daemon=True)
        self._thread.start()

    def _on_events(self, batch: list[events.Event]) -> None:
        # Runs on the committing thread after every commit: only a few dict operations here.
        with self._cond:
            first = self._pending is None
            pending = self._pending if self._pending is not None else {}
            for event in batch:
                ids = pending.setdefault(event.kind, {})
                if event.key is not None and len(ids) <= MAX_IDS:  # more: "everything"
                    ids[event.key] = None
            self._pending = pending
            if first:
                # Wake the sender only for the first change of a batch: a wake-up per commit
                # costs the committing thread a GIL hand-off (measured: ~10% writer CPU).
                self._cond.notify()

    def _take(self) -> Change | None:
        with self._cond:
            while self._pending is None and not self._closed:
                self._cond.wait()
            pending, self._pending = self._pending, None
        if pending is None:
            return None
        return Change(frozenset(pending), {k: tuple(v) for k, v in pending.items()})

    def _run(self) -> None:
        while True:
            change = self._take()
            if change is None:
                return
            self._send(change)
            with self._cond:
                if self._closed:
                    continue
                self._cond.wait_for(lambda: self._closed, timeout=self._interval)

    def _send(self, change: Change) -> None:
        try:
            send_hint(self._db, change, self._origin)
        except Exception as error:  # a lost hint is caught up by the listeners' checks
            log.warning("live-update hint not sent: %s", error)

    def close(self) -> None:
        """Send what is pending, then stop the thread."""
        self._unsubscribe()
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=10)


def start_notifier(db: Database) -> ChangeNotifier | None:
    """A notifier for a PostgreSQL database; None on SQLite (nothing to send there)."""
    return ChangeNotifier(db) if db.dialect == "postgresql" else None


class ChangeListener(Listener):
    """Calls `on_change(Change)` when this or another PC changes the database: other PCs' changes
    through the database's hints and checks (`Listener`), this process's at once from the event bus.
    """

    def __init__(
        self,
        db: Database,
        on_change: Callable[[Change], None],
        on_online: Callable[[bool], None] | None = None,
        *,
        poll_interval: float = 0.5,
        check_interval: float = 3.0,
        max_backoff: float = 10.0,
    ) -> None:
        super().__init__(
            db,
            on_change,
            on_online,
            origin=origin_of(db),
            poll_interval=poll_interval,
            check_interval=check_interval,
            max_backoff=max_backoff,
        )
        self._unsubscribe = events.subscribe(db, self._on_local)

    def start(self) -> ChangeListener:
        super().start()
        return self

    def close(self) -> None:
        self._unsubscribe()
        super().close()

    def _on_local(self, batch: list[events.Event]) -> None:
        self._emit(change_of(batch))
