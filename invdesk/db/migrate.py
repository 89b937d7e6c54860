"""Schema upgrades through Alembic, and the guard against a database newer than this program."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

import invdesk
from invdesk.db import privileges
from invdesk.db.engine import Database, translate
from invdesk.domain.errors import DatabaseUnavailable


def migrations_dir() -> Path:
    package = Path(invdesk.__file__).resolve().parent
    for candidate in (package.parent / "migrations", package / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise DatabaseUnavailable("The database migrations are missing from this installation.")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as error:
        raise translate(error, db.url) from error


def schema_state(db: Database) -> str:
    """'current', 'empty', 'behind' or 'newer' compared with this program's migrations."""
    return revision_state(current_revision(db))


def revision_state(revision: str | None) -> str:
    """'current', 'empty', 'behind' or 'newer': where a schema revision stands against ours."""
    if revision is None:
        return "empty"
    script = ScriptDirectory.from_config(alembic_config())
    if revision == script.get_current_head():
        return "current"
    known = {rev.revision for rev in script.walk_revisions()}
    return "behind" if revision in known else "newer"


def upgrade(db: Database) -> None:
    """Bring the schema to head, then apply the rights map; refuses a database made by a newer
    invdesk. On a shared server this runs as the bootstrap (a superuser or a member of the owner)."""
    if schema_state(db) == "newer":
        raise DatabaseUnavailable(
            "This database was upgraded by a newer version of invdesk. Install that version "
            "(or newer) on this PC; this one cannot use it safely."
        )
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        privileges.apply(conn)


def ensure_current(db: Database) -> None:
    """SQLite files are upgraded in place at start; a PostgreSQL server needs `invdesk db upgrade`."""
    state = schema_state(db)
    if state == "current":
        return
    if db.dialect == "sqlite" or (state == "empty" and db.dialect != "postgresql"):
        upgrade(db)
        return
    if state == "newer":
        upgrade(db)  # raises the "newer" message
    raise DatabaseUnavailable(
        "The database schema is not up to date. An administrator must run `invdesk db upgrade` "
        "against this server first."
    )
