"""Checking a SQLite file before use: its header, its length, and a time-bounded quick_check.

A damaged file is refused with DatabaseDamaged (exit code 8) instead of being written into.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from invdesk.db import problems
from invdesk.db.problems import damaged
from invdesk.domain.errors import DatabaseUnavailable

MAGIC = b"SQLite format 3\x00"
# PRAGMA quick_check reads the whole file (about 0.5 s at 100,000 products on a busy 2-core PC);
# opening stops it after this long, so start-up stays under its 1.5 s goal on any size. `verify`
# and the scheduled check run the full integrity_check.
OPEN_CHECK_BUDGET_S = 0.6


def _refused(path: Path, error: sqlite3.DatabaseError) -> DatabaseUnavailable:
    """A damaged file is DatabaseDamaged; a file that cannot be opened or read says why."""
    found = problems.sqlite_problem(str(error), str(path))
    return damaged(path, str(error)) if found is None else problems.as_error(found)


def check_header(path: Path) -> None:
    """Refuse a file that is not a SQLite database, or shorter than its header says (cut off).

    Only before this process has the file open through SQLite: closing any other descriptor of
    the file drops every POSIX lock the process holds on it (SQLite's own connections' included),
    and a concurrent writer then corrupts what those connections read.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # a new database is created here
    if size == 0:
        return  # SQLite's own empty database
    with path.open("rb") as file:
        header = file.read(100)
    if len(header) < 100 or not header.startswith(MAGIC):
        raise damaged(path, "it is not a SQLite database: its first bytes are wrong")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid only when written with the current change counter.
    if header[24:28] == header[92:96] and size < pages * page_size:
        raise damaged(
            path, f"it is cut off: {size:,} bytes where its header says {pages * page_size:,}"
        )


def quick_check(path: Path, budget_s: float = OPEN_CHECK_BUDGET_S) -> bool:
    """PRAGMA quick_check for at most `budget_s`: True if it finished, False if the time ran out
    first (nothing wrong found so far). Raises DatabaseDamaged when it finds damage."""
    try:
        with closing(sqlite3.connect(path, check_same_thread=False)) as conn:
            # sqlite3_interrupt stops the check within its walk of a table (a progress handler
            # is only consulted between tables, and one big table is most of the file).
            timer = threading.Timer(budget_s, conn.interrupt)
            timer.start()
            try:
                rows = conn.execute("PRAGMA quick_check(3)").fetchall()
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    return False
                raise
            finally:
                timer.cancel()
    except sqlite3.DatabaseError as error:
        raise _refused(path, error) from None
    if rows != [("ok",)]:
        raise damaged(path, _first_problem(rows))
    return True


def integrity_check(path: Path) -> None:
    """The full PRAGMA integrity_check (indexes against tables too). Raises DatabaseDamaged.

    Runs in a process that holds the database open (verify, the scheduled check), so the file is
    read through SQLite only (see check_header): a wrong header or a cut-off file is an error of
    the check itself.
    """
    try:
        with closing(sqlite3.connect(path)) as conn:
            rows = conn.execute("PRAGMA integrity_check(3)").fetchall()
    except sqlite3.DatabaseError as error:
        raise _refused(path, error) from None
    if rows != [("ok",)]:
        raise damaged(path, _first_problem(rows))


def _first_problem(rows: list[tuple[object, ...]]) -> str:
    """The first line of a check's report that says something (not "*** in database main ***")."""
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    said = [line for line in lines if line and not line.startswith("***")]
    return said[0] if said else "the integrity check failed"


def check_at_open(path: Path) -> None:
    """What opening a file checks: the header and length, then a time-bounded quick_check."""
    check_header(path)
    if path.exists() and path.stat().st_size > 0:
        quick_check(path)
