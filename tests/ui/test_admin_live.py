"""The Admin page's tabs follow live-update hints: a token, webhook or delivery changed by
another PC or by the server shows without a click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings

from invdesk.db.engine import Database
from invdesk.domain.security import Actor, Role
from invdesk.services.channels import tokens
from invdesk.services.outbound import delivery, webhooks
from invdesk.ui import background
from invdesk.ui.live import LiveUpdates
from invdesk.ui.main_window import MainWindow
from invdesk.ui.models.small_lists import DeliveryColumn
from invdesk.ui.pages.admin import AdminPage
from invdesk.ui.pages.users import UsersPage
from tests.fixtures.databases import _empty

ADMIN = Actor("boss", Role.ADMIN)


@pytest.fixture(autouse=True)
def no_server(monkeypatch, tmp_path):
    monkeypatch.delenv("INVDESK_SERVER_URL", raising=False)
    monkeypatch.setenv("INVDESK_CONFIG", str(tmp_path / "none.toml"))


def _window(qtbot, db: Database, tmp_path, name: str) -> MainWindow:
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, ADMIN, settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _delivery_status(page: AdminPage) -> str | None:
    model = page.deliveries.model
    return model.index(0, DeliveryColumn.STATUS).data() if model.rowCount() else None


def test_the_servers_sending_and_a_scripts_token_show_on_the_open_admin_page(
    qtbot, empty_db, tmp_path, monkeypatch
):
    window = _window(qtbot, empty_db, tmp_path, "admin")
    page = window.open_page(AdminPage)
    try:
        qtbot.waitUntil(lambda: background.default().busy == 0)
        assert page.tokens.model.rowCount() == 0
        # Not through the page: the CLI or the API in this process, the server's sender.
        tokens.add_token(empty_db, ADMIN, "webshop", ["read"])
        qtbot.waitUntil(lambda: page.tokens.model.rowCount() == 1, timeout=3000)
        hook, _secret = webhooks.add_webhook(
            empty_db, ADMIN, "http://127.0.0.1:9/hook", ["stock.changed"]
        )
        qtbot.waitUntil(lambda: page.webhooks.model.rowCount() == 1, timeout=3000)
        webhooks.test_webhook(empty_db, ADMIN, hook.id)
        delivery.sequence(empty_db)
        qtbot.waitUntil(lambda: _delivery_status(page) == "Pending", timeout=3000)
        page.tabs.setCurrentWidget(page.deliveries)
        page.deliveries.table.selectRow(0)
        assert page.deliveries.retry_button.isEnabled()
        later = empty_db.now() + timedelta(days=2)
        monkeypatch.setattr(empty_db, "clock", lambda: later)
        (due,) = delivery.claim_due(empty_db, lease=timedelta(minutes=1))
        delivery.record_attempt(empty_db, due.id, ok=False, code=500, answer="down")
        qtbot.waitUntil(lambda: _delivery_status(page) == "Failed", timeout=3000)
        # The live refresh kept the row the admin had chosen.
        assert page.deliveries.selected().id == due.id
        assert page.deliveries.retry_button.isEnabled()
    finally:
        window.close()
        background.default().wait()


def test_a_server_change_leaves_the_other_pages_alone(qtbot, empty_db, tmp_path):
    window = _window(qtbot, empty_db, tmp_path, "users")
    users = window.open_page(UsersPage)
    assert not users.follows(frozenset({"admin"})) and users.follows(frozenset({"stock"}))
    assert window.page(AdminPage).follows(frozenset({"admin"}))
    window.close()
    background.default().wait()


def test_a_token_added_on_another_pc_shows_in_the_admin_tab(qtbot, pg_url, tmp_path):
    with Database.open(pg_url) as fresh:
        _empty(fresh)
    writer, reader = Database.open(pg_url), Database.open(pg_url)
    writer_live = LiveUpdates(writer)  # the other PC sends the hint after its commit
    window = _window(qtbot, reader, tmp_path, "reader")
    page = window.open_page(AdminPage)
    try:
        qtbot.waitUntil(lambda: window.live.online and background.default().busy == 0)
        tokens.add_token(writer, ADMIN, "till", ["read"])
        qtbot.waitUntil(lambda: page.tokens.model.rowCount() == 1, timeout=3000)
        assert page.tokens.model.row_at(0).name == "till"
        tokens.revoke_token(writer, ADMIN, "till")
        qtbot.waitUntil(lambda: not page.tokens.model.row_at(0).active, timeout=3000)
    finally:
        window.close()
        background.default().wait()
        writer_live.close()
        writer.dispose()
        reader.dispose()
