"""Sealing the ledger and the audit trail, and reading, exporting and importing seals.

A seal hashes every row of a trail since the previous seal, chained onto that seal's hash
(domain/seals.py). On PostgreSQL the owner's `invdesk_seal()` writes them (clients may only call
it); it never seals past an id a running transaction may still commit (migration 0007 says how).
On SQLite writers take turns, so every committed id is final, and this module seals them itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Connection, Select, func, insert, select, text, type_coerce

from invdesk.db.engine import Database
from invdesk.db.tables import audit_t, movement_t, seal_t
from invdesk.domain.errors import ValidationError
from invdesk.domain.seals import (
    AUDIT,
    AUDIT_FIELDS,
    GENESIS,
    LEDGER,
    LEDGER_FIELDS,
    MAX_ROWS_PER_SEAL,
    TRAILS,
    SealView,
    hasher_for,
)
from invdesk.domain.security import Actor, Permission, require

_TABLES = {LEDGER: movement_t, AUDIT: audit_t}
_FIELDS = {LEDGER: LEDGER_FIELDS, AUDIT: AUDIT_FIELDS}
# Rows are read from the server this many at a time (a server-side cursor on PostgreSQL).
STREAM_BATCH = 10_000
EXPORT_FORMAT = "invdesk-seals/1"


def rows_after(trail: str, after_id: int, upto: int | None = None) -> Select[Any]:
    """A trail's rows with id > after_id (and <= upto), in id order, as the hash reads them:
    stored values, not Python conversions (a unit cost is its stored integer)."""
    table = _TABLES[trail]
    columns = [
        type_coerce(table.c[name], BigInteger) if name == "unit_cost" else table.c[name]
        for name in _FIELDS[trail]
    ]
    stmt = select(*columns).where(table.c.id > after_id).order_by(table.c.id)
    if upto is not None:
        stmt = stmt.where(table.c.id <= upto)
    return stmt


def stream(conn: Connection, stmt: Select[Any]) -> Iterator[Any]:
    """Rows of `stmt` without holding them all in memory."""
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    yield from result


def _view(row: Any) -> SealView:
    return SealView(
        trail=row.trail,
        id=row.id,
        first_id=row.first_id,
        last_id=row.last_id,
        row_count=row.row_count,
        prev_hash=row.prev_hash,
        hash=row.hash,
        sealed_at=row.sealed_at,
    )


def seals_of(conn: Connection, trail: str) -> Iterator[SealView]:
    """A trail's seals in chain order."""
    c = seal_t.c
    for row in stream(conn, select(seal_t).where(c.trail == trail).order_by(c.last_id)):
        yield _view(row)


def latest(conn: Connection, trail: str) -> SealView | None:
    c = seal_t.c
    row = conn.execute(
        select(seal_t).where(c.trail == trail).order_by(c.last_id.desc()).limit(1)
    ).first()
    return None if row is None else _view(row)


def seal(db: Database, actor: Actor) -> int:
    """Seal what is final of both trails; returns how many seals were written.

    On PostgreSQL, rows up to an id some running transaction may still add below are left for a
    later call (the next one after those transactions end).
    Raises PermissionDenied unless the actor may post stock (the job runs as such a person).
    """
    require(actor, Permission.STOCK)
    if db.dialect == "postgresql":
        return db.run(lambda conn: int(conn.execute(text("SELECT invdesk_seal()")).scalar_one()))
    return db.run(lambda conn: sum(_seal_sqlite(conn, trail, db.now()) for trail in TRAILS))


def _seal_sqlite(conn: Connection, trail: str, at: datetime) -> int:
    last = latest(conn, trail)
    after, prev = (0, GENESIS) if last is None else (last.last_id, last.hash)
    made = 0
    while True:
        hasher = hasher_for(trail, prev)
        first = last_id = None
        for row in conn.execute(rows_after(trail, after).limit(MAX_ROWS_PER_SEAL)):
            hasher.add(row)
            first = row.id if first is None else first
            last_id = row.id
        if first is None or last_id is None:
            return made
        digest = hasher.hexdigest()
        conn.execute(
            insert(seal_t).values(
                trail=trail,
                first_id=first,
                last_id=last_id,
                row_count=hasher.rows,
                prev_hash=prev,
                hash=digest,
                sealed_at=at,
            )
        )
        after, prev, made = last_id, digest, made + 1


def unsealed_rows(conn: Connection, trail: str) -> int:
    """How many rows of a trail no seal covers yet."""
    last = latest(conn, trail)
    table = _TABLES[trail]
    stmt = select(func.count()).select_from(table)
    if last is not None:
        stmt = stmt.where(table.c.id > last.last_id)
    return int(conn.execute(stmt).scalar_one())


def export(db: Database, actor: Actor, path: str | Path) -> list[SealView]:
    """Write the newest seal of each trail to `path` (JSON), to keep away from the server."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        newest = [s for s in (latest(conn, trail) for trail in TRAILS) if s is not None]
    document = {
        "format": EXPORT_FORMAT,
        "database": db.url,
        "seals": [
            {
                "trail": s.trail,
                "id": s.id,
                "first_id": s.first_id,
                "last_id": s.last_id,
                "row_count": s.row_count,
                "prev_hash": s.prev_hash,
                "hash": s.hash,
                "sealed_at": s.sealed_at.isoformat(),
            }
            for s in newest
        ],
    }
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return newest


def load_export(path: str | Path) -> list[SealView]:
    """The seals in a file written by `export`. Raises ValidationError for anything else."""
    where = f"The seal file {path}"
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValidationError(f"{where} cannot be read ({error.strerror}).") from None
    except ValueError:
        raise ValidationError(f"{where} is not a seal export (not JSON).") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ValidationError(f"{where} is not an invdesk seal export.")
    try:
        return [
            SealView(
                trail=str(s["trail"]),
                id=int(s["id"]),
                first_id=int(s["first_id"]),
                last_id=int(s["last_id"]),
                row_count=int(s["row_count"]),
                prev_hash=str(s["prev_hash"]),
                hash=str(s["hash"]),
                sealed_at=datetime.fromisoformat(s["sealed_at"]),
            )
            for s in document["seals"]
            if s["trail"] in TRAILS
        ]
    except (KeyError, TypeError, ValueError):
        raise ValidationError(f"{where} is damaged: a seal in it is incomplete.") from None
