"""Role-based hiding in the GUI, and how the app finds its database at start."""

from __future__ import annotations

from typing import ClassVar

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from invdesk.domain.security import Actor, Permission, Role
from invdesk.ui import launch
from invdesk.ui.roles import restrict


def test_a_clerk_gets_catalog_controls_disabled_with_a_reason(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    button, action = QPushButton("Edit product", parent), QAction("New product", parent)

    allowed = restrict([button, action], Actor("ann", Role.CLERK), Permission.CATALOG)

    assert not allowed and not button.isEnabled() and not action.isEnabled()
    assert "Your role (clerk) does not allow editing products" in button.toolTip()
    assert restrict(button, Actor("bob", Role.MANAGER), Permission.CATALOG, hide=True)


class FakeDialog:
    """Stands in for ConnectionDialog: records how it was opened, then 'connects' or is cancelled."""

    opened: ClassVar[list[dict[str, object]]] = []
    answer = QDialog.DialogCode.Rejected

    def __init__(self, **kwargs: object) -> None:
        FakeDialog.opened.append(kwargs)
        self.database = None

    def exec(self) -> QDialog.DialogCode:
        return FakeDialog.answer


@pytest.fixture
def fake_dialog(monkeypatch):
    FakeDialog.opened = []
    monkeypatch.setattr(launch, "ConnectionDialog", FakeDialog)
    return FakeDialog


def test_the_first_run_asks_where_the_database_is(fake_dialog, tmp_path):
    env = {"INVDESK_CONFIG": str(tmp_path / "none.toml")}

    assert launch.open_at_start(None, env) is None

    assert len(fake_dialog.opened) == 1 and fake_dialog.opened[0]["message"] is None


def test_a_working_saved_connection_opens_without_asking(fake_dialog, tmp_path):
    db = launch.open_at_start(f"sqlite:///{tmp_path}/shop.db", {})
    try:
        assert db is not None and fake_dialog.opened == []
    finally:
        assert db is not None
        db.dispose()


def test_a_failing_connection_opens_the_dialog_with_the_reason(fake_dialog):
    assert launch.open_at_start("postgresql://invdesk@127.0.0.1:1/invdesk", {}) is None

    (opened,) = fake_dialog.opened
    assert "does not answer" in str(opened["message"])
    assert opened["save"] is False  # a --db flag is for this run only


def test_a_session_ended_by_an_admin_returns_to_the_login_with_the_reason(monkeypatch, tmp_path):
    """launch(): the window closes with a message -> log in again (the message shown) -> work on."""
    from invdesk.domain.security import Actor, Role

    logins, windows = [], []

    class FakeLogin:
        def __init__(self, db, server_url=None):
            self.actor = Actor("ann", Role.CLERK)
            self.database = None  # the app's own accounts: the session stays on `db`
            self.errors = []
            logins.append(self)

        def show_error(self, text):
            self.errors.append(text)

        def exec(self):
            return launch.QDialog.DialogCode.Accepted

    class FakeWindow:
        def __init__(self, db, actor, scanner=None):
            # The first session is ended by an admin; the second ends normally.
            self.ended_message = "ann was deactivated" if not windows else None
            self.logged_out = False
            windows.append(self)

        def show(self):
            pass

    class FakeApp(QObject):  # the scan detector hangs off the application object
        def exec(self):
            return 7

    db = launch.open_at_start(f"sqlite:///{tmp_path}/shop.db", {})
    monkeypatch.setattr(launch, "make_app", lambda: FakeApp())
    monkeypatch.setattr(launch, "open_at_start", lambda url: db)
    monkeypatch.setattr(launch, "LoginDialog", FakeLogin)
    monkeypatch.setattr(launch, "MainWindow", FakeWindow)
    monkeypatch.setattr(launch.first_run, "offer_demo", lambda window: None)
    monkeypatch.setattr(launch.crash, "install_excepthook", lambda: None)
    monkeypatch.setattr(launch.crash, "setup_logging", lambda: None)

    assert launch.launch(None) == 7
    assert len(logins) == 2 and len(windows) == 2
    assert logins[0].errors == [] and logins[1].errors == ["ann was deactivated"]


def test_a_shared_server_address_without_a_password_means_each_person_logs_in():
    assert launch.server_login_url("postgresql://db-server/invdesk", {}) == (
        "postgresql://db-server/invdesk"
    )
    assert launch.server_login_url("postgresql://pc:secret@db-server/invdesk", {}) is None
    assert launch.server_login_url("sqlite:///shop.db", {}) is None
