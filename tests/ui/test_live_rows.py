"""Live updates re-read only the rows a hint names: dataChanged for them, no model reset, so the
selection and scroll position stay; a row leaving the query reads the page again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.stock import operations
from invdesk.ui.models.products import Column as ProductColumn
from invdesk.ui.models.products import ProductTableModel
from invdesk.ui.models.stock_levels import Column, StockLevelModel
from invdesk.ui.pages.stock import StockPage
from tests import support

CLERK = Actor("clerk", Role.CLERK)


@pytest.fixture
def shop(db):
    support.warehouse(db)
    for sku in ("A", "B", "C"):
        support.product(db, sku)
        support.stocked(db, sku, qty=10)
    return db


def _resets(model):
    seen = []
    model.modelReset.connect(lambda: seen.append("reset"))
    return seen


def test_a_hint_for_one_stock_row_updates_that_row_without_a_reset(qtbot, qtmodeltester, shop):
    model = StockLevelModel(shop, CLERK)
    model.reload()
    b = model.row_at(1)
    assert (b.sku, model.data(model.index(1, Column.AVAILABLE))) == ("B", "10")
    operations.issue(shop, IssueStock("MAIN", (Line("B", 3),)), SYSTEM)
    resets = _resets(model)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_levels([(b.product_id, b.warehouse_id)])
    assert resets == []
    first, last = changed.args[:2]
    assert (first.row(), last.row()) == (1, 1)
    assert model.data(model.index(1, Column.AVAILABLE)) == "7"
    assert model.data(model.index(0, Column.AVAILABLE)) == "10"
    qtmodeltester.check(model)


def test_a_hint_for_a_row_that_leaves_the_query_reads_the_page_again(qtbot, shop):
    model = StockLevelModel(shop, CLERK)
    model.reload()
    b = model.row_at(1)
    operations.issue(shop, IssueStock("MAIN", (Line("B", 10),)), SYSTEM)  # empty: hidden by default
    with qtbot.waitSignal(model.modelReset):
        model.refresh_levels([(b.product_id, b.warehouse_id)])
    assert [model.row_at(n).sku for n in range(model.rowCount())] == ["A", "C"]


def test_a_hint_for_one_product_updates_its_row_in_the_catalogue(qtbot, shop):
    model = ProductTableModel(shop, CLERK)
    model.reload()
    c = model.row_at(2)
    operations.issue(shop, IssueStock("MAIN", (Line("C", 4),)), SYSTEM)
    resets = _resets(model)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_rows([c.id])
    assert resets == [] and changed.args[0].row() == 2
    assert model.data(model.index(2, ProductColumn.ON_HAND)) == "6"


def test_the_stock_page_keeps_its_selection_through_a_live_update(qtbot, shop):
    page = StockPage(shop, CLERK)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(2)
    c = page.model.row_at(2)
    operations.issue(shop, IssueStock("MAIN", (Line("C", 1),)), SYSTEM)
    with qtbot.waitSignal(page.model.dataChanged):
        page.on_changed(frozenset({"stock"}), {"stock": ((c.product_id, c.warehouse_id),)})
    assert page.selected_sku() == "C"
    assert page.model.data(page.model.index(2, Column.AVAILABLE)) == "9"


def test_a_reload_after_a_row_left_keeps_the_selected_row_selected(qtbot, shop):
    page = StockPage(shop, CLERK)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(2)
    b = page.model.row_at(1)
    operations.issue(shop, IssueStock("MAIN", (Line("B", 10),)), SYSTEM)  # B leaves the list
    with qtbot.waitSignal(page.model.loaded):
        page.on_changed(frozenset({"stock"}), {"stock": ((b.product_id, b.warehouse_id),)})
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.selected_sku() == "C"


def test_an_alert_change_leaves_the_open_stock_table_alone(qtbot, shop, tmp_path):
    from PySide6.QtCore import QSettings

    from invdesk.ui import background
    from invdesk.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(shop, CLERK, settings=settings)
    qtbot.addWidget(window)
    try:
        page = window.open_page(StockPage)
        qtbot.waitUntil(lambda: page.model.rowCount() == 3)
        resets = _resets(page.model)
        window.live_wiring.on_changed(frozenset({"alert"}), {"alert": (1,)})
        background.default().wait()
        QCoreApplication.processEvents()  # what the finished reads sent back has arrived
        assert resets == []
    finally:
        window.close()
        background.default().wait()
