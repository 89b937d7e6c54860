"""Connecting a front end to a database, with each way it can fail named and explained.

Kinds of problem: "invalid" (the address), "unreachable" (server down or blocked), "restarting",
"auth" (password refused or missing), "no_role" (no such user), "no_database", "tls", "disk_full",
"read_only", "cannot_open" and "damaged" (a SQLite file), "empty" (no tables yet), "behind" (needs
`db upgrade`), "newer" (made by a newer invdesk).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from invdesk.db import migrate, problems
from invdesk.db.engine import Database
from invdesk.db.replica import DEFAULT_MAX_LAG_S
from invdesk.domain.errors import DatabaseDamaged, DatabaseUnavailable, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.services.system import database


class ConnectionProblem(DatabaseUnavailable):
    """Why a database cannot be used, as `kind`, with a message that says what to do.

    A damaged SQLite file keeps DatabaseDamaged's exit code.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        if kind == "damaged":
            self.exit_code = DatabaseDamaged.exit_code


def classify(error: DBAPIError, url: str) -> ConnectionProblem:
    """Turn a driver's connection failure into a named problem with a way forward."""
    orig = error.orig
    text = (str(orig) if orig is not None else str(error)).strip()
    if make_url(url).get_backend_name() == "sqlite":
        found = problems.sqlite_problem(
            text.splitlines()[0] if text else "", make_url(url).database
        )
        if found is not None:
            return ConnectionProblem(found.kind, found.message)
        return ConnectionProblem("invalid", f"The database file could not be used ({text}).")
    found = problems.postgresql_problem(getattr(orig, "sqlstate", None), text, url)
    return ConnectionProblem(found.kind, found.message)


def connect(
    url: str, *, read_url: str | None = None, read_max_lag_s: float = DEFAULT_MAX_LAG_S
) -> Database:
    """An open database ready to use. A local SQLite file is created or upgraded as needed.
    With `read_url`, reports and exports read from that replica while it is current enough.

    Raises ConnectionProblem; nothing is left open when it does.
    """
    try:
        db = Database.open(url, read_url=read_url, read_max_lag_s=read_max_lag_s)
    except (DatabaseUnavailable, ValidationError) as error:
        raise ConnectionProblem("invalid", error.message) from None
    except (ArgumentError, ValueError) as error:
        raise ConnectionProblem("invalid", f"This is not a database address: {error}") from None
    try:
        _check(db, url)
    except BaseException:
        db.dispose()
        raise
    return db


def _check(db: Database, url: str) -> None:
    try:
        database.check_file(db)
    except DatabaseDamaged as error:
        raise ConnectionProblem("damaged", error.message) from None
    try:
        with db.engine.connect():
            pass
    except DBAPIError as error:
        raise classify(error, url) from None
    try:
        state = migrate.schema_state(db)
    except DatabaseDamaged as error:
        raise ConnectionProblem("damaged", error.message) from None
    except DatabaseUnavailable as error:
        raise ConnectionProblem("unreachable", error.message) from None
    if state == "current":
        return
    if state == "newer":
        raise ConnectionProblem(
            "newer",
            "This database was upgraded by a newer version of invdesk. Install that version (or "
            "newer) on this PC; this one cannot use it safely.",
        )
    if db.dialect == "sqlite":
        migrate.upgrade(db)
        return
    if state == "empty":
        raise ConnectionProblem(
            "empty",
            f"The database “{db.engine.url.database}” on {problems.where(url)} has no invdesk tables yet. "
            "Create them now, or have an administrator run `invdesk db upgrade` against it.",
        )
    raise ConnectionProblem(
        "behind",
        f"The database on {problems.where(url)} was made by an older invdesk and must be upgraded first: "
        "an administrator runs `invdesk --db URL --user ADMIN db upgrade` once, then every PC "
        "can connect.",
    )


def upgrade_schema(db: Database, username: str | None = None, password: str | None = None) -> str:
    """Upgrade an older schema from the connection dialog: as an admin who logs in here, or
    without login while the database has no accounts (as `invdesk db upgrade` would allow).

    Raises LoginFailed, PermissionDenied (not an admin) or DatabaseUnavailable (newer schema).
    """
    from invdesk.services.catalog import users

    if users.has_users(db):
        actor = users.login(db, username or "", password or "")
    else:
        actor = Actor("setup", Role.ADMIN)
    return database.upgrade_database(db, actor)


def create_tables(db: Database) -> str:
    """Create the schema of an empty database (no accounts can exist yet, so no login is needed).

    Refused with ConnectionProblem once the database has tables: then `db upgrade` as an admin.
    """
    if migrate.schema_state(db) != "empty":
        raise ConnectionProblem(
            "behind", "This database already has tables: an administrator upgrades it instead."
        )
    migrate.upgrade(db)
    return migrate.head_revision()
