"""The main window: pages, status bar, settings, toolbar actions and the dialogs contract, scans."""

from __future__ import annotations

import time
from typing import ClassVar

import pytest
import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QTableWidget

from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import StockResult
from invdesk.ui import background
from invdesk.ui import dialogs as real_dialogs
from invdesk.ui.help_menu import page_shortcut, shortcuts_dialog
from invdesk.ui.main_window import MainWindow
from invdesk.ui.pages import PAGES
from invdesk.ui.pages.admin import AdminPage
from invdesk.ui.pages.dashboard import DashboardPage
from invdesk.ui.pages.products import ProductsPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.pages.warehouses import WarehousesPage
from tests.ui.conftest import CLERK, SKUS


class FakeDialog(QDialog):
    """Stands in for the dialogs of invdesk.ui.dialogs, with their constructor and signals."""

    posted = Signal(object)
    saved = Signal(object)
    made: ClassVar[list[FakeDialog]] = []

    def __init__(self, db, actor, parent=None, **kwargs):
        super().__init__(parent)
        self.kwargs, self.scans = kwargs, []
        FakeDialog.made.append(self)

    def handle_scan(self, code: str) -> bool:
        self.scans.append(code)
        return code != "BAD"


@pytest.fixture
def dialogs(monkeypatch):
    names = ("ReceiveDialog", "IssueDialog", "TransferDialog", "ReturnDialog", "AdjustDialog")
    for name in (*names, "ProductEditor", "WarehouseEditor"):
        monkeypatch.setattr(real_dialogs, name, type(name, (FakeDialog,), {}))
    FakeDialog.made = []
    yield FakeDialog.made
    for dialog in FakeDialog.made:
        if shiboken6.isValid(dialog):  # the window closes (and deletes) what it opened
            dialog.close()


def loaded(qtbot, window):
    qtbot.waitUntil(lambda: background.default().busy == 0)


def goto(qtbot, window: MainWindow, page_class) -> object:
    page = window.open_page(page_class)
    loaded(qtbot, window)
    return page


def test_a_clerk_does_not_see_the_audit_page(qtbot, shop_db, settings):
    clerk = MainWindow(shop_db, Actor("pat", Role.CLERK), settings=settings)
    qtbot.addWidget(clerk)
    titles = [clerk.sidebar.item(i).text() for i in range(clerk.sidebar.count())]
    assert "Audit" not in titles and "Stock" in titles
    assert not any(action.isEnabled() for action in clerk.backup_actions)
    assert not clerk.new_product.isEnabled() and not clerk.new_warehouse.isEnabled()
    assert clerk.stock_actions["receive"].isEnabled()
    imports = [a for a in clerk.file_actions if a.text().startswith("Import")]
    assert imports and not any(a.isEnabled() for a in imports)


def test_the_side_bar_lists_every_page_and_the_status_bar_names_database_and_user(window):
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [
        "Dashboard", "Products", "Stock", "Warehouses", "Movements", "Reservations", "Orders",
        "Alerts", "Reorder", "Reports", "Audit", "Users", "Locations", "Transit", "Traceability",
        "Count sheets", "Suppliers", "Purchase orders",
    ]  # fmt: skip
    assert window.page_classes == [page for page in PAGES if page is not AdminPage]  # a manager
    assert [type(p) for p in window.pages] == [DashboardPage]  # the others when first shown
    status = " ".join(label.text() for label in window.statusBar().findChildren(QLabel))
    assert "shop.db" in status and "clerk" in status


def test_each_page_shows_the_database(qtbot, window):
    dashboard = goto(qtbot, window, DashboardPage)
    assert dashboard.values["products"].text() == str(len(SKUS))
    products = goto(qtbot, window, ProductsPage)
    assert products.model.rowCount() == len(SKUS)
    stock = goto(qtbot, window, StockPage)
    assert stock.model.rowCount() == 11
    warehouses = goto(qtbot, window, WarehousesPage)
    rows = [warehouses.model.row_at(r) for r in range(warehouses.model.rowCount())]
    assert [r.code for r in rows] == ["MAIN", "SHOP"]
    assert rows[0].units == sum(n * 10 for n in range(1, 11))
    for number in range(len(window.page_classes)):
        window.show_page(number)
        loaded(qtbot, window)
    assert [type(page) for page in window.pages] == window.page_classes


def test_the_window_remembers_its_page_and_column_widths(qtbot, shop_db, settings):
    first = MainWindow(shop_db, CLERK, settings=settings)
    qtbot.addWidget(first)
    products = goto(qtbot, first, ProductsPage)
    products.table.setColumnWidth(1, 333)
    loaded(qtbot, first)
    first.close()

    second = MainWindow(shop_db, CLERK, settings=settings)
    qtbot.addWidget(second)
    loaded(qtbot, second)
    assert isinstance(second.current_page(), ProductsPage)
    assert second.current_page().table.columnWidth(1) == 333
    second.close()


def test_shortcuts_follow_the_desk_conventions(window):
    shortcuts = {name: a.shortcut().toString() for name, a in window.stock_actions.items()}
    assert shortcuts == {
        "receive": "Ctrl+R", "issue": "Ctrl+I", "transfer": "Ctrl+T",
        "return": "Ctrl+Shift+R", "adjust": "Ctrl+J",
    }  # fmt: skip
    assert window.new_product.shortcut().toString() == "Ctrl+N"
    assert window.refresh_action.shortcut().toString() == "F5"


def test_f2_puts_the_cursor_in_the_scan_field(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is window.scan_field


def test_a_stock_action_opens_its_dialog_and_a_posting_refreshes_the_views(qtbot, window, dialogs):
    stock = goto(qtbot, window, StockPage)
    stock.select_warehouse("SHOP")
    loaded(qtbot, window)
    stock.table.selectRow(0)

    window.stock_actions["receive"].trigger()

    (dialog,) = dialogs
    assert type(dialog).__name__ == "ReceiveDialog"
    assert dialog.kwargs == {"warehouse": "SHOP", "lines": ()}  # nothing unscanned on it
    assert dialog.isVisible()
    with qtbot.waitSignal(window.data_changed) as changed:
        dialog.posted.emit(StockResult("r-1", ()))
    assert changed.args == ["stock"]


def test_receive_this_product_opens_a_document_with_it(qtbot, window, dialogs):
    stock = goto(qtbot, window, StockPage)
    stock.select_warehouse("SHOP")
    loaded(qtbot, window)
    stock.table.selectRow(0)
    stock.table.customContextMenuRequested.emit(
        stock.table.visualRect(stock.model.index(0, 0)).center()
    )
    (menu,) = [m for m in stock.table.findChildren(QMenu) if m.isVisible()]
    (receive,) = [a for a in menu.actions() if a.text() == "&Receive this product"]
    receive.trigger()
    (dialog,) = dialogs
    assert dialog.kwargs == {"warehouse": "SHOP", "lines": (("P-002", 1),)}


def test_every_page_has_a_title_and_a_shortcut(qtbot, window):
    keys = {a.shortcut().toString() for a in window.actions()}
    for number, page_class in enumerate(window.page_classes):
        window.show_page(number)
        shown = window.stack.currentWidget()
        titles = [label.text() for label in shown.findChildren(QLabel, "pageTitle")]
        assert page_class.TITLE in titles, page_class
        assert f"({page_shortcut(number)})" in window.sidebar.item(number).toolTip()
        assert page_shortcut(number) in keys
    loaded(qtbot, window)


def test_help_and_session_are_in_the_menus(window):
    texts = {a.text() for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()}
    assert {"&Keyboard shortcuts", "&About invdesk", "&Log out", "&Quit", "S&canner…"} <= texts
    dialog = shortcuts_dialog(window)
    table = dialog.findChild(QTableWidget)
    rows = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert {"Receive", "Audit", "Log out", "Post the document"} <= rows


def test_a_scan_goes_to_the_open_stock_dialog(qtbot, window, dialogs):
    window.stock_actions["issue"].trigger()
    (dialog,) = dialogs

    window.scanner.scanned.emit("4006381333931")
    window.scanner.scanned.emit("BAD")

    assert dialog.scans == ["4006381333931", "BAD"]
    assert window.scan_field.property("scan") == "bad"


def test_the_scan_field_looks_a_barcode_up_and_opens_the_product(qtbot, window, dialogs):
    window.scan_field.setText("14006381333938")
    window.scan_field.returnPressed.emit()
    loaded(qtbot, window)

    products = window.current_page()
    assert isinstance(products, ProductsPage)
    assert [products.model.row_at(r).sku for r in range(products.model.rowCount())] == ["P-001"]
    assert window.scan_field.property("scan") == "good"
    assert "case of 12" in window.statusBar().currentMessage()
    (editor,) = dialogs
    assert type(editor).__name__ == "ProductEditor" and editor.kwargs["sku"] == "P-001"


def test_a_scan_anywhere_without_a_dialog_is_looked_up(qtbot, window):
    window.scanner.scanned.emit("P-007")
    loaded(qtbot, window)
    assert window.current_page().selected_sku() == "P-007"


def test_an_unknown_code_says_so_and_offers_to_attach_it(qtbot, window, dialogs):
    window.scanner.scanned.emit("4006381333900")

    prompt = window.actions_.prompt
    assert prompt is not None and prompt.isVisible()
    assert "4006381333900" in prompt.text()
    assert window.scan_field.property("scan") == "bad"
    attach = next(b for b in prompt.buttons() if b.text().startswith("Attach"))
    attach.click()
    (editor,) = dialogs
    assert type(editor).__name__ == "ProductEditor"
    assert editor.kwargs == {"sku": None, "barcode": "4006381333900"}
    with qtbot.waitSignal(window.data_changed) as changed:
        editor.saved.emit(object())
    assert changed.args == ["products"]


def test_double_click_opens_the_warehouse_editor(qtbot, window, dialogs):
    page = goto(qtbot, window, WarehousesPage)
    page.table.activated.emit(page.model.index(1, 0))
    (editor,) = dialogs
    assert type(editor).__name__ == "WarehouseEditor" and editor.kwargs == {"code": "SHOP"}


def test_clicking_a_header_sorts_in_sql_and_unsortable_columns_keep_the_order(qtbot, window):
    from invdesk.ui.models.products import Column

    products = goto(qtbot, window, ProductsPage)
    header = products.table.horizontalHeader()

    header.setSortIndicator(Column.SKU, Qt.SortOrder.DescendingOrder)
    loaded(qtbot, window)
    assert products.model.row_at(0).sku == SKUS[-1]

    header.setSortIndicator(Column.CATEGORY, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == Column.SKU
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_typing_in_the_search_box_filters_after_a_pause(qtbot, window):
    from invdesk.ui.widgets import SEARCH_DELAY_MS

    products = goto(qtbot, window, ProductsPage)
    typed: list[float] = []
    searched: list[tuple[float, str]] = []
    products.search.textChanged.connect(lambda _text: typed.append(time.monotonic()))
    products.search.search_changed.connect(lambda text: searched.append((time.monotonic(), text)))
    qtbot.keyClicks(products.search, "p-02")  # machine-fast: held by the scan detector...
    qtbot.waitUntil(lambda: products.search.text() == "p-02")  # ...and replayed, no Enter
    qtbot.waitUntil(lambda: bool(searched), timeout=10 * SEARCH_DELAY_MS)
    # One search, for the whole text, once the typing had paused for the delay.
    assert [text for _at, text in searched] == ["p-02"]
    assert typed and searched[0][0] - typed[-1] >= SEARCH_DELAY_MS / 1000 * 0.9
    loaded(qtbot, window)
    assert products.model.rowCount() == 4
    assert products.status.text() == "4 products"


def test_the_movements_page_filters_by_kind_warehouse_and_dates(qtbot, window):
    from invdesk.ui.pages.movements import MovementsPage

    page = goto(qtbot, window, MovementsPage)
    assert page.model.rowCount() == 11
    page.warehouse.setCurrentIndex(page.warehouse.findData("SHOP"))
    loaded(qtbot, window)
    assert page.model.rowCount() == 1

    page.warehouse.setCurrentIndex(0)
    page.dated.setChecked(True)
    loaded(qtbot, window)
    assert page.model.rowCount() == 11  # the last 30 days
    page.until.setDate(page.until.date().addDays(-1))
    page.since.setDate(page.until.date().addDays(-5))
    loaded(qtbot, window)
    assert page.model.rowCount() == 0
    assert "0 movements" in page.status.text()


def test_a_scan_while_a_question_is_open_closes_nothing_and_is_refused(qtbot, window):
    window.activateWindow()
    window.scanner.scanned.emit("UNKNOWN-1")
    first = window.actions_.prompt
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is first)
    window.scanner.scanned.emit("P-002")

    assert first.isVisible() and window.actions_.prompt is first
    assert "UNKNOWN-1" in first.text()
    assert window.scan_field.property("scan") == "bad"
    assert window.actions_.open_dialogs == []  # P-002 did not open behind the question


def test_export_writes_every_row_of_the_table_on_screen_not_just_the_loaded_page(
    qtbot, window, tmp_path
):
    from invdesk.ui.window_wiring import export_current_table

    page = goto(qtbot, window, ProductsPage)
    page.model.page_size = 5  # 23 products: five pages, one of them loaded
    page.model.reload()
    loaded(qtbot, window)
    written = export_current_table(window, str(tmp_path / "products.csv"))
    assert written == len(SKUS)
    lines = (tmp_path / "products.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("P-001") and lines[-1].startswith("P-023")
