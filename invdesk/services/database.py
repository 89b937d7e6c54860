"""Opening a database for a front end: connect, check the schema, upgrade a local SQLite file."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.errors import DatabaseUnavailable, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.services import logins

__all__ = [
    "Database",
    "describe",
    "describe_url",
    "open_database",
    "readiness",
    "upgrade_database",
]


def open_database(url: str, *, check_schema: bool = True) -> Database:
    """An open database whose schema this program can use; SQLite files are upgraded in place.

    Raises DatabaseUnavailable with a clear hint for an unreachable server, a schema that needs
    `invdesk db upgrade`, or one made by a newer invdesk.
    """
    db = Database.open(url)
    if check_schema:
        try:
            migrate.ensure_current(db)
        except Exception:
            db.dispose()
            raise
    return db


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
