"""SQLite backups: a consistent copy while another connection is writing; PostgreSQL points to pg_dump."""

from __future__ import annotations

import sqlite3

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.security import SYSTEM
from invdesk.services.system import backup
from invdesk.services.system.database import open_database
from tests import support


def test_a_backup_taken_during_a_write_has_only_committed_data(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/shop.db")
    try:
        support.warehouse(db)
        writer = sqlite3.connect(tmp_path / "shop.db", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO category (name, active, version) VALUES ('Half-done', 1, 1)")

        info = backup.backup(db, tmp_path / "copy.db", SYSTEM)  # does not wait for the writer

        writer.execute("COMMIT")
        writer.close()
    finally:
        db.dispose()
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        names = {r[0] for r in copy.execute("SELECT name FROM category")}
        assert "Half-done" not in names and "Tools" in names
        assert copy.execute("SELECT code FROM warehouse").fetchall() == [("MAIN",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()
    assert info.revision == backup.check_backup(tmp_path / "copy.db").revision


@pytest.mark.postgres
def test_postgresql_backups_are_left_to_pg_dump(pg_url, tmp_path):
    db = open_database(pg_url)
    try:
        with pytest.raises(ValidationError, match="pg_dump"):
            backup.backup(db, tmp_path / "x.db", SYSTEM)
    finally:
        db.dispose()
