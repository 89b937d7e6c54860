"""Watched warehouses: the dialog stores each user's choice, and the tray only announces new
alerts of the warehouses that user watches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.catalog import watching
from invdesk.services.stock import operations, policies
from invdesk.ui import background
from invdesk.ui.dialogs.watched import WatchedWarehousesDialog
from invdesk.ui.live import TrayNotifier
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages.alerts import AlertsPage
from tests import support

ANN = Actor("ann", Role.CLERK)


@pytest.fixture
def shops(db):
    for code in ("EAST", "MAIN"):
        support.warehouse(db, code)
        policies.set_policy(
            db, SetPolicy(code, PolicyRule(PolicyKind.MIN_MAX, point=10, level=40)), SYSTEM
        )
    support.product(db, "A")
    support.stocked(db, "A", qty=20, wh="EAST")
    support.stocked(db, "A", qty=20, wh="MAIN")
    return db


def test_the_dialog_ticks_every_warehouse_by_default_and_saves_the_choice(qtbot, shops, tmp_path):
    dialog = WatchedWarehousesDialog(shops, ANN)
    qtbot.addWidget(dialog)
    dialog.show()
    assert list(dialog.boxes) == ["EAST", "MAIN"]
    assert all(box.isChecked() for box in dialog.boxes.values())
    dialog.grab().save(str(tmp_path / "watched.png"))
    dialog.boxes["EAST"].setChecked(False)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0].codes == ("MAIN",)
    assert watching.watched_warehouses(shops, ANN).codes == ("MAIN",)
    again = WatchedWarehousesDialog(shops, ANN)
    qtbot.addWidget(again)
    assert not again.boxes["EAST"].isChecked() and again.boxes["MAIN"].isChecked()


def test_unticking_everything_is_refused_in_the_dialog(qtbot, shops):
    watching.set_watched_warehouses(shops, ANN, ["EAST"])
    dialog = WatchedWarehousesDialog(shops, ANN)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.none_button.click()
    dialog.save()
    assert dialog.isVisible()
    assert "at least one" in dialog.error.text()
    assert watching.watched_warehouses(shops, ANN).codes == ("EAST",)


def test_the_tray_announces_only_alerts_of_watched_warehouses(qtbot, shops):
    watching.set_watched_warehouses(shops, ANN, ["MAIN"])
    tray = TrayNotifier(shops, ANN)
    operations.issue(
        shops, IssueStock("EAST", (Line("A", 15),)), SYSTEM
    )  # low in EAST: not watched
    assert tray.check() == 0
    operations.issue(shops, IssueStock("MAIN", (Line("A", 20),)), SYSTEM)
    with qtbot.waitSignal(tray.shown) as shown:
        assert tray.check() == 1
    assert shown.args[0] == "Out of stock" and "MAIN" in shown.args[1]
    watching.set_watched_warehouses(shops, ANN, ["EAST", "MAIN"])  # back to every warehouse
    operations.issue(shops, IssueStock("EAST", (Line("A", 5),)), SYSTEM)  # EAST now out of stock
    assert tray.check() == 1


def test_the_alerts_page_opens_the_dialog(qtbot, shops, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(shops, ANN, settings=settings)
    qtbot.addWidget(window)
    try:
        page = window.open_page(AlertsPage)
        page.watch_button.click()
        dialog = window.findChild(WatchedWarehousesDialog)
        assert dialog is not None and dialog.isVisible()
        menu = [a for a in window.file_actions if a.text() == "&Watched warehouses…"]
        assert len(menu) == 1
    finally:
        window.close()
        background.default().wait()
