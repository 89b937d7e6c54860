"""Opening a database for a front end: connect, check the schema, upgrade a local SQLite file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from invdesk.db import migrate, sqlite_check
from invdesk.db.engine import Database, open_replica, sqlite_file, translate
from invdesk.db.replica import DEFAULT_MAX_LAG_S, ReplicaStatus
from invdesk.domain.errors import DatabaseUnavailable, InvdeskError, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog import logins

__all__ = [
    "DEFAULT_MAX_LAG_S",
    "Database",
    "ReplicaStatus",
    "as_known_error",
    "attach_replica",
    "check_file",
    "describe",
    "describe_url",
    "open_database",
    "readiness",
    "replica_status",
    "sqlite_file",
    "upgrade_database",
]


def open_database(
    url: str,
    *,
    check_schema: bool = True,
    read_url: str | None = None,
    read_max_lag_s: float = DEFAULT_MAX_LAG_S,
) -> Database:
    """An open database whose schema this program can use; SQLite files are upgraded in place.
    With `read_url`, reads that may lag (listings, reports) use that PostgreSQL replica while
    it is up and at most `read_max_lag_s` seconds behind.

    Raises DatabaseUnavailable with a clear hint for an unreachable server, a schema that needs
    `invdesk db upgrade`, or one made by a newer invdesk; DatabaseDamaged for a damaged file;
    ValidationError for a replica of a SQLite file.
    """
    db = Database.open(url, read_url=read_url, read_max_lag_s=read_max_lag_s)
    try:
        check_file(db)
        if check_schema:
            migrate.ensure_current(db)
    except Exception:
        db.dispose()
        raise
    return db


def check_file(db: Database) -> None:
    """A SQLite file's header, length and a time-bounded quick_check; nothing for a server.

    Raises DatabaseDamaged (exit code 8) for a file that is damaged, cut off or not a database.
    """
    path = db.sqlite_path
    if path is not None:
        sqlite_check.check_at_open(path)


def upgrade_database(db: Database, actor: Actor, *, login_roles: bool = False) -> str:
    """Bring the schema to this program's head revision; returns that revision.

    `login_roles` (PostgreSQL): every account from now on is a login role (services.logins).
    Raises ValidationError for `login_roles` on SQLite.
    """
    require(actor, Permission.ADMIN)
    if login_roles and db.dialect != "postgresql":
        raise ValidationError(
            "Accounts can be database logins only on a PostgreSQL server; a SQLite file keeps "
            "invdesk's own accounts.",
            field="login_roles",
        )
    migrate.upgrade(db)
    if login_roles:
        logins.enable(db)
    return migrate.head_revision()


def describe(db: Database) -> str:
    """A short text for the status bar: the SQLite path, or the server host and database."""
    return describe_url(db.engine.url)


def describe_url(address: str | URL) -> str:
    """`describe` for a database address not opened yet."""
    url = make_url(address)
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database}"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def readiness(db: Database) -> tuple[bool, str]:
    """Whether a server may take requests: (True, "current") or (False, why not)."""
    try:
        state = migrate.schema_state(db)
    except DatabaseUnavailable as error:
        return False, error.message
    if state != "current":
        return False, f"schema is {state}: run `invdesk db upgrade`"
    return True, state


def as_known_error(error: BaseException, url: str | None = None) -> InvdeskError | None:
    """A driver error that escaped a service untranslated, as the sentence it deserves (a damaged
    file, a full disk, a server gone); None when it is a bug."""
    if isinstance(error, DBAPIError):
        known: Any = translate(error, url)
        return known if isinstance(known, InvdeskError) else None
    return None


def attach_replica(db: Database, read_url: str, read_max_lag_s: float = DEFAULT_MAX_LAG_S) -> None:
    """Give an open PostgreSQL database (e.g. a person's own login) a read replica."""
    if db.dialect != "postgresql":
        raise ValidationError(
            "A read replica needs a PostgreSQL primary (--db postgresql://...).", field="read_db"
        )
    db.replica = open_replica(read_url, read_max_lag_s)


def replica_status(db: Database, actor: Actor) -> ReplicaStatus | None:
    """Whether reads use the read replica now, its lag and why not; None without a replica."""
    require(actor, Permission.ADMIN)
    return None if db.replica is None else db.replica.status()
