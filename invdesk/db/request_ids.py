"""Request ids: the first use of an id claims it; a repeat returns the first result or is refused."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite

from invdesk.db.direct import Direct
from invdesk.db.tables import request_t
from invdesk.domain.errors import DuplicateRequest
from invdesk.domain.security import Actor

_r = request_t.c
# Built once per dialect; the values come as parameters, so the compiled statement is reused.
_CLAIM = {
    name: Direct(
        insert(request_t)
        .on_conflict_do_nothing(index_elements=["request_id"])
        .returning(_r.request_id)
    )
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
_CLAIMED = select(_r.kind, _r.fingerprint).where(_r.request_id == bindparam("rid"))
_UNCLAIM = delete(request_t).where(_r.request_id == bindparam("rid"))
# On PostgreSQL clients hold no DELETE on request ids: the owner's function gives back only a
# claim this transaction made (migration 0011).
_UNCLAIM_OWN = text("SELECT invdesk_unclaim(:rid)")


def claim(
    conn: Connection, request_id: str, kind: str, digest: str, actor: Actor, at: datetime
) -> bool:
    """True if this transaction now owns `request_id`; False if it was used before with the same payload.

    On PostgreSQL a concurrent claim of the same id waits for the first transaction to finish, so a
    double-submit cannot apply twice. Raises DuplicateRequest when the id was used for something else.
    """
    values = {
        "request_id": request_id,
        "kind": kind,
        "fingerprint": digest,
        "user": actor.username,
        "at": at,
    }
    if _CLAIM[conn.dialect.name].first(conn, values) is not None:
        return True
    row = conn.execute(_CLAIMED, {"rid": request_id}).one()
    if row.fingerprint != digest:
        raise DuplicateRequest(
            f"Request id {request_id} was already used for a different {row.kind} operation; "
            "nothing was changed. Use a new request id for a new operation.",
            field="request_id",
        )
    return False


def unclaim(conn: Connection, request_id: str) -> None:
    """Give back a claim in this transaction (the operation ended with a recorded refusal)."""
    statement = _UNCLAIM_OWN if conn.dialect.name == "postgresql" else _UNCLAIM
    conn.execute(statement, {"rid": request_id})
