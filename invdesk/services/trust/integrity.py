"""The scheduled integrity check: seal, verify, and raise a "ledger mismatch" alert for admins.

`run_check` is the job: the desktop app runs it from its timer, `invdesk serve` from its scheduler.
Any number of PCs may run it; one check per period is done (the newest run is looked at first,
and on PostgreSQL an advisory lock keeps two from running at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select, text, update

from invdesk.db.engine import Database
from invdesk.db.tables import check_t
from invdesk.domain.errors import Conflict, DatabaseDamaged, NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.trust import seals, verify

_c = check_t.c
CHECK_EVERY = timedelta(hours=1)
# pg_try_advisory_lock key: one integrity check at a time across every PC ("invdchk").
CHECK_LOCK_KEY = 0x696E766463686B
SUMMARY_MAX = 2000
SUMMARY_LINES = 10


@dataclass(frozen=True)
class CheckView:
    """One run of the check; `findings` > 0 makes it a ledger-mismatch alert."""

    id: int
    checked_at: datetime
    checked_by: str
    findings: int
    summary: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def title(self) -> str:
        return "Ledger mismatch" if self.findings else "Ledger checked"


def _view(row: object) -> CheckView:
    r = row._mapping  # type: ignore[attr-defined]
    return CheckView(
        r["id"],
        r["checked_at"],
        r["checked_by"],
        r["findings"],
        r["summary"],
        r["acknowledged_at"],
        r["acknowledged_by"],
    )


def _summary(report: verify.VerifyReport) -> str:
    lines = report.lines()
    shown = lines[:SUMMARY_LINES]
    if len(lines) > SUMMARY_LINES:
        shown.append(f"... {len(lines) - SUMMARY_LINES} more; run `invdesk verify` for all.")
    text_ = "\n".join(shown)
    return text_ if len(text_) <= SUMMARY_MAX else text_[: SUMMARY_MAX - 1] + "…"


def run_check(db: Database, actor: Actor, every: timedelta = CHECK_EVERY) -> CheckView | None:
    """Seal what is final, verify everything, and record the run; None when a run newer than
    `every` exists or another PC is checking right now. A run with findings is an open alert.

    A damaged SQLite file is recorded as a finding, not raised. Raises PermissionDenied unless the
    actor may post stock (sealing appends), DatabaseUnavailable when the database is out of reach.
    """
    require(actor, Permission.STOCK)
    if _ran_since(db, db.now() - every):
        return None
    with db.engine.connect() as guard:
        if db.dialect == "postgresql":
            locked = guard.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": CHECK_LOCK_KEY}
            ).scalar()
            guard.commit()
            if not locked:
                return None
        try:
            if _ran_since(db, db.now() - every):  # another PC finished one while we waited
                return None
            return _check_and_record(db, actor)
        finally:
            if db.dialect == "postgresql":
                guard.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CHECK_LOCK_KEY})
                guard.commit()


def _ran_since(db: Database, since: datetime) -> bool:
    with db.read() as conn:
        return conn.execute(select(_c.id).where(_c.checked_at > since).limit(1)).first() is not None


def _check_and_record(db: Database, actor: Actor) -> CheckView:
    try:
        seals.seal(db, actor)
        report = verify.verify_all(db, actor)
        findings, summary = report.problems, _summary(report) or "No problems found."
    except DatabaseDamaged as error:
        findings, summary = 1, error.message

    def record(conn: Connection) -> CheckView:
        row = conn.execute(
            insert(check_t)
            .values(
                checked_at=db.now(), checked_by=actor.username, findings=findings, summary=summary
            )
            .returning(check_t)
        ).one()
        return _view(row)

    return db.run(record)


def open_alerts(db: Database, actor: Actor) -> list[CheckView]:
    """Ledger-mismatch alerts no admin has acknowledged yet, newest first. Admins only."""
    require(actor, Permission.ADMIN)
    stmt = (
        select(check_t)
        .where(_c.findings > 0, _c.acknowledged_at.is_(None))
        .order_by(_c.id.desc())
        .limit(100)
    )
    with db.read() as conn:
        return [_view(row) for row in conn.execute(stmt)]


def last_check(db: Database, actor: Actor) -> CheckView | None:
    """The newest run of the check, if any."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        row = conn.execute(select(check_t).order_by(_c.id.desc()).limit(1)).first()
    return None if row is None else _view(row)


def acknowledge(db: Database, check_id: int, actor: Actor) -> None:
    """An admin has seen a ledger-mismatch alert (and will look into it). Admins only."""
    require(actor, Permission.ADMIN)

    def work(conn: Connection) -> None:
        found = conn.execute(
            select(_c.findings, _c.acknowledged_at).where(_c.id == check_id)
        ).first()
        if found is None or not found.findings:
            raise NotFound(f"There is no ledger-mismatch alert number {check_id}.")
        done = conn.execute(
            update(check_t)
            .where(_c.id == check_id, _c.acknowledged_at.is_(None))
            .values(acknowledged_at=db.now(), acknowledged_by=actor.username)
        )
        if done.rowcount != 1:
            raise Conflict(f"Ledger-mismatch alert {check_id} was already acknowledged.")

    db.run(work)


def open_alert_count(db: Database, actor: Actor) -> int:
    """How many ledger-mismatch alerts are open (0 for anyone but an admin, who cannot act on them)."""
    if not actor.can(Permission.ADMIN):
        return 0
    stmt = select(func.count()).where(_c.findings > 0, _c.acknowledged_at.is_(None))
    with db.read() as conn:
        return int(conn.execute(stmt).scalar_one())
