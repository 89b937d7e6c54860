"""Idempotency-Key: the first answer to a POST is kept per token and key, durably, so a retry
reaching any server process gets that answer again, and the same key with another body is refused.

A key is claimed before the request runs (a row without an answer); the answer is stored when it
is known. A claim left by a process that died mid-request is taken over after CLAIM_STALE; the
operation itself is idempotent too (its request id comes from the key), so taking over is safe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from invdesk.db.engine import Database
from invdesk.db.tables import idempotency_t
from invdesk.domain.errors import Conflict, ValidationError
from invdesk.domain.tokens import TokenGrant

_i = idempotency_t.c
KEY_MAX = 200
CLAIM_STALE = timedelta(seconds=60)
KEEP = timedelta(hours=24)


class KeyReused(ValidationError):
    """The key was used with another request (HTTP 422)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def clean_key(value: str) -> str:
    key = value.strip()
    if not key or len(key) > KEY_MAX or not key.isprintable():
        raise ValidationError(
            f"An Idempotency-Key is 1 to {KEY_MAX} printable characters, e.g. a UUID.",
            field="Idempotency-Key",
        )
    return key


def request_id(grant: TokenGrant, key: str) -> str:
    """The stock request id of the operation behind a key: a retry replays it in the ledger."""
    return "api-" + hashlib.sha256(f"{grant.name}\n{key}".encode()).hexdigest()[:40]


def begin(db: Database, grant: TokenGrant, key: str, fingerprint: str) -> Answer | None:
    """Claim `key` for this request (None: go ahead), or the first answer to the same request.

    Raises KeyReused (another request had the key) or Conflict (the first is still running).
    """

    def work(conn: Connection) -> Answer | None:
        at = db.now()
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        claimed = conn.execute(
            insert(idempotency_t)
            .values(token_name=grant.name, key=key, fingerprint=fingerprint, created_at=at)
            .on_conflict_do_nothing(index_elements=["token_name", "key"])
            .returning(_i.key)
        ).first()
        if claimed is not None:
            return None
        row = conn.execute(
            select(_i.fingerprint, _i.status, _i.body, _i.created_at).where(
                _i.token_name == grant.name, _i.key == key
            )
        ).one()
        if row.fingerprint != fingerprint:
            raise KeyReused(
                "This Idempotency-Key was already used with another request; nothing was "
                "changed. Use a new key for a new request.",
                field="Idempotency-Key",
            )
        if row.status is not None:
            return Answer(row.status, row.body or "")
        if row.created_at > at - CLAIM_STALE:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry in a moment.",
                field="Idempotency-Key",
            )
        conn.execute(  # its process is gone: this request takes the claim over
            update(idempotency_t)
            .where(_i.token_name == grant.name, _i.key == key)
            .values(created_at=at)
        )
        return None

    return db.run(work)


def finish(db: Database, grant: TokenGrant, key: str, answer: Answer) -> None:
    """Keep the answer to a claimed key."""

    def work(conn: Connection) -> None:
        conn.execute(
            update(idempotency_t)
            .where(_i.token_name == grant.name, _i.key == key)
            .values(status=answer.status, body=answer.body)
        )

    db.run(work)


def release(db: Database, grant: TokenGrant, key: str) -> None:
    """Give up an unanswered claim (the request failed unexpectedly): a retry may run it again."""

    def work(conn: Connection) -> None:
        conn.execute(
            delete(idempotency_t).where(
                _i.token_name == grant.name, _i.key == key, _i.status.is_(None)
            )
        )

    db.run(work)


def purge(db: Database) -> int:
    """Forget answers older than KEEP (a day); returns how many."""

    def work(conn: Connection) -> int:
        done = conn.execute(delete(idempotency_t).where(_i.created_at < db.now() - KEEP))
        return int(done.rowcount)

    return db.run(work)
