"""Live GUI pieces: another client's receive shows up without a click; the alert, order,
reorder and dashboard pages and the policy editor drive their services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from invdesk.db.engine import Database
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.stock import operations, orders, policies
from invdesk.ui import background
from invdesk.ui.live import LiveUpdates, TrayNotifier
from invdesk.ui.main_window import MainWindow
from invdesk.ui.models.stock_levels import Column, StockLevelModel
from invdesk.ui.pages.alerts import AlertsPage
from invdesk.ui.pages.dashboard import DashboardPage
from invdesk.ui.pages.orders import OrdersPage
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.policy_editor import PolicyEditor
from tests import support

CLERK = Actor("clerk", Role.CLERK)
MANAGER = Actor("boss", Role.MANAGER)


@pytest.fixture
def two_clients(db_url):
    writer, reader = Database.open(db_url), Database.open(db_url)
    support.warehouse(writer)
    support.product(writer, "A")
    support.stocked(writer, "A", qty=5)
    yield writer, reader
    writer.dispose()
    reader.dispose()


def _available(model: StockLevelModel) -> str | None:
    return model.data(model.index(0, Column.AVAILABLE)) if model.rowCount() else None


def test_a_receive_on_one_pc_appears_in_the_others_stock_table(
    qtbot, two_clients, db_url, tmp_path
):
    writer, reader = two_clients
    writer_live = LiveUpdates(writer)  # the writing app sends the hint after its commit
    settings = QSettings(str(tmp_path / "reader.ini"), QSettings.Format.IniFormat)
    window = MainWindow(reader, MANAGER, settings=settings)  # the other PC, on its Stock page
    qtbot.addWidget(window)
    window.show()
    page = window.open_page(StockPage)
    try:
        qtbot.waitUntil(lambda: window.live.online and _available(page.model) == "5", timeout=5000)
        support.stocked(writer, "A", qty=7)
        limit = 1000 if db_url.startswith("postgresql") else 1500
        qtbot.waitUntil(lambda: _available(page.model) == "12", timeout=limit)
    finally:
        window.close()
        background.default().wait()
        writer_live.close()


@pytest.fixture
def shop(db):
    support.warehouse(db)
    support.product(db, "A")
    support.product(db, "B")
    support.stocked(db, "A", qty=20)
    support.stocked(db, "B", qty=20)
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.MIN_MAX, point=10, level=40)), SYSTEM
    )
    return db


def test_alerts_page_lists_acknowledges_and_counts_the_badge(qtbot, qtmodeltester, shop):
    page = AlertsPage(shop, CLERK)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):  # read off the GUI thread
        pass
    assert page.model.rowCount() == 0
    operations.issue(shop, IssueStock("MAIN", (Line("A", 15),)), SYSTEM)
    with qtbot.waitSignal(page.badge_changed) as badge:
        page.on_changed(frozenset({"alert"}), {})
    assert badge.args == [1]
    qtmodeltester.check(page.model)
    page.table.selectRow(0)
    assert page.acknowledge_button.isEnabled()
    with qtbot.waitSignal(page.badge_changed) as badge:
        page.acknowledge_selected()
    assert badge.args == [0]
    assert page.model.row_at(0).status.value == "acknowledged"


def test_tray_notifier_announces_new_alerts_once(qtbot, shop):
    tray = TrayNotifier(shop, CLERK, watched=("MAIN",))
    operations.issue(shop, IssueStock("MAIN", (Line("B", 20),)), SYSTEM)
    with qtbot.waitSignal(tray.shown) as shown:
        assert tray.check() == 1
    assert shown.args[0] == "Out of stock"
    assert tray.check() == 0


def test_orders_page_fulfils_the_selected_order(qtbot, shop):
    orders.place_order(shop, PlaceOrder("W-1", "MAIN", (OrderLine("A", 2),)), SYSTEM)
    page = OrdersPage(shop, CLERK)
    qtbot.addWidget(page)
    assert page.orders_model.rowCount() == 0  # read off the GUI thread: not there yet
    qtbot.waitUntil(lambda: page.orders_model.rowCount() == 1)
    assert page.reservations_model.rowCount() == 1
    assert "h" in page.orders_model.data(page.orders_model.index(0, 7))
    page.orders_table.selectRow(0)
    assert page.fulfil_button.isEnabled()
    with qtbot.waitSignal(page.loaded):
        page.fulfil_button.click()
    assert page.orders_model.row_at(0).status.value == "fulfilled"
    assert support.on_hand(shop, "A") == (18, 0)


def test_reorder_page_turns_a_suggestion_into_a_receive_request(qtbot, shop):
    operations.issue(shop, IssueStock("MAIN", (Line("A", 15),)), SYSTEM)
    page = ReorderPage(shop, CLERK)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)  # read off the GUI thread
    page.table.selectRow(0)
    with qtbot.waitSignal(page.receive_requested) as request:
        page.act_button.click()
    assert request.args == ["MAIN", "A", 35]


def test_dashboard_shows_the_kpis_and_refreshes_on_change(qtbot, shop):
    page = DashboardPage(shop, CLERK)
    qtbot.addWidget(page)
    page.refresh()
    background.default().wait()
    qtbot.waitUntil(lambda: page.kpi_labels["below_threshold"].text() == "0")
    operations.issue(shop, IssueStock("MAIN", (Line("A", 15),)), SYSTEM)
    page.on_changed(frozenset({"stock"}), {})
    background.default().wait()
    qtbot.waitUntil(lambda: page.kpi_labels["below_threshold"].text() == "1")
    assert page.kpi_labels["below_threshold"].text() == "1"
    assert page.kpi_labels["open_alerts"].text() == "1"
    assert page.movements_model.rowCount() >= 1
    assert page.alerts_model.rowCount() == 1


def test_policy_editor_saves_for_managers_and_is_read_only_for_clerks(qtbot, shop):
    editor = PolicyEditor(shop, MANAGER, "MAIN")
    qtbot.addWidget(editor)
    assert editor.model.rowCount() == 1
    editor.scope.setCurrentIndex(2)  # product
    editor.sku.setText("A")
    editor.kind.setCurrentIndex(0)  # reorder point
    editor.spins["point"].setValue(25)
    editor.spins["qty"].setValue(50)
    with qtbot.waitSignal(editor.saved, timeout=1000):
        editor.save()
        assert editor.error.text() == ""
    assert editor.model.rowCount() == 2
    editor.spins["qty"].setValue(0)
    editor.save()
    assert "reorder quantity" in editor.error.text()
    clerk = PolicyEditor(shop, CLERK, "MAIN")
    qtbot.addWidget(clerk)
    assert not clerk.save_button.isEnabled()


def test_a_killed_listener_connection_shows_offline_then_catches_up(qtbot, pg_url):
    from sqlalchemy import text

    db = Database.open(pg_url)
    updates = LiveUpdates(db, notify_others=False)
    try:
        qtbot.waitUntil(lambda: updates.online, timeout=5000)
        pid = updates.backend_pid
        with (
            qtbot.waitSignal(
                updates.online_changed, timeout=5000, check_params_cb=lambda online: not online
            ) as offline,
            db.engine.connect() as conn,
        ):
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
        assert offline.args == [False]
        with qtbot.waitSignals([updates.online_changed, updates.changed], timeout=10_000):
            pass
        assert updates.online
    finally:
        updates.close()
        db.dispose()


def test_the_sweep_timer_expires_overdue_orders(qtbot, shop):
    from datetime import timedelta

    from invdesk.ui.live import SweepTimer

    orders.place_order(
        shop, PlaceOrder("W-2", "MAIN", (OrderLine("A", 2),), ttl_seconds=60), SYSTEM
    )
    later = shop.now() + timedelta(minutes=2)
    shop.clock = lambda: later
    sweeper = SweepTimer(shop, CLERK, interval_ms=10)
    with qtbot.waitSignal(sweeper.swept) as swept:
        pass
    assert swept.args == [1]
    sweeper.timer.stop()
    assert support.on_hand(shop, "A") == (20, 0)
    assert policies.effective_policy(shop, CLERK, "A", "MAIN")[1].kind is PolicyKind.MIN_MAX


def test_alerts_page_reads_off_the_gui_thread_and_keeps_the_selected_alert(qtbot, shop):
    operations.issue(shop, IssueStock("MAIN", (Line("A", 15),)), SYSTEM)
    page = AlertsPage(shop, CLERK)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0  # not read on the GUI thread
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    operations.issue(shop, IssueStock("MAIN", (Line("B", 20),)), SYSTEM)  # a newer alert, on top
    with qtbot.waitSignal(page.loaded):
        page.on_changed(frozenset({"alert"}), {})
    assert page.model.rowCount() == 2
    assert page.selected().sku == "A"
