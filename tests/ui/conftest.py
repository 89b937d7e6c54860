"""UI fixtures: a small stocked SQLite database, a main window with private settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from invdesk.domain.security import Actor, Role
from invdesk.services.system.database import Database, open_database
from invdesk.ui import background
from invdesk.ui.main_window import MainWindow
from tests import support

CLERK = Actor("clerk", Role.MANAGER)
SKUS = [f"P-{n:03d}" for n in range(1, 24)]  # 23 products: several pages of 5


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Before any fixture closes a database: finish the background reads a test left running,
    and those their results start (a re-read asked for meanwhile, a count after a first page)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    for _ in range(10):
        background.default().wait()
        if app is not None:
            app.processEvents()
        if not background.default().busy:
            break
    yield


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread(qapp) -> Iterator[None]:
    """As in the app: cycles are collected on the GUI thread only (a collection in a background
    job's thread that frees a Qt object crashes the process); automatic again after the test."""
    from invdesk.ui import collector

    found = collector.install(qapp)
    yield
    found.stop()


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch) -> None:
    """Document drafts go to the test's own folder, never the user's."""
    from invdesk.ui.drafts import ENV_DATA_DIR

    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))


@pytest.fixture
def empty_db(shop_file_url) -> Iterator[Database]:
    db = open_database(shop_file_url)
    yield db
    background.default().wait()
    db.dispose()


@pytest.fixture
def shop_db(empty_db: Database) -> Database:
    """MAIN and SHOP; 23 products (P-001 has barcode 4006381333931 and a case of 12); stock."""
    support.warehouse(empty_db, "MAIN")
    support.warehouse(empty_db, "SHOP")
    for n, sku in enumerate(SKUS, start=1):
        barcodes = (("4006381333931", 1), ("14006381333938", 12)) if n == 1 else ()
        support.product(empty_db, sku, barcodes=barcodes, category="Tools" if n % 2 else "Office")
        if n <= 10:
            support.stocked(empty_db, sku, qty=n * 10)
    support.stocked(empty_db, "P-002", qty=5, wh="SHOP")
    return empty_db


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, shop_db: Database, settings: QSettings) -> Iterator[MainWindow]:
    # A window or message box an earlier test left open in this process would be "in front" and
    # take the scans this window's tests send: close them, and make this window the active one.
    # hide(), not close(): a stock document with lines refuses close() (it asks first).
    for stray in QApplication.topLevelWidgets():
        if stray.isVisible():
            stray.hide()
    win = MainWindow(shop_db, CLERK, settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    yield win
    background.default().wait()
