"""Server jobs run once across servers: a job is claimed in the database before it runs.

A claim is one conditional UPDATE of the job's row (started before the cut-off), so of several
servers asking at once exactly one gets it; on PostgreSQL the claim also takes an advisory
transaction lock, so the row's first INSERT cannot race either.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, or_, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import job_run_t

_j = job_run_t.c


@dataclass(frozen=True)
class JobState:
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    ok: bool | None
    message: str | None


def claim_job(db: Database, name: str, *, not_since: datetime) -> bool:
    """Claim job `name` unless it started at or after `not_since`; True: run it now."""

    def work(conn: Connection) -> bool:
        if conn.dialect.name == "postgresql":
            key = zlib.crc32(f"invdesk-job:{name}".encode())
            if not conn.execute(select(func.pg_try_advisory_xact_lock(key))).scalar():
                return False
        now = db.now()
        if conn.execute(select(_j.name).where(_j.name == name)).first() is None:
            conn.execute(insert(job_run_t).values(name=name, started_at=now))
            return True
        done = conn.execute(
            update(job_run_t)
            .where(_j.name == name, or_(_j.started_at.is_(None), _j.started_at < not_since))
            .values(started_at=now, finished_at=None, ok=None, message=None)
        )
        return done.rowcount == 1

    return db.run(work)


def finish_job(db: Database, name: str, *, ok: bool, message: str) -> None:
    db.run(
        lambda conn: conn.execute(
            update(job_run_t)
            .where(_j.name == name)
            .values(finished_at=db.now(), ok=ok, message=message[:500])
        )
    )


def job_states(db: Database) -> list[JobState]:
    """Every job's last run (for health pages and metrics)."""
    with db.read() as conn:
        rows = conn.execute(select(job_run_t).order_by(_j.name))
        return [JobState(r.name, r.started_at, r.finished_at, r.ok, r.message) for r in rows]
