"""The main window opens on a database and shows its stock."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from invdesk.domain.security import Actor
from invdesk.services.database import open_database
from invdesk.ui.main_window import MainWindow
from invdesk.ui.models.stock_levels import Column
from tests import support


def test_the_main_window_lists_stock_and_names_the_database(qtbot, tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/shop.db")
    try:
        support.warehouse(db)
        support.product(db, "CAB-1")
        support.stocked(db, "CAB-1", qty=1250)
        window = MainWindow(db, Actor("clerk"))
        qtbot.addWidget(window)
        window.show()
        model = window.model
        assert model.rowCount() == 1
        assert model.data(model.index(0, Column.SKU)) == "CAB-1"
        assert model.data(model.index(0, Column.AVAILABLE)) == "1,250"
        status = " ".join(label.text() for label in window.statusBar().findChildren(QLabel))
        assert "shop.db" in status and "clerk" in status
    finally:
        db.dispose()
