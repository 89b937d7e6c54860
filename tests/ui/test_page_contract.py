"""Every page keeps the one page contract the window talks to (no probing for attributes)."""

from __future__ import annotations

from invdesk.ui.pages import PAGES
from invdesk.ui.pages.base import Page, TitledPage
from invdesk.ui.pages.products import ProductsPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.pages.users import UsersPage


def test_every_page_derives_from_the_page_base():
    assert PAGES and all(issubclass(page, Page) for page in PAGES)
    assert all(page.TITLE and page.ICON for page in PAGES)


def test_a_live_change_reaches_only_the_pages_that_show_its_kind(window):
    products = window.open_page(ProductsPage)
    users = window.page(UsersPage)
    assert products.follows(frozenset({"catalog"})) and not products.follows(frozenset({"alert"}))
    assert users.KINDS is None and users.follows(frozenset({"alert"}))
    number = window.page_classes.index(UsersPage)
    window._stale.discard(number)
    window.live_wiring.on_changed(frozenset({"alert"}), {})
    assert number in window._stale  # hidden: read again when next shown


def test_the_window_asks_pages_through_the_contract(window):
    stock = window.open_page(StockPage)
    assert isinstance(stock, TitledPage) and stock.search_box() is stock.search
    assert stock.product_table() is stock.table
    users = window.open_page(UsersPage)
    assert users.search_box() is None and users.product_table() is None
    assert users.parentWidget() is not window.stack  # framed under a title by the window
    window.focus_search()  # no search box: nothing happens, nothing raises
