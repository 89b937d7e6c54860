"""Checking a SQLite file before use: its header, its length, and a time-bounded quick_check.

A damaged file is refused with DatabaseDamaged (exit code 8) instead of being written into.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from invdesk.domain.errors import DatabaseDamaged

MAGIC = b"SQLite format 3\x00"
# PRAGMA quick_check reads the whole file (about 0.5 s at 100,000 products on a busy 2-core PC);
# opening stops it after this long, so start-up stays under its 1.5 s goal on any size. `verify`
# and the scheduled check run the full integrity_check.
OPEN_CHECK_BUDGET_S = 0.6
# SQLite calls the progress handler every this many virtual-machine steps.
_PROGRESS_STEPS = 20_000


def damaged(path: Path | str, detail: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"The database file {path} is damaged ({detail}), so invdesk will not use it: restore "
        "the newest backup (the desktop app offers to; or `invdesk db restore BACKUP`)."
    )


def check_header(path: Path) -> None:
    """Refuse a file that is not a SQLite database, or shorter than its header says (cut off)."""
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
    deadline = time.monotonic() + budget_s
    try:
        with closing(sqlite3.connect(path)) as conn:
            conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)
            try:
                rows = conn.execute("PRAGMA quick_check(3)").fetchall()
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    return False
                raise
    except sqlite3.DatabaseError as error:
        raise damaged(path, str(error)) from None
    if rows != [("ok",)]:
        raise damaged(path, _first_problem(rows))
    return True


def integrity_check(path: Path) -> None:
    """The full PRAGMA integrity_check (indexes against tables too). Raises DatabaseDamaged."""
    check_header(path)
    try:
        with closing(sqlite3.connect(path)) as conn:
            rows = conn.execute("PRAGMA integrity_check(3)").fetchall()
    except sqlite3.DatabaseError as error:
        raise damaged(path, str(error)) from None
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
