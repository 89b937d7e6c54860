"""Opening a database for a front end: connect, check the schema, upgrade a local SQLite file."""

from __future__ import annotations

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.db.replica import DEFAULT_MAX_LAG_S, ReplicaStatus
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.domain.security import Actor, Permission, require

__all__ = [
    "DEFAULT_MAX_LAG_S",
    "Database",
    "ReplicaStatus",
    "describe",
    "open_database",
    "readiness",
    "replica_status",
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
    `invdesk db upgrade`, or one made by a newer invdesk; ValidationError for a replica of a
    SQLite file.
    """
    db = Database.open(url, read_url=read_url, read_max_lag_s=read_max_lag_s)
    if check_schema:
        try:
            migrate.ensure_current(db)
        except Exception:
            db.dispose()
            raise
    return db


def upgrade_database(db: Database, actor: Actor) -> str:
    """Bring the schema to this program's head revision; returns that revision."""
    require(actor, Permission.ADMIN)
    migrate.upgrade(db)
    return migrate.head_revision()


def describe(db: Database) -> str:
    """A short text for the status bar: the SQLite path, or the server host and database."""
    url = db.engine.url
    if db.dialect == "sqlite":
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


def replica_status(db: Database, actor: Actor) -> ReplicaStatus | None:
    """Whether reads use the read replica now, its lag and why not; None without a replica."""
    require(actor, Permission.ADMIN)
    return None if db.replica is None else db.replica.status()
