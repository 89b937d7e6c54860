"""Change hints between processes (DESIGN.md section 5): PostgreSQL LISTEN/NOTIFY, SQLite polling.

The NOTIFY is a hint. Correctness never depends on it: the listener also checks a cheap watermark
(newest ledger id, newest edits) every few seconds and after reconnecting, and on SQLite it polls
`PRAGMA data_version`. What a hint names is a `Change`: entity kinds and, per kind, row ids.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import text

from invdesk.db.engine import Database

log = logging.getLogger(__name__)
CHANNEL = "invdesk_changes"
KINDS = frozenset({"stock", "alert", "order", "policy", "catalog", "admin", "purchasing"})
MAX_IDS = 200  # per kind in one payload; more means "refresh everything of that kind"
WATERMARK_SQL = (
    "SELECT (SELECT max(id) FROM movement), (SELECT max(updated_at) FROM alert), "
    "(SELECT max(updated_at) FROM product), (SELECT max(updated_at) FROM sales_order), "
    "(SELECT max(updated_at) FROM restock_policy), (SELECT sum(version) FROM warehouse), "
    "(SELECT max(updated_at) FROM purchase_order), "
    "(SELECT coalesce(sum(version), 0) FROM supplier)"
    " + (SELECT count(*) + coalesce(sum(version), 0) FROM supplier_product)"
)
WATERMARK_KINDS = (
    frozenset({"stock"}),
    frozenset({"alert"}),
    frozenset({"catalog"}),
    frozenset({"order"}),
    frozenset({"policy"}),
    frozenset({"catalog", "stock"}),
    frozenset({"purchasing"}),
    frozenset({"purchasing"}),
)
# What moved past a watermark, so a check names rows like a hint does: (kind, SQL with one
# placeholder {p} for the old mark) per watermark column; None: no ids (refresh everything).
# Each is an index range read: movement by id, the others by updated_at.
SINCE_SQL: tuple[tuple[str, str] | None, ...] = (
    ("stock", "SELECT DISTINCT product_id, warehouse_id FROM movement WHERE id > {p} LIMIT {n}"),
    ("alert", "SELECT id FROM alert WHERE updated_at > {p} LIMIT {n}"),
    ("catalog", "SELECT id FROM product WHERE updated_at > {p} LIMIT {n}"),
    ("order", "SELECT id FROM sales_order WHERE updated_at > {p} LIMIT {n}"),
    None,
    None,
    ("purchasing", "SELECT id FROM purchase_order WHERE updated_at > {p} LIMIT {n}"),
    None,
)
Fetch = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Change:
    """What changed: entity kinds, and per kind the ids (empty: anything of that kind)."""

    kinds: frozenset[str]
    ids: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    source: str = "local"  # local, notify, check, catch-up


def merge(a: Change, b: Change) -> Change:
    ids = {
        k: tuple(dict.fromkeys((*a.ids.get(k, ()), *b.ids.get(k, ())))) for k in a.kinds | b.kinds
    }
    for kind in a.kinds | b.kinds:  # a kind named without ids in either means "everything"
        if (kind in a.kinds and not a.ids.get(kind)) or (kind in b.kinds and not b.ids.get(kind)):
            ids[kind] = ()
    return Change(a.kinds | b.kinds, ids, b.source)


def payload(change: Change, origin: str) -> str:
    body = {k: (list(v) if len(v) <= MAX_IDS else []) for k, v in change.ids.items()}
    for kind in change.kinds - body.keys():
        body[kind] = []
    return json.dumps({"o": origin, "k": body}, separators=(",", ":"))


def parse_payload(text_: str) -> tuple[str, Change]:
    try:
        data = json.loads(text_)
        body = {
            str(k): tuple(tuple(i) if isinstance(i, list) else i for i in v)
            for k, v in data["k"].items()
        }
        return str(data.get("o", "")), Change(frozenset(body), body, "notify")
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", Change(KINDS, {}, "notify")  # unreadable: refresh everything


def send_hint(db: Database, change: Change, origin: str) -> None:
    """`NOTIFY invdesk_changes` with what changed, on a connection of its own (not a stock one)."""
    with db.engine.connect() as conn:
        conn.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload(change, origin)},
        )
        conn.commit()


def conninfo(db: Database) -> str:
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class Listener:
    """Calls `on_change(Change)` when this or another PC changes the database.

    PostgreSQL: LISTEN on a dedicated connection, reconnecting with back-off (`on_online(False)`
    while away) and catching up after; a watermark check every `check_interval` seconds.
    SQLite: poll `PRAGMA data_version` every `poll_interval` seconds. Changes committed in this
    process do not come through here: the services' listener adds them from the event bus.
    Hints sent by `origin` (this process's own) are skipped. Callbacks run on a background thread.
    """

    def __init__(
        self,
        db: Database,
        on_change: Callable[[Change], None],
        on_online: Callable[[bool], None] | None = None,
        *,
        origin: str = "",
        poll_interval: float = 0.5,
        check_interval: float = 3.0,
        max_backoff: float = 10.0,
    ) -> None:
        self._db = db
        self._on_change, self._on_online = on_change, on_online
        self._poll, self._check, self._max_backoff = poll_interval, check_interval, max_backoff
        self._origin = origin
        self._stop = threading.Event()
        self._online: bool | None = None
        self._mark: tuple[Any, ...] | None = None
        self.backend_pid: int | None = None
        self._thread = threading.Thread(target=self._run, name="invdesk-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    @property
    def online(self) -> bool:
        return bool(self._online)

    def _emit(self, change: Change) -> None:
        try:
            self._on_change(change)
        except Exception:
            log.exception("live-update subscriber failed")

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            if self._on_online is not None:
                self._on_online(online)

    def _compare(self, row: tuple[Any, ...], source: str, fetch: Fetch | None = None) -> None:
        """Emit the kinds whose watermark moved since the last check, naming the rows that moved
        where an index says so cheaply (`fetch(sql, params)`), so views re-read only those."""
        mark = tuple(row)
        if self._mark is not None and mark != self._mark:
            kinds: frozenset[str] = frozenset()
            everything: set[str] = set()
            named: dict[str, list[Any]] = {}
            for old, new, names, since in zip(
                self._mark, mark, WATERMARK_KINDS, SINCE_SQL, strict=True
            ):
                if old == new:
                    continue
                kinds |= names
                found = None
                if since is not None and fetch is not None:
                    sql = since[1].replace("{n}", str(MAX_IDS + 1))
                    if old is None:  # the table was empty: every row is new
                        sql = sql.replace("> {p}", "IS NOT NULL")
                    found = fetch(sql, () if old is None else (old,))
                if since is not None and found and len(found) <= MAX_IDS:
                    rows = (r[0] if len(r) == 1 else tuple(r) for r in found)
                    named.setdefault(since[0], []).extend(rows)
                else:  # not known: everything of these kinds
                    everything |= names
            ids = {k: tuple(dict.fromkeys(v)) for k, v in named.items() if k not in everything}
            ids.update(dict.fromkeys(everything, ()))
            self._emit(Change(kinds, ids, source))
        self._mark = mark

    def _run(self) -> None:
        try:
            if self._db.dialect == "postgresql":
                self._run_postgresql()
            else:
                self._run_sqlite()
        except Exception:  # never take the app down; the periodic refresh still works
            log.exception("live-update listener stopped")
            self._set_online(False)

    def _run_sqlite(self) -> None:
        raw = self._db.engine.raw_connection()
        try:
            cursor = raw.cursor()

            def fetch(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
                return list(cursor.execute(sql.replace("{p}", "?"), params).fetchall())

            def look(version: Any) -> Any:
                now = cursor.execute("PRAGMA data_version").fetchone()
                if now != version:
                    cursor.execute(WATERMARK_SQL)
                    self._compare(tuple(cursor.fetchone() or ()), "check", fetch)
                return now

            # The starting point is read before going online: a commit made as soon as the
            # listener says it is online must count as a change, not as where it started.
            version = look(None)
            self._set_online(True)
            while not self._stop.wait(self._poll):
                version = look(version)
            cursor.close()
        finally:
            raw.close()

    def _run_postgresql(self) -> None:
        backoff = 0.25
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    conninfo(self._db),
                    autocommit=True,
                    application_name="invdesk-listen",
                    connect_timeout=5,
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = conn.info.backend_pid
                    caught_up = self._online is False
                    self._watch(conn, caught_up)
            except (psycopg.Error, OSError) as error:
                log.info("live updates offline: %s", error)
                self._set_online(False)
                self._stop.wait(backoff)
                backoff = min(self._max_backoff, backoff * 2)
                continue
            backoff = 0.25

    def _watch(self, conn: psycopg.Connection[Any], catch_up: bool) -> None:
        def fetch(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            return list(conn.execute(sql.replace("{p}", "%s"), params).fetchall())

        mark = conn.execute(WATERMARK_SQL).fetchone()
        assert mark is not None
        self._set_online(True)
        if catch_up:  # anything may have changed while we were away
            self._emit(Change(KINDS, {}, "catch-up"))
            self._mark = tuple(mark)
        else:
            self._compare(mark, "check", fetch)
        next_check = time.monotonic() + self._check
        while not self._stop.is_set():
            batch: Change | None = None
            # Wake on the first hint, then take whatever else is already queued.
            notes = list(conn.notifies(timeout=self._poll, stop_after=1))
            if notes:
                notes += conn.notifies(timeout=0.01, stop_after=100)
            for note in notes:
                origin, change = parse_payload(note.payload)
                if origin != self._origin:
                    batch = change if batch is None else merge(batch, change)
            if batch is not None:
                self._emit(batch)
            if time.monotonic() >= next_check:
                row = conn.execute(WATERMARK_SQL).fetchone()
                assert row is not None
                self._compare(row, "check", fetch)
                next_check = time.monotonic() + self._check
