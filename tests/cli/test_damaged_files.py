"""Damaged SQLite files: every command says so in one sentence with exit code 8, never a traceback;
`verify` reports the damage (not exit 1, "differences found"); `db restore` puts a backup back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.conftest import assert_one_line_error
from tests.damaged_files import DAMAGES, checkpoint

DAMAGED = 8


def _file(invdesk) -> Path:
    return Path(invdesk.url.removeprefix("sqlite:///"))


@pytest.mark.parametrize("damage", sorted(DAMAGES))
@pytest.mark.parametrize("command", [["stock"], ["verify"], ["receive", "CAB-001", "MAIN", "1"]])
def test_a_damaged_file_is_refused_in_one_sentence_with_its_own_exit_code(stocked, damage, command):
    DAMAGES[damage](_file(stocked))

    result = stocked(*command)

    message = assert_one_line_error(result, DAMAGED)
    assert message.startswith(f"Error: The database file {_file(stocked)} is damaged (")
    assert "restore the newest backup" in message
    assert "Traceback" not in result.stderr + result.stdout


def test_nothing_is_written_into_a_file_corrupted_in_the_middle(stocked):
    path = _file(stocked)
    DAMAGES["corrupt_middle"](path)
    before = path.read_bytes()

    stocked("transfer", "CAB-001", "MAIN", "SHOP", "1")

    assert path.read_bytes() == before


def test_verify_reports_damage_that_only_the_full_check_finds(stocked):
    """An index out of step with its table passes the check at open (quick_check does not compare
    indexes with tables); verify's full integrity_check finds it."""
    path = _file(stocked)
    checkpoint(path)
    with closing(sqlite3.connect(path)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_product_name_id'"
        ).fetchone()[0]
    with path.open("r+b") as file:  # the name index becomes an empty leaf page: no entries at all
        file.seek((root - 1) * size)
        file.write(bytes([0x0A, 0, 0, 0, 0]) + size.to_bytes(2, "big")[:2] + bytes(size - 7))

    assert stocked("stock").exit_code == 0
    result = stocked("verify")

    message = assert_one_line_error(result, DAMAGED)
    assert "is damaged (" in message


def test_db_restore_puts_a_backup_in_place_of_a_damaged_file(stocked, tmp_path):
    backup = tmp_path / "invdesk-backup.db"
    stocked.ok("db", "backup", str(backup))
    DAMAGES["garbage_header"](_file(stocked))

    result = stocked("db", "restore", str(backup), "--yes")

    assert result.exit_code == 0, result.stderr
    assert "the damaged file was kept beside it" in result.stdout
    assert list(tmp_path.glob("x.db.damaged-*"))
    assert stocked.ok("verify").stdout.startswith("All stock levels agree with the ledger.")
