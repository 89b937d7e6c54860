"""The server's side of the outbox: put committed events in order, fan them out, claim, record.

Outbox ids are taken before commit, so a row with a smaller id can commit after a larger one: a
reader that remembers "the last id I saw" would skip it for good. Instead the sequencer (one at a
time: an advisory lock on PostgreSQL, the single writer on SQLite) picks every committed row that
has no `seq` yet, whatever its id, numbers it after the highest `seq` and creates its deliveries in
the same transaction. Because the lock is held until that commit, `seq` values become visible in
increasing order, so SSE readers can page by `seq` without gaps. Deliveries are claimed row by row
(FOR UPDATE SKIP LOCKED) with a lease: a server that dies mid-send leaves them pending, and the
next attempt sends the same body and event id.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import (
    delivery_t,
    outbox_t,
    subscription_t,
    user_t,
    warehouse_t,
    watched_t,
    webhook_t,
)
from invdesk.domain.outbound import TEST_EVENT, next_attempt, subscribed
from invdesk.services.stock import events

# pg_try_advisory_xact_lock key of the sequencer ("invdseq").
SEQUENCE_LOCK_KEY = 0x696E7664736571
_o = outbox_t.c
_d = delivery_t.c
_w = webhook_t.c
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SET_SEQ = (
    update(outbox_t)
    .where(_o.id == bindparam("b_id"))
    .values(seq=bindparam("b_seq"), sequenced_at=bindparam("b_at"))
)


def envelope(
    outbox_id: int, index: int, created_at: datetime, item: dict[str, Any]
) -> dict[str, Any]:
    """An event as every receiver gets it: its id (for dropping repeats), type, time and data."""
    return {
        "id": f"{outbox_id}-{index}",
        "type": item["type"],
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "warehouses": item["warehouses"],
        "data": item["data"],
    }


@dataclass(frozen=True)
class _Recipients:
    webhooks: list[tuple[int, str, tuple[str, ...]]]
    # (address, watched warehouse codes or None for all) of users who want alerts at once
    mail: list[tuple[str, frozenset[str] | None]]
    chat_url: str | None


def _recipients(conn: Connection, chat_url: str | None) -> _Recipients:
    hooks = [
        (row.id, row.url, tuple(row.event_types.split()))
        for row in conn.execute(select(_w.id, _w.url, _w.event_types).where(_w.active.is_(True)))
    ]
    subs = conn.execute(
        select(subscription_t.c.username, subscription_t.c.email)
        .outerjoin(user_t, user_t.c.username == subscription_t.c.username)
        .where(subscription_t.c.mode == "immediate", func.coalesce(user_t.c.active, True).is_(True))
    ).all()
    watched: dict[str, set[str]] = {}
    if subs:
        for name, code in conn.execute(
            select(watched_t.c.username, warehouse_t.c.code).join(
                warehouse_t, warehouse_t.c.id == watched_t.c.warehouse_id
            )
        ):
            watched.setdefault(name, set()).add(code)
    mail = [
        (s.email, frozenset(watched[s.username]) if s.username in watched else None) for s in subs
    ]
    return _Recipients(hooks, mail, chat_url)


def _fan_out(
    rcpt: _Recipients, outbox_id: int, created_at: datetime, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(items):
        kind = item["type"]
        targets: list[tuple[str, str, int | None]] = []
        for hook_id, url, chosen in rcpt.webhooks:
            if kind == TEST_EVENT:
                wanted = item["data"].get("webhook_id") == hook_id
            else:
                wanted = subscribed(chosen, kind)
            if wanted:
                targets.append(("webhook", url, hook_id))
        if kind == "alert.raised":
            codes = set(item["warehouses"])
            targets += [
                ("email", address, None)
                for address, watching in rcpt.mail
                if watching is None or codes & watching
            ]
            if rcpt.chat_url:
                targets.append(("chat", rcpt.chat_url, None))
        if not targets:
            continue
        env = envelope(outbox_id, index, created_at, item)
        body = _dumps(env)
        rows += [
            {
                "channel": channel,
                "webhook_id": webhook_id,
                "recipient": recipient,
                "outbox_id": outbox_id,
                "event_id": env["id"],
                "event_type": kind,
                "body": body,
                "status": "pending",
                "attempts": 0,
                "created_at": created_at,
                "next_attempt_at": created_at,
            }
            for channel, recipient, webhook_id in targets
        ]
    return rows


def sequence(db: Database, *, chat_url: str | None = None, limit: int = 500) -> int:
    """Give committed, unsequenced outbox rows their place and create their deliveries.

    Returns how many rows it sequenced (0 when another server holds the sequencer's lock).
    """

    def work(conn: Connection) -> int:
        if (
            conn.dialect.name == "postgresql"
            and not conn.execute(select(func.pg_try_advisory_xact_lock(SEQUENCE_LOCK_KEY))).scalar()
        ):
            return 0
        rows = conn.execute(
            select(_o.id, _o.created_at, _o.events)
            .where(_o.seq.is_(None))
            .order_by(_o.id)
            .limit(limit)
        ).all()
        if not rows:
            return 0
        top = conn.execute(select(func.coalesce(func.max(_o.seq), 0))).scalar_one()
        at = db.now()
        rcpt = _recipients(conn, chat_url)
        deliveries: list[dict[str, Any]] = []
        updates = []
        for n, row in enumerate(rows, start=1):
            updates.append({"b_id": row.id, "b_seq": top + n, "b_at": at})
            deliveries.extend(_fan_out(rcpt, row.id, row.created_at, json.loads(row.events)))
        conn.execute(_SET_SEQ, updates)
        if deliveries:
            conn.execute(insert(delivery_t), deliveries)
            events.collect(conn, events.AdminChanged("delivery"))  # the Admin page's lists
        return len(rows)

    return events.run(db, work)


@dataclass(frozen=True)
class Due:
    """A delivery claimed for one attempt."""

    id: int
    channel: str
    recipient: str
    secret: str | None
    event_id: str
    event_type: str
    body: str
    committed_at: datetime


def claim_due(db: Database, *, limit: int = 50, lease: timedelta) -> list[Due]:
    """Claim up to `limit` deliveries due now for one attempt each, leased for `lease`.

    Another server skips rows claimed here (SKIP LOCKED while this transaction runs, the lease
    after it). If this server dies before recording the answer, the lease runs out and the
    delivery is attempted again: at least once, with the same event id.
    """

    def work(conn: Connection) -> list[Due]:
        now = db.now()
        stmt = (
            select(
                _d.id,
                _d.channel,
                _d.recipient,
                _d.event_id,
                _d.event_type,
                _d.body,
                _d.created_at,
                _w.secret,
            )
            .outerjoin(webhook_t, _w.id == _d.webhook_id)
            .where(_d.status == "pending", _d.next_attempt_at <= now)
            .order_by(_d.next_attempt_at)
            .limit(limit)
        )
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=delivery_t, skip_locked=True)
        rows = conn.execute(stmt).all()
        if rows:
            conn.execute(
                update(delivery_t)
                .where(_d.id.in_([r.id for r in rows]))
                .values(next_attempt_at=now + lease, attempts=_d.attempts + 1, last_attempt_at=now)
            )
        return [
            Due(
                r.id,
                r.channel,
                r.recipient,
                r.secret,
                r.event_id,
                r.event_type,
                r.body,
                r.created_at,
            )
            for r in rows
        ]

    return db.run(work)


def record_attempt(
    db: Database, delivery_id: int, *, ok: bool, code: int | None, answer: str | None
) -> str:
    """Record one attempt's answer: delivered, pending again (with backoff) or failed (a day on).

    Returns the delivery's new status. A delivery cancelled meanwhile stays cancelled.
    """

    def work(conn: Connection) -> str:
        now = db.now()
        row = conn.execute(
            select(_d.status, _d.attempts, _d.created_at).where(_d.id == delivery_id)
        ).one()
        if row.status != "pending":
            return str(row.status)
        values: dict[str, Any] = {"response_code": code, "response_text": (answer or "")[:500]}
        if ok:
            values.update(status="delivered", delivered_at=now)
        else:
            retry_at = next_attempt(row.created_at, row.attempts, now)
            if retry_at is None:
                values.update(status="failed")
            else:
                values.update(next_attempt_at=retry_at)
        conn.execute(update(delivery_t).where(_d.id == delivery_id).values(**values))
        events.collect(conn, events.AdminChanged("delivery"))  # the Admin page's lists
        return str(values.get("status", "pending"))

    return events.run(db, work)


def queue_depth(db: Database) -> int:
    """Events not yet out: pending deliveries plus outbox rows not yet sequenced."""
    with db.read() as conn:
        pending = conn.execute(
            select(func.count()).select_from(delivery_t).where(_d.status == "pending")
        ).scalar_one()
        waiting = conn.execute(
            select(func.count()).select_from(outbox_t).where(_o.seq.is_(None))
        ).scalar_one()
    return int(pending) + int(waiting)


@dataclass(frozen=True)
class StreamEvent:
    """One event for an SSE stream: `cursor` ("seq.index") resumes right after it."""

    cursor: str
    event: dict[str, Any]


def parse_cursor(value: str) -> tuple[int, int] | None:
    """A Last-Event-ID ("seq.index") as a position, or None if it is not one."""
    seq, _, index = value.strip().partition(".")
    if seq.isdigit() and index.isdigit():
        return int(seq), int(index)
    return None


def latest_position(db: Database) -> tuple[int, int]:
    """Where a new stream starts: after the newest sequenced event."""
    with db.read() as conn:
        top = conn.execute(select(func.coalesce(func.max(_o.seq), 0))).scalar_one()
    return int(top), 1 << 30


def events_after(
    db: Database,
    position: tuple[int, int],
    warehouses: Collection[str] | None,
    *,
    limit: int = 200,
) -> tuple[list[StreamEvent], tuple[int, int]]:
    """Sequenced events after `position`, only those touching `warehouses` (None: all).

    Returns them with the new position (unchanged when there were none).
    """
    seq, index = position
    with db.read() as conn:
        rows = conn.execute(
            select(_o.id, _o.seq, _o.created_at, _o.events)
            .where(_o.seq >= seq, _o.seq.is_not(None))
            .order_by(_o.seq)
            .limit(limit)
        ).all()
    found = []
    for row in rows:
        for n, item in enumerate(json.loads(row.events)):
            if (row.seq, n) <= (seq, index):
                continue
            position = (row.seq, n)
            if item["type"] == TEST_EVENT:
                continue
            if warehouses is not None and not set(item["warehouses"]) & set(warehouses):
                continue
            found.append(StreamEvent(f"{row.seq}.{n}", envelope(row.id, n, row.created_at, item)))
    return found, position
