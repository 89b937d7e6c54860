"""Engines and transactions: SQLite pragmas and BEGIN IMMEDIATE, PostgreSQL timeouts, bounded retries."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError

from invdesk.db import problems
from invdesk.db.replica import CONNECT_ARGS, DEFAULT_MAX_LAG_S, Replica
from invdesk.db.sqlite_location import check_local
from invdesk.domain.errors import DatabaseUnavailable, ValidationError

T = TypeVar("T")

# PostgreSQL: a frozen PC holding a stock row is cut off after this long idle in a transaction,
# and a clerk waiting on a lock gives up (and retries) after lock_timeout. Seconds, not minutes.
PG_LOCK_TIMEOUT_MS = 3000
PG_IDLE_IN_TX_TIMEOUT_MS = 5000
SQLITE_BUSY_TIMEOUT_MS = problems.SQLITE_BUSY_TIMEOUT_MS
# A pooled PostgreSQL connection idle for longer than this is pinged when checked out (a server
# restart usually happens while the app sits idle); a busy one is not, which saves a round trip
# per transaction. A busy connection that was dropped anyway fails as a disconnect, and
# Database.run retries the transaction on a fresh connection.
PG_PING_AFTER_IDLE_S = 5.0
MAX_ATTEMPTS = 6
# Database.run keeps the connection of its last committed transaction out of the pool for the next
# one, for at most this long (then it goes back, and a PostgreSQL checkout pings it as idle).
SPARE_IDLE_S = PG_PING_AFTER_IDLE_S
# SQLSTATEs worth another try: serialization failure, deadlock, lock timeout, admin shutdown.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "25P03", "08006", "08003"})


def _utcnow() -> datetime:
    return datetime.now(UTC)


def sqlite_file(url: str) -> Path | None:
    """The file a sqlite:/// URL names; None for a server or an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


# Set on a pooled connection's info while Database.read uses it; every other checkout writes.
_READ_ONLY = "invdesk_read_only"
# On a pooled SQLite connection's info: whether its PRAGMA query_only is on right now.
_QUERY_ONLY = "invdesk_query_only"
# On a pooled connection's info: when it was last used (monotonic seconds), for the idle ping.
_LAST_USED = "invdesk_last_used"
_SPARE_SINCE = "invdesk_spare_since"


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves: the driver's implicit BEGIN is DEFERRED, which deadlocks
        # two writers upgrading their read locks at the same time.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    # BEGIN IMMEDIATE (or a plain BEGIN for a read) is emitted by the dialect's do_begin, not by a
    # "begin" event listener: any connection event makes SQLAlchemy dispatch events around every
    # statement, which cost more client CPU than a stock statement itself. Errors raised here are
    # wrapped like any statement's, so a busy database is still retried by Database.run.
    #
    # A read transaction also runs with query_only on, so SQLite refuses any change made in it
    # (reads never write: STYLE.md rule 20); the pragma is switched only when the kind of
    # transaction on this connection changes, so the write path pays a dict look-up.
    def do_begin(dbapi_connection: Any) -> None:
        info = dbapi_connection.info
        read_only = info.get(_READ_ONLY, False)
        driver = dbapi_connection.driver_connection
        if info.get(_QUERY_ONLY, False) != read_only:
            driver.execute(f"PRAGMA query_only = {int(read_only)}")
            info[_QUERY_ONLY] = read_only
        driver.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

    engine.dialect.do_begin = do_begin  # type: ignore[method-assign]


def _install_idle_ping(engine: Engine) -> None:
    """pool_pre_ping, but only for connections idle longer than PG_PING_AFTER_IDLE_S."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            # A spare returned by Database.run was last used when it became the spare.
            record.info[_LAST_USED] = record.info.pop(_SPARE_SINCE, None) or time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_LAST_USED)
        if since is None or time.monotonic() - since <= PG_PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:
            # The pool discards this connection and checks out (or opens) another.
            raise DisconnectionError(f"idle pooled connection is gone: {error}") from error


def _install_current_password(engine: Engine) -> None:
    """Each new connection logs in with the engine's URL as it is now, not as it was created:
    after a person changes their own password (Database.use_password) the pool's next connection
    must send the new one."""

    @event.listens_for(engine, "do_connect")
    def _on_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        if engine.url.password is not None:
            cparams["password"] = engine.url.password


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a database URL, with invdesk's per-dialect settings."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_file(url)
        if path is not None:
            check_local(path.parent if not path.exists() else path)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() in ("", "psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = (
            f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} "
            f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TX_TIMEOUT_MS}"
        )
        connect_args = {"options": options, "connect_timeout": 10, "application_name": "invdesk"}
        connect_args.update(kwargs.pop("connect_args", {}))
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        _install_idle_ping(engine)
        _install_current_password(engine)
        return engine
    raise DatabaseUnavailable(
        f"Unsupported database “{backend}”: use a sqlite:/// file or a postgresql:// server."
    )


def open_replica(url: str, max_lag_s: float = DEFAULT_MAX_LAG_S, **options: Any) -> Replica:
    """A read replica at `url` (a PostgreSQL streaming standby); `options` go to Replica."""
    # pre-ping: a pooled connection to a standby that has since stopped is found out at
    # checkout, where the read can still go to the primary, not mid-read.
    engine = make_engine(url, connect_args=CONNECT_ARGS, pool_pre_ping=True)
    try:
        return Replica(engine, max_lag_s, **options)
    except Exception:
        engine.dispose()
        raise


def is_retryable(error: DBAPIError) -> bool:
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    if isinstance(error, OperationalError):
        text = str(error.orig).lower()
        return "database is locked" in text or "server closed the connection" in text
    return False


def _is_locked(error: DBAPIError) -> bool:
    return "database is locked" in str(error.orig).lower()


def _waited_out(error: DBAPIError, started: float) -> bool:
    """A SQLite writer that waited its whole busy timeout: another process has held the write lock
    all that time (frozen mid-transaction, say), so it fails now instead of waiting as long again
    on every retry. A busy error that came at once (a checkpoint, say) is still retried."""
    waited = time.monotonic() - started
    return waited >= SQLITE_BUSY_TIMEOUT_MS / 1000 * 0.9 and _is_locked(error)


@dataclass(frozen=True)
class AfterCommit:
    """Returned by work whose changes must persist although the caller gets `error` (an expiry)."""

    error: Exception


@dataclass
class Database:
    """An open database: engine, its dialect, a clock, and the transaction runner every service uses."""

    engine: Engine
    clock: Callable[[], datetime] = field(default=_utcnow)
    max_attempts: int = MAX_ATTEMPTS
    _spare: tuple[Connection, float] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _spare_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    # Counts dispose() calls: a transaction that began before one does not leave a spare after it.
    _pool_generation: int = field(default=0, init=False, repr=False, compare=False)

    replica: Replica | None = None
    """A streaming standby for reads that accept its bounded lag (`read(replica=True)`)."""

    @classmethod
    def open(
        cls,
        url: str,
        *,
        read_url: str | None = None,
        read_max_lag_s: float = DEFAULT_MAX_LAG_S,
        **kwargs: Any,
    ) -> Database:
        """A database at `url`; with `read_url`, a PostgreSQL replica for reads that may lag by
        up to `read_max_lag_s` seconds. Writes always go to `url`."""
        engine = make_engine(url, **kwargs)
        if not read_url:
            return cls(engine)
        try:
            if engine.dialect.name != "postgresql":
                raise ValidationError(
                    "A read replica needs a PostgreSQL primary (--db postgresql://...).",
                    field="read_db",
                )
            replica = open_replica(read_url, read_max_lag_s)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, replica=replica)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        """The file of a SQLite database; None for a server or an in-memory database."""
        if self.dialect != "sqlite":
            return None
        return sqlite_file(self.engine.url.render_as_string(hide_password=False))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def now(self) -> datetime:
        return self.clock()

    def use_password(self, password: str) -> None:
        """Log in with `password` from now on (the login's own password was just changed). Open
        and pooled connections are signed in already and go on with their work; only the new
        ones (the pool's, the change listener's, a sign-in check's) use the engine's URL."""
        self.engine.url = self.engine.url.set(password=password)

    @contextmanager
    def read(self, *, replica: bool = False) -> Iterator[Connection]:
        """A read-only transaction: the database refuses any change made in it (PostgreSQL
        BEGIN READ ONLY, SQLite query_only). Never blocks SQLite writers. A failure of the
        environment (file, disk, server) inside it becomes a DatabaseUnavailable, as in run().

        With `replica`, on the read replica while it is up and within its lag bound, else on
        the primary: for listings, reports and exports that may be a moment behind, never for
        a read that must see a write just made.
        """
        standby = self.replica if replica else None
        if standby is not None and not standby.usable():
            standby = None
        with self._connect(read_only=True, standby=standby) as conn:
            try:
                with conn.begin():
                    yield conn
            except DBAPIError as error:
                translated = translate(error, self.url)
                if translated is error:
                    raise
                raise translated from error

    def run(
        self,
        work: Callable[[Connection], T | AfterCommit],
        after_commit: Callable[[], None] | None = None,
    ) -> T:
        """Run `work` in one write transaction; retry serialization failures and lost connections.

        `work` must be safe to run again: stock operations are, because their request id makes a
        retry of a transaction that did commit return the first result. `after_commit` runs once
        the transaction has committed, also when `work` returned an AfterCommit (whose error is
        raised after it): the one place a failure that keeps its changes is handled.
        """
        for attempt in range(1, self.max_attempts + 1):
            # The spare (below) or a pooled connection; not _connect's generator-based context
            # manager: this frame wraps every stock operation, and that cost a few µs of each.
            generation = self._pool_generation
            started = time.monotonic()
            conn = self._take_spare()
            if conn is None:
                try:
                    conn = self.engine.connect()
                except DBAPIError as error:
                    raise translate(error, self.url) from error
            try:
                try:
                    # Its context manager, not commit(): a failed COMMIT must roll back before the
                    # connection goes back to the pool, or the retry would continue its transaction.
                    with conn.begin():
                        result = work(conn)
                except BaseException:
                    conn.close()  # never kept after an error: the pool resets or discards it
                    raise
            except DBAPIError as error:
                if (
                    attempt < self.max_attempts
                    and is_retryable(error)
                    and not _waited_out(error, started)
                ):
                    time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
                    continue
                raise translate(error, self.url) from error
            self._keep_spare(conn, generation)
            if after_commit is not None:
                after_commit()
            if isinstance(result, AfterCommit):
                raise result.error
            return result
        raise AssertionError("unreachable")

    # The spare: one connection, fresh from a committed transaction, that the next run() on any
    # thread takes instead of a pool checkout and checkin, which cost about as much client CPU as
    # the rest of a stock operation's Python. There is never more than one per Database, so the
    # pool's limits hold as before; it is returned to the pool after SPARE_IDLE_S, and on dispose().
    # A spare the server dropped meanwhile fails its first statement as a disconnect, which run()
    # retries on a pooled connection, as for a pooled connection used within PG_PING_AFTER_IDLE_S.

    def _take_spare(self) -> Connection | None:
        with self._spare_lock:
            spare = self._spare
            self._spare = None
        if spare is None:
            return None
        conn, since = spare
        if time.monotonic() - since <= SPARE_IDLE_S:
            return conn
        # Idle since it became the spare: the idle ping (PostgreSQL) must see that time, not now.
        conn.connection.info[_SPARE_SINCE] = since
        conn.close()
        return None

    def _keep_spare(self, conn: Connection, generation: int) -> None:
        spare = (conn, time.monotonic())
        with self._spare_lock:
            if self._spare is None and generation == self._pool_generation:
                self._spare = spare
                return
        conn.close()

    @contextmanager
    def _connect(self, *, read_only: bool, standby: Replica | None = None) -> Iterator[Connection]:
        conn = None
        if standby is not None:
            try:
                conn = standby.engine.connect()
            except DBAPIError as error:
                standby.mark_down(error)  # this read and the next ones go to the primary
                standby = None
        try:
            conn = conn or self.engine.connect()
        except DBAPIError as error:
            raise translate(error, self.url) from error
        info = None
        driver: psycopg.Connection[Any] | None = None
        try:
            if read_only:
                info = conn.connection.info
                info[_READ_ONLY] = True
                if conn.dialect.name == "postgresql":
                    # psycopg begins with BEGIN READ ONLY: the server refuses any change made in
                    # a read. Back to None (a plain BEGIN, as for every write) afterwards, not
                    # False, which would send BEGIN READ WRITE and override the server's default.
                    driver = conn.connection.driver_connection
                    if driver is not None:
                        driver.read_only = True
            yield conn
        except DBAPIError as error:
            if standby is not None and (
                error.connection_invalidated or isinstance(error, OperationalError)
            ):
                standby.mark_down(error)  # it went away mid-read: the next reads use the primary
            raise
        finally:
            if info is not None:
                info.pop(_READ_ONLY, None)
            if driver is not None:
                try:
                    driver.read_only = None
                except psycopg.Error:
                    conn.invalidate()  # never hand a read-only session to a writer
            conn.close()

    def dispose(self) -> None:
        """Close every pooled connection; call it when done (or use the Database as a context).

        The Database stays usable: its next transaction connects again.
        """
        with self._spare_lock:
            spare = self._spare
            self._spare = None
            self._pool_generation += 1
        if spare is not None:
            spare[0].close()
        self.engine.dispose()
        if self.replica is not None:
            self.replica.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()


def translate(error: DBAPIError, url: str | None = None) -> Exception:
    """Environment failures (disk, file, server, locks) become a DatabaseUnavailable, or a
    DatabaseDamaged for a damaged SQLite file, with one sentence saying what to do; anything
    else stays a bug. `url` names the file or server in the sentence."""
    orig = error.orig
    text = (str(orig) if orig is not None else str(error)).strip()
    first = text.splitlines()[0] if text else "no details"
    if type(orig) in (sqlite3.DatabaseError, sqlite3.OperationalError):
        path = None if url is None else make_url(url).database
        problem = problems.sqlite_problem(first, path)
        if problem is not None:
            return problems.as_error(problem)
        return DatabaseUnavailable(f"The database file could not be used ({first}).")
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(error, OperationalError) or error.connection_invalidated or sqlstate == "25006":
        return problems.as_error(
            problems.postgresql_problem(sqlstate, text, url or "postgresql://")
        )
    return error
