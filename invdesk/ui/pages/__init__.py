"""The pages of the main window, in side-bar order. Swap a class here to replace a page.

A page is a QWidget taking (db, actor, parent) with a TITLE, an ICON and refresh(); it may offer
PERMISSION (who sees it), on_changed(kinds, ids) for live updates, tables() for remembered
column widths, and the open_product / open_warehouse signals of `Page`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from invdesk.ui.pages.admin import AdminPage
from invdesk.ui.pages.alerts import AlertsPage
from invdesk.ui.pages.audit import AuditPage
from invdesk.ui.pages.dashboard import DashboardPage
from invdesk.ui.pages.movements import MovementsPage
from invdesk.ui.pages.orders import OrdersPage
from invdesk.ui.pages.products import ProductsPage
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.reports import ReportsPage
from invdesk.ui.pages.reservations import ReservationsPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.pages.users import UsersPage
from invdesk.ui.pages.warehouses import WarehousesPage
from invdesk.ui.widgets import Page

PAGES: list[type[Page] | type[QWidget]] = [
    DashboardPage,
    ProductsPage,
    StockPage,
    WarehousesPage,
    MovementsPage,
    ReservationsPage,
    OrdersPage,
    AlertsPage,
    ReorderPage,
    ReportsPage,
    AuditPage,
    UsersPage,
    AdminPage,
]

__all__ = ["PAGES", "Page"]
