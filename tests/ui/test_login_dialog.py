"""The login dialog: first start creates the admin account; later starts log in."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy.engine import make_url

from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import users
from invdesk.services.system.database import open_database
from invdesk.ui.login_dialog import LoginDialog
from tests.fixtures.logins import PASSWORD as PASSWORD_OF_LOGINS

PASSWORD = "admin password 1"


@pytest.fixture
def db(shop_file_url):
    database = open_database(shop_file_url)
    yield database
    database.dispose()


def _dialog(qtbot, db):
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_first_start_creates_the_admin_account(qtbot, db):
    dialog = _dialog(qtbot, db)
    assert dialog.first_start and "create the admin account" in dialog.windowTitle()
    dialog.username.setText("boss")
    dialog.password.setText(PASSWORD)
    dialog.repeat.setText(PASSWORD + "x")

    dialog.submit()
    assert "differ" in dialog.error.text() and dialog.actor is None

    dialog.password.setText(PASSWORD)
    dialog.repeat.setText(PASSWORD)
    dialog.submit()
    assert dialog.actor == Actor("boss", Role.ADMIN)
    assert users.login(db, "boss", PASSWORD).role is Role.ADMIN


def test_later_starts_log_in_and_show_why_a_login_failed(qtbot, db):
    users.create_first_admin(db, "boss", PASSWORD)
    dialog = _dialog(qtbot, db)
    assert not dialog.first_start
    dialog.username.setText("boss")
    dialog.password.setText("wrong one")

    dialog.submit()
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.password.text() == ""

    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.actor == Actor("boss", Role.ADMIN)


def _visible_texts(dialog) -> list[str]:
    widgets = dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)
    return [w.text() for w in widgets if w.isVisible() and w.text()]


def test_the_dialogs_render_what_each_start_asks_for(qtbot, db, tmp_path):
    first = _dialog(qtbot, db)
    assert first.grab().save(str(tmp_path / "first.png"))
    assert first.repeat.isVisible()  # a new password is typed twice
    assert "Create account and log in" in _visible_texts(first)

    users.create_first_admin(db, "boss", PASSWORD)
    login = _dialog(qtbot, db)
    assert not login.repeat.isVisible() and "Log in" in _visible_texts(login)
    login.username.setText("boss")
    login.password.setText("nope nope")
    login.submit()
    assert login.grab().save(str(tmp_path / "login.png"))
    assert "Wrong user name or password." in _visible_texts(login)


def test_on_a_server_with_login_roles_the_dialog_connects_as_the_person(
    qtbot, login_roles_url, make_login
):
    ann = make_login("clerk", on=login_roles_url)
    pc_url = make_url(login_roles_url).set(username=None, password=None)
    dialog = LoginDialog(None, server_url=pc_url.render_as_string(False))
    qtbot.addWidget(dialog)
    assert not dialog.first_start and "Log in to PostgreSQL" in dialog.findChild(QLabel).text()
    dialog.username.setText(ann.name)
    dialog.password.setText(PASSWORD_OF_LOGINS)

    dialog.submit()

    assert dialog.actor == Actor(ann.name, Role.CLERK)
    with dialog.database.read() as conn:
        assert conn.exec_driver_sql("SELECT session_user").scalar_one() == ann.name
    dialog.database.dispose()
