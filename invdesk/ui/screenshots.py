"""`invdesk screenshots DIR`: every page and every dialog of the demo data, offscreen.

SHOTS is the one list of what is shot: a name and a factory that prepares the window and returns
the widget to grab. Add a dialog by adding a factory that opens it and returns it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from invdesk.domain.security import Actor, Role
from invdesk.services.demo import grain, loader
from invdesk.services.system.database import open_database
from invdesk.ui import background, document_shots, label_shots, purchasing_shots, transit_shots
from invdesk.ui.dialogs.gallery import dialog_shots
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages import PAGES, Page
from invdesk.ui.pages.counts import CountsPage
from invdesk.ui.pages.locations import LocationsPage
from invdesk.ui.pages.products import ProductsPage
from invdesk.ui.pages.stock import StockPage

SIZE = (1280, 800)
Factory = Callable[[MainWindow], QWidget]


def settle() -> None:
    """Let background reads finish and their results reach the widgets."""
    for _ in range(3):
        background.default().wait()
        QApplication.processEvents()


def _page(page_class: type[Page]) -> Factory:
    def show(window: MainWindow) -> QWidget:
        page = window.open_page(page_class)
        page.wait_for_jobs()  # pages with workers of their own (reports)
        QApplication.processEvents()
        return window

    return show


def _search_products(window: MainWindow) -> QWidget:
    page = window.open_page(ProductsPage)
    assert isinstance(page, ProductsPage)
    page.search.setText("usb")
    page.search.apply_now()
    return window


def _stock_of_shop(window: MainWindow) -> QWidget:
    page = window.open_page(StockPage)
    assert isinstance(page, StockPage)
    page.select_warehouse("SHOP")
    return window


def _locations(window: MainWindow) -> QWidget:
    warehouse = grain.WAREHOUSE  # the demo's bins (services.demo.grain)
    page = window.open_page(LocationsPage)
    assert isinstance(page, LocationsPage)
    page.warehouse.setCurrentIndex(max(0, page.warehouse.findData(warehouse)))
    page.refresh_rows()
    return window


def _stock_by_location(window: MainWindow) -> QWidget:
    warehouse = grain.WAREHOUSE
    page = window.open_page(StockPage)
    assert isinstance(page, StockPage)
    page.select_warehouse(warehouse)
    settle()
    page.by_grain.setChecked(True)
    return window


def _unknown_scan(window: MainWindow) -> QWidget:
    window.show_page(0)
    window.handle_scan("4006381333900")
    settle()
    prompt = window.actions_.prompt
    assert prompt is not None
    return prompt


def _count_sheet(window: MainWindow) -> QWidget:
    """A count of the cold aisle half done: lots short, over and right, one sold from since."""
    from invdesk.domain.counts import OpenCount, RecordCount
    from invdesk.domain.stock import IssueStock, Line
    from invdesk.services.counts import lines, sheets, variance
    from invdesk.services.stock import operations

    db, actor = window.db, window.actor
    sheet = sheets.open_count(db, OpenCount("MAIN", zone="B"), actor).id
    found = variance.variance(db, actor, sheet).uncounted
    for line, off in zip(found, (-3, 0, 1), strict=False):  # the last lot left uncounted
        counted = max(0, (line.on_hand or 0) + off)
        where = line.location or "-"
        lines.record_count(db, RecordCount(sheet, where, line.sku, counted, line.lot), actor)
    sold = found[1]
    operations.issue(db, IssueStock("MAIN", (Line(sold.sku, 1, lot=sold.lot),)), actor)
    page = window.open_page(CountsPage)
    assert isinstance(page, CountsPage)
    settle()
    count_window = page.open_sheet(sheet)
    settle()
    return count_window


SHOTS: dict[str, Factory] = {
    **{page.__name__.removesuffix("Page").lower(): _page(page) for page in PAGES},
    "products-search": _search_products,
    "stock-shop": _stock_of_shop,
    "locations": _locations,
    "stock-by-location": _stock_by_location,
    "scan-unknown": _unknown_scan,
    **transit_shots.SHOTS,
    "count-sheet": _count_sheet,
    "counts-list": _page(CountsPage),  # again, now that the shop's count is open
    **label_shots.SHOTS,
    **document_shots.SHOTS,
    **purchasing_shots.SHOTS,
}


def render(directory: str | Path, names: list[str] | None = None) -> list[Path]:
    """Render the shots of a fresh demo database (a temporary SQLite file) to PNG files."""
    from invdesk.ui.launch import make_app

    make_app(offscreen=True)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/loader.db")
        try:
            actor = Actor("anna", Role.ADMIN)  # an admin sees every page, the Admin page too
            loader.load_demo(db, actor)
            grain.load_where_and_which(db, actor)
            settings = QSettings(f"{tmp}/settings.ini", QSettings.Format.IniFormat)
            window = MainWindow(db, actor, settings=settings)
            window.resize(*SIZE)
            window.show()
            settle()
            for name, factory in SHOTS.items():
                if names and name not in names:
                    continue
                widget = factory(window)
                settle()
                path = out / f"{name}.png"
                widget.grab().save(str(path))
                written.append(path)
                if widget is not window:
                    widget.close()
            for name, dialog in dialog_shots(db, actor):
                if names and name not in names:
                    continue
                dialog.show()
                settle()
                path = out / f"{name}.png"
                dialog.grab().save(str(path))
                written.append(path)
                dialog.close()
            written += label_shots.pdf_shots(db, actor, out, names)
            window.close()
            settle()
        finally:
            db.dispose()
    return written
