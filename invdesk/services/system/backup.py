"""Backups of a local SQLite database with SQLite's online backup API, and restoring one."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.security import Actor, Permission, require

PG_HINT = (
    "This is a PostgreSQL server: back it up on the server with pg_dump "
    "(e.g. pg_dump -Fc invdesk > invdesk.dump) and restore with pg_restore."
)


@dataclass(frozen=True)
class BackupInfo:
    path: str
    size_bytes: int
    revision: str | None


def _require_sqlite(db: Database) -> None:
    if db.dialect != "sqlite":
        raise ValidationError(PG_HINT)


def _live(db: Database) -> tuple[object, sqlite3.Connection]:
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return raw, driver


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def backup(
    db: Database, target: str | Path, actor: Actor, *, overwrite: bool = False
) -> BackupInfo:
    """Copy the open SQLite database to `target` as one self-contained file.

    The copy is a consistent snapshot even while other windows or processes keep working (SQLite's
    online backup API). Admins only. Raises ValidationError (PostgreSQL), Conflict (file exists).
    """
    require(actor, Permission.ADMIN)
    _require_sqlite(db)
    path = Path(target).expanduser().resolve()
    if path.exists() and not overwrite:
        raise Conflict(f"{path} already exists; choose another name.", field="file")
    if not path.parent.is_dir():
        raise NotFound(f"The folder {path.parent} does not exist.", field="file")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    raw, live = _live(db)
    try:
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy)
            # One file, no -wal beside it: the copy can be mailed or put on a stick as it is.
            copy.execute("PRAGMA journal_mode = DELETE")
            revision = _revision(copy)
        finally:
            copy.close()
    finally:
        raw.close()  # type: ignore[attr-defined]
    os.replace(partial, path)
    return BackupInfo(str(path), path.stat().st_size, revision)


def check_backup(source: str | Path) -> BackupInfo:
    """A backup file's revision, after checking it is an intact invdesk database this program can use."""
    path = Path(source).expanduser().resolve()
    if not path.is_file():
        raise NotFound(f"There is no file {path}.", field="file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ValidationError(f"{path} cannot be opened: {error}.", field="file") from None
    try:
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError:
            ok = None
        revision = _revision(conn)
    finally:
        conn.close()
    if ok is None or ok[0] != "ok" or revision is None:
        raise ValidationError(f"{path} is not an intact invdesk database.", field="file")
    if migrate.revision_state(revision) == "newer":
        raise ValidationError(
            f"{path} was made by a newer version of invdesk; install that version to restore it.",
            field="file",
        )
    return BackupInfo(str(path), path.stat().st_size, revision)


def restore(db: Database, source: str | Path, actor: Actor) -> BackupInfo:
    """Replace the open SQLite database's contents with a backup, then upgrade it if it is older.

    Everything recorded since the backup is lost: front ends ask for confirmation first. Admins only.
    """
    require(actor, Permission.ADMIN)
    _require_sqlite(db)
    info = check_backup(source)
    raw, live = _live(db)
    try:
        backup_conn = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
        try:
            backup_conn.backup(live)
        finally:
            backup_conn.close()
    finally:
        raw.close()  # type: ignore[attr-defined]
    db.dispose()  # no pooled (or spare) connection keeps a view of the old file
    migrate.ensure_current(db)
    return info


BACKUP_PATTERN = "*.db"


def newest_backup(database_file: str | Path) -> BackupInfo | None:
    """The newest intact backup beside a database file or in its `backups` folder, if any.

    Looks at *.db files there (the app names its backups invdesk-backup-DATE.db), newest first,
    and returns the first that check_backup accepts.
    """
    path = Path(database_file).expanduser().resolve()
    folders = (path.parent, path.parent / "backups")
    candidates = [c for folder in folders if folder.is_dir() for c in folder.glob(BACKUP_PATTERN)]
    candidates = [c for c in candidates if c.resolve() != path and c.is_file()]
    for candidate in sorted(candidates, key=lambda c: c.stat().st_mtime, reverse=True):
        try:
            return check_backup(candidate)
        except (ValidationError, NotFound):
            continue
    return None


def replace_damaged(database_file: str | Path, source: str | Path) -> BackupInfo:
    """Put a backup in place of a damaged database file that cannot be opened at all.

    The damaged file (and its -wal and -shm) is kept beside it, renamed `.damaged-TIMESTAMP`, for
    whoever wants to look at it. No login is asked: a file no one can open has no accounts to
    check, and whoever may write the file could copy one over it anyway (see README).
    """
    info = check_backup(source)
    path = Path(database_file).expanduser().resolve()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, part.with_name(f"{part.name}.damaged-{stamp}"))
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(info.path, partial)
    os.replace(partial, path)
    return BackupInfo(str(path), path.stat().st_size, info.revision)
