"""Backup and restore from the menu: admins only, SQLite only, restore asks first."""

from __future__ import annotations

import pytest

from invdesk.domain.security import Actor, Role
from invdesk.services.system import backup
from invdesk.services.system.database import open_database
from invdesk.ui.backup_actions import backup_actions, restore_database
from tests import support

ADMIN = Actor("boss", Role.ADMIN)


@pytest.fixture
def db(shop_file_url):
    database = open_database(shop_file_url)
    support.warehouse(database)
    support.product(database)
    support.stocked(database, qty=10)
    yield database
    database.dispose()


def test_only_an_admin_gets_enabled_backup_actions(qtbot, db):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)

    assert all(a.isEnabled() for a in backup_actions(parent, db, ADMIN))
    clerk_actions = backup_actions(parent, db, Actor("ann", Role.CLERK))
    assert not any(a.isEnabled() for a in clerk_actions)
    assert "Only an administrator" in clerk_actions[0].toolTip()


def test_restore_replaces_the_data_only_after_confirmation(qtbot, db, tmp_path):
    backup.backup(db, tmp_path / "copy.db", ADMIN)
    support.stocked(db, qty=5)
    asked = []

    declined = restore_database(
        None,
        db,
        ADMIN,
        choose=lambda: str(tmp_path / "copy.db"),
        confirm=lambda q: bool(asked.append(q)),
    )
    assert not declined and support.on_hand(db, "SKU-1") == (15, 0)
    assert "Everything recorded since that backup will be lost" in asked[0]

    restored = restore_database(
        None, db, ADMIN, choose=lambda: str(tmp_path / "copy.db"), confirm=lambda q: True
    )
    assert restored and support.on_hand(db, "SKU-1") == (10, 0)
