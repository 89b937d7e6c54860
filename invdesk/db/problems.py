"""What a driver's failure means for the person at the PC: one kind and one sentence per cause.

Used when connecting (services/connection.py) and when a statement fails (engine.translate), so a
full disk or a wrong password reads the same wherever it happens.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from sqlalchemy.engine import make_url

from invdesk.domain.errors import DatabaseDamaged, DatabaseUnavailable

# How long a SQLite writer waits for another's lock before it gives up with the "locked" sentence.
SQLITE_BUSY_TIMEOUT_MS = 10000


def damaged(path: Path | str, detail: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"The database file {path} is damaged ({detail}), so invdesk will not use it: restore "
        "the newest backup (the desktop app offers to; or `invdesk db restore BACKUP`)."
    )


class Problem(NamedTuple):
    kind: str
    message: str


def where(url: str) -> str:
    """The file, or the server's host:port, a URL names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the file {parsed.database}"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def sqlite_problem(text: str, path: str | None) -> Problem | None:
    """The kind and sentence for a SQLite error, or None if it is not about the file or disk."""
    low = text.lower()
    name = f"the database file {path}" if path else "the database file"
    if "not a database" in low or "malformed" in low or "file is encrypted" in low:
        return Problem("damaged", damaged(path or "(unknown)", text).message)
    if "disk is full" in low or "database or disk is full" in low:
        return Problem(
            "disk_full",
            f"The disk that holds {name} is full, so nothing was saved: free some space on it, "
            "then try again.",
        )
    if "readonly" in low or "read-only" in low:
        return Problem(
            "read_only",
            f"This PC's account may not write {name}, so nothing was saved: ask whoever manages "
            "the PC to let your account write the file and its folder (see “Which database” in "
            "README).",
        )
    if "unable to open database file" in low:
        return Problem(
            "cannot_open",
            f"{name[0].upper()}{name[1:]} cannot be opened: check that its folder exists and "
            "that your account may read and write both.",
        )
    if "disk i/o error" in low:
        return Problem(
            "disk_error",
            f"The disk failed while reading or writing {name}: check the disk, and restore the "
            "newest backup if it happens again.",
        )
    if "locked" in low or "busy" in low:
        return Problem(
            "busy",
            f"Another program has kept {name} locked in the middle of a change for over "
            f"{SQLITE_BUSY_TIMEOUT_MS // 1000} seconds (an invdesk window or a tool that froze or "
            "stopped); close that program, or wait for it to finish, and try again.",
        )
    return None


def postgresql_problem(sqlstate: str | None, text: str, url: str) -> Problem:
    """The kind and sentence for a PostgreSQL failure (connecting or running a statement)."""
    low = text.lower()
    first = text.strip().splitlines()[0] if text.strip() else "no details"
    parsed = make_url(url)
    user, database = parsed.username, parsed.database
    if sqlstate == "28P01" or "password authentication failed" in low:
        return Problem(
            "auth",
            f"The server refused the password for user “{user}”. Check the password (an "
            "administrator can reset it).",
        )
    if "no password supplied" in low:
        return Problem(
            "auth",
            f"The server asks for a password for user “{user}”. Enter the password, or save it "
            "in the connection dialog.",
        )
    if sqlstate == "28000" and "role" in low and "does not exist" in low:
        return Problem(
            "no_role",
            f"The server has no user “{user}”. Check the user name, or ask an administrator to "
            "create your account (`invdesk user add`).",
        )
    if sqlstate == "28000" or "no pg_hba.conf entry" in low:
        return Problem(
            "auth",
            f"The server does not let user “{user}” in from this PC ({first}). Ask the "
            "administrator to allow it (pg_hba.conf).",
        )
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        return Problem(
            "no_database",
            f"The server has no database “{database}”. Correct the name, or ask the "
            "administrator to create it (see “Connecting to a shared PostgreSQL server” in README).",
        )
    if sqlstate in ("53100", "53000") or "no space left on device" in low:
        return Problem(
            "disk_full",
            f"The database server's disk at {where(url)} is full, so nothing was saved: ask the "
            "administrator to free space on the server.",
        )
    if sqlstate == "25006" or "read-only transaction" in low or "recovery" in low:
        return Problem(
            "read_only",
            f"The database server at {where(url)} accepts no changes right now (a read-only "
            "standby, or recovering): try again later, or connect to the primary server.",
        )
    if "terminating connection due to administrator command" in low and sqlstate == "57P01":
        # pg_terminate_backend: an administrator (or a deactivated account) ended this session.
        return Problem(
            "ended",
            f"The connection to the database server at {where(url)} was ended by an "
            "administrator; nothing was saved. Connect again (and ask them why, if it recurs).",
        )
    if sqlstate in ("57P01", "57P02", "57P03") or "shutting down" in low or "starting up" in low:
        return Problem(
            "restarting",
            f"The database server at {where(url)} is shutting down or starting up; try again in "
            "a minute.",
        )
    if "ssl" in low or "tls" in low or "certificate" in low:
        return Problem(
            "tls",
            f"The secure (TLS) connection to {where(url)} failed ({first}). Choose another TLS "
            "mode, or ask the administrator for the server's certificate settings.",
        )
    if sqlstate == "55P03" or "lock timeout" in low:
        return Problem("busy", "Another PC holds this stock record; try again in a moment.")
    return Problem(
        "unreachable",
        f"The database server at {where(url)} does not answer ({first}). Check that PostgreSQL "
        "is running there and that this PC can reach it (network, VPN, firewall), then try again.",
    )


def as_error(problem: Problem) -> DatabaseUnavailable:
    if problem.kind == "damaged":
        return DatabaseDamaged(problem.message)
    return DatabaseUnavailable(problem.message)
