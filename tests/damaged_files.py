"""Ways a SQLite file gets damaged, made on purpose: garbage in the middle, cut off, garbage header."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def checkpoint(path: Path) -> None:
    """Move everything from the -wal into the file itself (as a clean shutdown would)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _page_size(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])


def _table_page(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[
                0
            ]
        )


def corrupt_middle(path: Path, table: str = "movement") -> None:
    """Overwrite one page in the middle of the file (the ledger's first page) with garbage."""
    checkpoint(path)
    size = _page_size(path)
    page = _table_page(path, table)
    with path.open("r+b") as file:
        file.seek((page - 1) * size + 8)  # keep the page's type byte; wreck its cell pointers
        file.write(bytes([0xFF]) * (size - 8))


def truncate(path: Path) -> None:
    """Cut the file off after its first half."""
    checkpoint(path)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def garbage_header(path: Path) -> None:
    """Overwrite the file's first 100 bytes (the SQLite header)."""
    checkpoint(path)
    with path.open("r+b") as file:
        file.write(b"this is not a database header " * 4)


DAMAGES = {
    "corrupt_middle": corrupt_middle,
    "truncated": truncate,
    "garbage_header": garbage_header,
}
