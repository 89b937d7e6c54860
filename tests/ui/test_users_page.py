"""The Users page: admins manage accounts; others only change their own password."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import users
from invdesk.services.system.database import open_database
from invdesk.ui.pages.users import UsersPage

BOSS = Actor("boss", Role.ADMIN)


@pytest.fixture
def db(shop_file_url):
    database = open_database(shop_file_url)
    users.create_first_admin(database, "boss", "boss password")
    yield database
    database.dispose()


def _page(qtbot, db, actor):
    page = UsersPage(db, actor)
    qtbot.addWidget(page)
    page.show()
    return page


def _names(page):
    return [page.table.item(r, 0).text() for r in range(page.table.rowCount())]


def test_an_admin_adds_a_clerk_promotes_and_deactivates_her(qtbot, db, tmp_path):
    page = _page(qtbot, db, BOSS)

    assert page.add_user("Ann", "clerk", "ann password")
    assert _names(page) == ["ann", "boss"]
    page.select("ann")
    assert page.set_role("manager")
    assert page.toggle_active()
    assert page.status.text() == "ann is deactivated."
    assert [(u.username, u.role, u.active) for u in users.list_users(db, BOSS)] == [
        ("ann", Role.MANAGER, False),
        ("boss", Role.ADMIN, True),
    ]
    page.resize(760, 260)
    assert page.grab().save(str(tmp_path / "users.png"))


def test_refusals_are_shown_not_raised(qtbot, db):
    page = _page(qtbot, db, BOSS)
    page.select("boss")

    assert not page.set_role("clerk")
    assert "last active admin" in page.status.text()
    assert not page.add_user("x", "clerk", "short")
    assert "at least 8" in page.status.text()


def test_a_clerk_only_changes_her_own_password(qtbot, db):
    users.add_user(db, "ann", "ann password", "clerk", BOSS)
    ann = Actor("ann", Role.CLERK)
    page = _page(qtbot, db, ann)

    assert not page.table.isVisible() and not page.add_button.isVisible()
    assert page.own_password_button.isVisible()
    assert not page.set_password("ann", "new password 1", current="wrong password")
    assert page.set_password("ann", "new password 1", current="ann password")
    assert users.login(db, "ann", "new password 1") == ann
    with pytest.raises(PermissionDenied):
        users.list_users(db, ann)
