"""The Audit page lists edits and stock moves by user, and stays empty for roles without reports."""

from __future__ import annotations

import pytest

from invdesk.domain.catalog import CreateProduct, EditProduct
from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import products
from invdesk.services.system.database import open_database
from invdesk.ui import background
from invdesk.ui.models.audit import Column
from invdesk.ui.pages.audit import AuditPage
from tests import support

BOSS = Actor("boss", Role.MANAGER)


@pytest.fixture
def db(shop_file_url):
    database = open_database(shop_file_url)
    support.warehouse(database)
    products.create_product(database, CreateProduct("CAB-1", "Cable", "Tools"), BOSS)
    products.edit_product(database, EditProduct("CAB-1", name="USB-C cable"), BOSS)
    support.stocked(database, "CAB-1", 12)
    yield database
    database.dispose()


def _loaded(qtbot, page):
    qtbot.waitUntil(lambda: background.default().busy == 0 and page.status.text() != "Loading…")


def _texts(page, column):
    model = page.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_the_audit_page_lists_edits_and_stock_moves_newest_first(qtbot, db):
    page = AuditPage(db, BOSS)
    qtbot.addWidget(page)
    assert page.status.text() == "Loading…"  # the read runs off the GUI thread
    _loaded(qtbot, page)

    assert page.TITLE == "Audit"
    assert _texts(page, Column.ACTION) == ["receive", "edit", "create", "create"]
    assert "name: Cable → USB-C cable" in _texts(page, Column.DETAILS)


def test_the_user_filter_narrows_the_list(qtbot, db):
    page = AuditPage(db, BOSS)
    qtbot.addWidget(page)
    _loaded(qtbot, page)
    page.user.setText("BOSS")

    page.refresh()
    _loaded(qtbot, page)

    assert set(_texts(page, Column.USER)) == {"boss"}
    assert page.status.text() == "2 entries."


def test_a_clerk_sees_why_the_page_is_empty(qtbot, db):
    page = AuditPage(db, Actor("ann", Role.CLERK))
    qtbot.addWidget(page)

    assert page.model.rowCount() == 0
    assert "cannot see the audit trail" in page.status.text()
    assert not page.refresh_button.isEnabled()
