"""The jobs the server runs when nobody is at a PC: expiry sweep, lot expiry alerts, digests,
verify, SQLite backup.

Every server process runs this scheduler; each job is claimed in the database before it runs
(services.jobs), so with several servers each run happens once. The desktop app keeps its own
sweep timer for installations without a server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from invdesk.domain.security import Actor, Role
from invdesk.server import metrics, outbound_settings
from invdesk.server.outbound_settings import OutboundSettings
from invdesk.server.senders import send_mail
from invdesk.server.state import ServerState
from invdesk.services.outbound import alert_mail
from invdesk.services.stock import expiry_alerts, orders
from invdesk.services.system import backup, jobs
from invdesk.services.system.database import Database
from invdesk.services.trust import integrity

# Who the ledger and audit trail name for the server's own work (expiries, backups).
SERVER_ACTOR = Actor("invdesk-serve", Role.ADMIN)
TICK_S = 5.0
DIGEST_RETRY = timedelta(minutes=10)
# Lots expire by the calendar, not by a ledger row: their alerts are brought in step hourly.
LOT_EXPIRY_EVERY = timedelta(hours=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    # The cut-off: a run that started before it is stale, so the job is due (None: not yet due).
    due_since: Callable[[datetime], datetime | None]
    run: Callable[[], str]


def _daily(
    hour: int, *, again_after: timedelta | None = None
) -> Callable[[datetime], datetime | None]:
    """Due once a day after `hour` o'clock UTC; with `again_after`, also that long after each
    run for the rest of the day (digests: each user's mail is claimed once, a failed one retried)."""

    def due_since(now: datetime) -> datetime | None:
        today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
        if now < today:
            return None
        return today if again_after is None else max(today, now - again_after)

    return due_since


def sweep(db: Database) -> str:
    """Expire overdue holds and orders (the desktop's sweeper, run by the server)."""
    return f"{orders.expire_orders(db, SERVER_ACTOR)} order(s) expired"


def lot_expiry(db: Database) -> str:
    """Raise the alerts of lots expiring soon or expired with stock on hand; resolve the rest."""
    done = expiry_alerts.check_expiry(db, SERVER_ACTOR)
    return f"lot expiry: {done.raised} raised, {done.resolved} resolved, {done.unresolved} open"


def verify_and_seal(db: Database) -> str:
    """The scheduled integrity check: seal what is committed, verify counters, balances and
    seals, and record the result (findings raise the admins' "ledger mismatch" alert)."""
    check = integrity.run_check(db, SERVER_ACTOR, every=timedelta(0))
    if check is None:
        return "another process checked just now"
    metrics.LAST_VERIFY_OK.set(0 if check.findings else 1)
    metrics.LAST_VERIFY_TIME.set(check.checked_at.timestamp())
    if check.findings:
        raise RuntimeError(f"ledger mismatch: {check.summary}")
    return "ledger, audit trail and seals verified"


def send_digests(db: Database, settings: OutboundSettings) -> str:
    if settings.mail is None:
        return "no [mail] host: no digests"
    day = db.now().date()
    sent = 0
    for username in alert_mail.digest_recipients(db, day):
        previous = alert_mail.claim_digest(db, username, day)
        if previous is None:
            continue  # another server sends this one
        digest = alert_mail.build_digest(db, username, day)
        answer = send_mail(
            settings.mail, digest.email, digest.subject, digest.text(), settings.webhook_timeout_s
        )
        if not answer.ok:
            alert_mail.unclaim_digest(db, username, previous)
            raise RuntimeError(f"digest for {username} not sent: {answer.text}")
        sent += 1
    return f"{sent} digest(s) sent"


def nightly_backup(db: Database, folder: Path, keep: int) -> str:
    """Back the SQLite file up into `folder` as invdesk-YYYYMMDD-HHMM.db; keep the newest `keep`."""
    folder.mkdir(parents=True, exist_ok=True)
    info = backup.backup(db, folder / f"invdesk-{db.now():%Y%m%d-%H%M}.db", SERVER_ACTOR)
    copies = sorted(folder.glob("invdesk-*.db"))
    for old in copies[: max(0, len(copies) - keep)]:
        old.unlink()
    return f"backed up to {info.path}"


def job_list(db: Database, settings: OutboundSettings) -> list[Job]:
    js = settings.jobs
    every = timedelta(seconds=js.sweep_seconds)
    found = [
        Job("sweep", lambda now: now - every, lambda: sweep(db)),
        Job("lot_expiry", lambda now: now - LOT_EXPIRY_EVERY, lambda: lot_expiry(db)),
        Job(
            "digest",
            _daily(js.digest_hour, again_after=DIGEST_RETRY),
            lambda: send_digests(db, settings),
        ),
        Job(
            "verify",
            lambda now: now - timedelta(minutes=max(1, js.verify_minutes)),
            lambda: verify_and_seal(db),
        ),
    ]
    if db.dialect == "sqlite" and js.backup_dir:
        folder, keep = Path(js.backup_dir).expanduser(), max(1, js.backup_keep)
        found.append(
            Job("backup", _daily(js.backup_hour), lambda: nightly_backup(db, folder, keep))
        )
    return found


class Scheduler:
    def __init__(self, db: Database, settings: OutboundSettings) -> None:
        self.db = db
        self.jobs = job_list(db, settings)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="invdesk-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self.tick()
            self._stopping.wait(TICK_S)

    def tick(self) -> list[str]:
        """Run every job that is due and not claimed by another server; returns those run."""
        ran = []
        for job in self.jobs:
            if self._stopping.is_set():
                break
            try:
                cutoff = job.due_since(self.db.now())
                if cutoff is None or not jobs.claim_job(self.db, job.name, not_since=cutoff):
                    continue
            except Exception:
                log.exception("job %s could not be claimed", job.name)
                continue
            ran.append(job.name)
            try:
                message, ok = job.run(), True
            except Exception as error:  # recorded and shown; the next due time tries again
                log.exception("job %s failed", job.name)
                message, ok = str(error) or type(error).__name__, False
            try:
                jobs.finish_job(self.db, job.name, ok=ok, message=message)
            except Exception:
                log.exception("job %s could not be recorded", job.name)
        return ran


@asynccontextmanager
async def scheduler_job(state: ServerState) -> AsyncIterator[Scheduler]:
    """The server job that runs the scheduler for the life of the process."""
    scheduler = Scheduler(state.db, outbound_settings.load())
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.stop()
