"""A read replica: a PostgreSQL streaming standby that serves reads while it is up and close behind.

`Database.read(replica=True)` asks `Replica.usable()`, which answers from a decision cached for
RECHECK_S; only when that is stale does one caller measure the lag (one small query on the
standby), while any other thread meanwhile keeps the previous answer instead of waiting. A
standby that is down, no longer streaming from its primary, or further behind than `max_lag_s`
is not used: reads go to the primary until a later check finds it fit again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from invdesk.domain.errors import ValidationError

log = logging.getLogger(__name__)

DEFAULT_MAX_LAG_S = 2.0
RECHECK_S = 1.0
"""How long a decision (use the replica or not) stands before the lag is measured again."""
DOWN_RECHECK_S = 5.0
"""After the replica failed to answer: how long reads stay on the primary before trying it again
(a blackholed host costs a check its connect timeout, so not every second)."""
# A replica engine gives up on a dead standby quickly (2 s is libpq's smallest useful timeout).
CONNECT_ARGS: dict[str, Any] = {"connect_timeout": 2, "application_name": "invdesk-reads"}

# Seconds the standby's data is behind its primary: 0 when it has replayed all it received (an
# idle primary sends nothing new), else the age of the last transaction it replayed, which only
# overstates the lag. Without a WAL receiver it is cut off and cannot say how far behind it is
# (the receiver's row is visible to any login; its status column only to pg_read_all_stats).
LAG_SQL = text(
    "SELECT pg_is_in_recovery() AS standby,"
    " EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS streaming,"
    " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0"
    " ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8"
    " END AS lag"
)


@dataclass(frozen=True)
class ReplicaStatus:
    """The last check: whether reads use the replica, its lag (None: unknown), and why not."""

    url: str
    usable: bool
    lag_s: float | None
    max_lag_s: float
    reason: str


class Replica:
    """A standby's engine and the cached decision whether reads may use it."""

    def __init__(
        self,
        engine: Engine,
        max_lag_s: float = DEFAULT_MAX_LAG_S,
        *,
        recheck_s: float = RECHECK_S,
        down_recheck_s: float = DOWN_RECHECK_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if engine.dialect.name != "postgresql":
            raise ValidationError(
                "A read replica must be a PostgreSQL server (a streaming standby).",
                field="read_db",
            )
        if not max_lag_s > 0:
            raise ValidationError(
                "The read replica's lag bound must be a positive number of seconds.",
                field="read_max_lag",
            )
        self.engine = engine
        self.max_lag_s = float(max_lag_s)
        self.recheck_s = recheck_s
        self.down_recheck_s = down_recheck_s
        self._clock = clock
        self._lock = threading.Lock()
        self._status = ReplicaStatus(self.url, False, None, self.max_lag_s, "not checked yet")
        self._next_check = 0.0  # check at the first read

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def usable(self) -> bool:
        """Whether a read may go to the replica now (measured at most every `recheck_s`)."""
        if self._clock() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                if self._clock() >= self._next_check:
                    self._decide(*self._measure())
            finally:
                self._lock.release()
        return self._status.usable

    def status(self) -> ReplicaStatus:
        """The decision reads follow now (checked again first if it is stale)."""
        self.usable()
        return self._status

    def mark_down(self, error: Exception) -> None:
        """A read could not use the replica: the primary serves reads until the next check."""
        with self._lock:
            self._decide(None, f"it failed: {_first_line(error)}")

    def _measure(self) -> tuple[float | None, str]:
        try:
            with self.engine.connect() as conn:
                row = conn.execute(LAG_SQL).one()
        except DBAPIError as error:
            return None, f"it does not answer: {_first_line(error)}"
        if not row.standby:
            return 0.0, ""  # a server that is not replaying anything is as current as can be
        if not row.streaming:
            return None, "it is not streaming from its primary"
        return float(row.lag or 0.0), ""

    def _decide(self, lag: float | None, problem: str) -> None:
        usable = lag is not None and lag <= self.max_lag_s
        if lag is not None and not usable:
            problem = f"it is {lag:.1f} s behind (the bound is {self.max_lag_s:g} s)"
        reason = "" if usable else f"Reads go to the primary: {problem}."
        if usable != self._status.usable or (not usable and reason != self._status.reason):
            log.info("read replica %s: %s", self.url, "in use" if usable else reason)
        self._status = ReplicaStatus(self.url, usable, lag, self.max_lag_s, reason)
        wait = self.recheck_s if lag is not None else self.down_recheck_s
        self._next_check = self._clock() + wait

    def dispose(self) -> None:
        self.engine.dispose()


def _first_line(error: Exception) -> str:
    orig = getattr(error, "orig", None)
    return (str(orig) if orig is not None else str(error)).strip().splitlines()[0][:200]
