"""Opening a database for a front end: connect, check the schema, upgrade a local SQLite file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError

from invdesk.db import migrate, sqlite_check
from invdesk.db.engine import Database, sqlite_file, translate
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission, require

__all__ = [
    "Database",
    "as_known_error",
    "check_file",
    "describe",
    "open_database",
    "sqlite_file",
    "upgrade_database",
]


def open_database(url: str, *, check_schema: bool = True) -> Database:
    """An open database whose schema this program can use; SQLite files are upgraded in place.

    Raises DatabaseUnavailable with a clear hint for an unreachable server, a schema that needs
    `invdesk db upgrade`, or one made by a newer invdesk; DatabaseDamaged for a damaged file.
    """
    db = Database.open(url)
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


def as_known_error(error: BaseException, url: str | None = None) -> InvdeskError | None:
    """A driver error that escaped a service untranslated, as the sentence it deserves (a damaged
    file, a full disk, a server gone); None when it is a bug."""
    if isinstance(error, DBAPIError):
        known: Any = translate(error, url)
        return known if isinstance(known, InvdeskError) else None
    return None
