"""The Admin page's tokens, webhooks and deliveries, driven as an admin would, against the services."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from invdesk.cli.main import cli
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import Actor, Role
from invdesk.domain.tokens import Scope, TokenRefused
from invdesk.services.channels import tokens
from invdesk.services.outbound import delivery, webhooks
from invdesk.ui.dialogs.api_access import AddTokenDialog, AddWebhookDialog, SecretShownDialog
from invdesk.ui.main_window import MainWindow
from invdesk.ui.models.small_lists import DeliveryColumn, TokenColumn
from invdesk.ui.pages.admin import AdminPage
from tests import support

ADMIN = Actor("boss", Role.ADMIN)


@pytest.fixture
def page(qtbot, empty_db, monkeypatch, tmp_path):
    monkeypatch.delenv("INVDESK_SERVER_URL", raising=False)
    monkeypatch.setenv("INVDESK_CONFIG", str(tmp_path / "none.toml"))
    support.warehouse(empty_db, "MAIN")
    support.warehouse(empty_db, "SHOP")
    admin = AdminPage(empty_db, ADMIN)
    qtbot.addWidget(admin)
    with qtbot.waitSignal(admin.deliveries.model.modelReset):
        admin.refresh()
    return admin


def _cells(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _save(qtbot, dialog) -> None:
    """Click Save, then wait for the save, which runs off the GUI thread."""
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.saving is not None
    assert not save.isEnabled() and dialog.isVisible()  # the answer comes later, by signal
    with qtbot.waitSignal(dialog.saving.finished, timeout=10_000):
        pass
    assert save.isEnabled()


def _yes(section) -> None:
    box = section.confirmation
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()


def test_an_admin_adds_a_token_sees_it_once_and_revokes_it(qtbot, page, empty_db, tmp_path):
    section = page.tokens
    section.add_button.click()
    dialog = section.shown
    assert isinstance(dialog, AddTokenDialog)
    dialog.name.setText("webshop")
    dialog.scope_boxes["orders"].setChecked(True)
    dialog.warehouse_boxes["SHOP"].setChecked(True)
    _save(qtbot, dialog)

    shown = section.shown
    assert isinstance(shown, SecretShownDialog) and shown.isVisible()
    secret = shown.secret.text()
    assert secret.startswith(tokens.TOKEN_MARK)
    shown.copy_button.click()
    assert QApplication.clipboard().text() == secret
    grant = tokens.authenticate(empty_db, secret)
    assert grant.scopes == {Scope.READ, Scope.ORDERS} and grant.warehouses == {"SHOP"}
    shown.close()

    qtbot.waitUntil(lambda: section.model.rowCount() == 1)
    cells = _cells(section.model, 0)
    assert cells[TokenColumn.NAME] == "webshop" and cells[TokenColumn.STATUS] == "Active"
    assert cells[TokenColumn.ENDS_IN] == f"…{secret[-4:]}"
    assert not any(secret in cell for cell in cells)
    listed = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path}/shop.db", "token", "list", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    assert [t["name"] for t in json.loads(listed.stdout)] == ["webshop"]
    assert secret not in listed.stdout and secret[-4:] in listed.stdout

    section.table.selectRow(0)
    assert section.revoke_button.isEnabled()
    section.revoke_button.click()
    _yes(section)
    qtbot.waitUntil(lambda: section.model.rowCount() == 1 and not section.model.row_at(0).active)
    assert _cells(section.model, 0)[TokenColumn.STATUS].startswith("Revoked")
    qtbot.waitUntil(lambda: section.status.text() == "Token webshop revoked.")
    with pytest.raises(TokenRefused):
        tokens.authenticate(empty_db, secret)


def test_a_refused_token_is_said_at_its_field_and_the_dialog_stays(qtbot, page, empty_db):
    tokens.add_token(empty_db, ADMIN, "webshop", ["read"])
    page.tokens.add_button.click()
    dialog = page.tokens.shown
    dialog.name.setText("webshop")
    _save(qtbot, dialog)
    assert dialog.isVisible()
    assert "already exists" in dialog.form.labels["name"].text()
    assert dialog.form.labels["name"].isVisible()
    dialog.name.setText("till")
    dialog.scope_boxes["read"].setChecked(False)
    _save(qtbot, dialog)
    assert dialog.isVisible() and "at least one scope" in dialog.form.labels["scope"].text()
    assert not dialog.form.labels["name"].isVisible()
    assert [t.name for t in tokens.list_tokens(empty_db, ADMIN)] == ["webshop"]


def test_an_admin_adds_a_webhook_tests_it_and_retries_a_failed_delivery(
    qtbot, page, empty_db, monkeypatch
):
    hooks = page.webhooks
    hooks.add_button.click()
    dialog = hooks.shown
    assert isinstance(dialog, AddWebhookDialog)
    dialog.url.setText("not an address")
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.labels["url"].isVisible()
    dialog.url.setText("http://127.0.0.1:9/hook")
    _save(qtbot, dialog)
    assert isinstance(hooks.shown, SecretShownDialog)
    hooks.shown.close()
    qtbot.waitUntil(lambda: hooks.model.rowCount() == 1)
    hook = hooks.model.row_at(0)
    assert hook.url == "http://127.0.0.1:9/hook" and "stock.changed" in hook.events

    hooks.table.selectRow(0)
    hooks.test_button.click()
    qtbot.waitUntil(lambda: hooks.status.text().startswith("Test event queued"))
    assert delivery.sequence(empty_db) == 1
    # One attempt, recorded as refused a day and more after the event: the delivery gives up.
    later = empty_db.now() + timedelta(days=2)
    monkeypatch.setattr(empty_db, "clock", lambda: later)
    (due,) = delivery.claim_due(empty_db, lease=timedelta(minutes=1))
    assert delivery.record_attempt(empty_db, due.id, ok=False, code=None, answer="refused") == (
        "failed"
    )

    shown = page.deliveries
    with qtbot.waitSignal(shown.model.modelReset):
        shown.status_filter.setCurrentIndex(shown.status_filter.findData("failed"))
    assert shown.model.rowCount() == 1
    cells = _cells(shown.model, 0)
    assert (
        cells[DeliveryColumn.STATUS] == "Failed" and cells[DeliveryColumn.LAST_ANSWER] == "refused"
    )
    shown.table.selectRow(0)
    shown.retry_button.click()
    qtbot.waitUntil(lambda: shown.model.rowCount() == 0)  # no longer failed
    (again,) = webhooks.list_deliveries(empty_db, ADMIN, status="pending")
    assert again.id == due.id and again.attempts == 1

    with qtbot.waitSignal(shown.model.modelReset):
        shown.status_filter.setCurrentIndex(shown.status_filter.findData("pending"))
    shown.table.selectRow(0)
    hooks.table.selectRow(0)
    hooks.remove_button.click()
    _yes(hooks)
    qtbot.waitUntil(lambda: hooks.model.rowCount() == 0 and shown.model.rowCount() == 0)
    assert webhooks.list_webhooks(empty_db, ADMIN) == []
    assert webhooks.list_deliveries(empty_db, ADMIN)[0].status == "cancelled"


def test_retrying_a_delivered_one_is_refused_in_the_status_line(qtbot, page, empty_db):
    hook, _secret = webhooks.add_webhook(empty_db, ADMIN, "http://127.0.0.1:9/", ["stock.changed"])
    webhooks.test_webhook(empty_db, ADMIN, hook.id)
    delivery.sequence(empty_db)
    (due,) = delivery.claim_due(empty_db, lease=timedelta(minutes=1))
    delivery.record_attempt(empty_db, due.id, ok=True, code=200, answer="ok")
    shown = page.deliveries
    with qtbot.waitSignal(shown.model.modelReset):
        shown.refresh_button.click()
    shown.table.selectRow(0)
    shown.retry_button.click()
    qtbot.waitUntil(lambda: "only a failed or pending one" in shown.status.text())
    assert webhooks.list_deliveries(empty_db, ADMIN)[0].status == "delivered"


def test_a_clerk_does_not_see_the_admin_page(qtbot, empty_db, settings):
    clerk = MainWindow(empty_db, Actor("pat", Role.CLERK), settings=settings)
    qtbot.addWidget(clerk)
    titles = [clerk.sidebar.item(i).text() for i in range(clerk.sidebar.count())]
    assert "Admin" not in titles and "Alerts" in titles
    with pytest.raises(PermissionDenied):
        tokens.list_tokens(empty_db, Actor("pat", Role.CLERK))
