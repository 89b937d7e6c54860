"""Starting on a damaged SQLite file: the reason is shown with an offer to restore the newest backup."""

from __future__ import annotations

import pytest

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.catalog import warehouses
from invdesk.services.system import backup
from invdesk.ui import damaged_file, launch
from tests.damaged_files import DAMAGES
from tests.ui.test_roles_and_launch import FakeDialog


@pytest.fixture
def connection_dialog(monkeypatch):
    FakeDialog.opened = []
    monkeypatch.setattr(launch, "ConnectionDialog", FakeDialog)
    return FakeDialog


@pytest.fixture
def shop(tmp_path):
    """A database file with one warehouse, and a backup of it in its backups folder."""
    url = f"sqlite:///{tmp_path}/shop.db"
    with Database.open(url) as db:
        migrate.upgrade(db)
        warehouses.create_warehouse(db, "MAIN", "Main", SYSTEM)
        (tmp_path / "backups").mkdir()
        backup.backup(db, tmp_path / "backups" / "invdesk-backup-2026-12-01-0900.db", SYSTEM)
    return url, tmp_path / "shop.db"


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_file_offers_the_newest_backup_and_opens_it(
    connection_dialog, monkeypatch, shop, damage
):
    url, path = shop
    if damage == "corrupt_middle":
        DAMAGES[damage](path, "warehouse")  # the only table with rows here
    else:
        DAMAGES[damage](path)
    asked = []

    def ask(text, has_newest):
        asked.append((text, has_newest))
        return damaged_file.NEWEST

    monkeypatch.setattr(damaged_file, "_ask_with_a_message_box", lambda parent: ask)

    db = launch.open_at_start(url, {})

    try:
        assert db is not None and connection_dialog.opened == []
        ((text, has_newest),) = asked
        assert has_newest
        assert text.startswith(f"The database file {path} is damaged (")
        assert "The newest backup is " in text and "invdesk-backup-2026-12-01-0900.db" in text
        assert [w.code for w in warehouses.list_warehouses(db, SYSTEM)] == ["MAIN"]
        assert list(path.parent.glob("shop.db.damaged-*"))
    finally:
        if db is not None:
            db.dispose()


def test_declining_the_restore_shows_the_reason_in_the_connection_dialog(
    connection_dialog, monkeypatch, shop
):
    url, path = shop
    DAMAGES["garbage_header"](path)
    monkeypatch.setattr(
        damaged_file, "_ask_with_a_message_box", lambda parent: lambda t, n: damaged_file.CANCEL
    )

    assert launch.open_at_start(url, {}) is None

    (opened,) = connection_dialog.opened
    assert "is damaged (it is not a SQLite database" in str(opened["message"])
    assert not list(path.parent.glob("shop.db.damaged-*"))
