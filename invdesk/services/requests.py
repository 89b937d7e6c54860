"""Request ids: the first use of an id claims it; a repeat returns the first result or is refused."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from invdesk.db.models import StockRequest, table_of
from invdesk.domain.errors import DuplicateRequest
from invdesk.domain.security import Actor

request_t = table_of(StockRequest)


def fingerprint(kind: str, payload: Any) -> str:
    """A stable digest of what an operation asks for, to tell a true retry from a reused id."""
    text = json.dumps([kind, payload], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def claim(
    conn: Connection, request_id: str, kind: str, digest: str, actor: Actor, at: datetime
) -> bool:
    """True if this transaction now owns `request_id`; False if it was used before with the same payload.

    On PostgreSQL a concurrent claim of the same id waits for the first transaction to finish, so a
    double-submit cannot apply twice. Raises DuplicateRequest when the id was used for something else.
    """
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = (
        dialect_insert(request_t)
        .values(request_id=request_id, kind=kind, fingerprint=digest, user=actor.username, at=at)
        .on_conflict_do_nothing(index_elements=["request_id"])
        .returning(request_t.c.request_id)
    )
    if conn.execute(stmt).first() is not None:
        return True
    row = conn.execute(
        select(request_t.c.kind, request_t.c.fingerprint).where(
            request_t.c.request_id == request_id
        )
    ).one()
    if row.fingerprint != digest:
        raise DuplicateRequest(
            f"Request id {request_id} was already used for a different {row.kind} operation; "
            "nothing was changed. Use a new request id for a new operation.",
            field="request_id",
        )
    return False


def unclaim(conn: Connection, request_id: str) -> None:
    """Give back a claim in this transaction (the operation ended with a recorded refusal)."""
    conn.execute(delete(request_t).where(request_t.c.request_id == request_id))
