"""The pages of the main window, in side-bar order. Swap a class here to replace a page.

Every page derives from `Page` (pages/base.py), the typed contract the window relies on:
(db, actor, parent), TITLE, ICON, PERMISSION, KINDS, refresh(), on_changed(kinds, ids), tables()
and the rest, each with a default.
"""

from __future__ import annotations

from invdesk.ui.pages.admin import AdminPage
from invdesk.ui.pages.alerts import AlertsPage
from invdesk.ui.pages.audit import AuditPage
from invdesk.ui.pages.base import Page
from invdesk.ui.pages.counts import CountsPage
from invdesk.ui.pages.dashboard import DashboardPage
from invdesk.ui.pages.locations import LocationsPage
from invdesk.ui.pages.movements import MovementsPage
from invdesk.ui.pages.orders import OrdersPage
from invdesk.ui.pages.products import ProductsPage
from invdesk.ui.pages.purchase_orders import PurchaseOrdersPage
from invdesk.ui.pages.reorder import ReorderPage
from invdesk.ui.pages.reports import ReportsPage
from invdesk.ui.pages.reservations import ReservationsPage
from invdesk.ui.pages.stock import StockPage
from invdesk.ui.pages.suppliers import SuppliersPage
from invdesk.ui.pages.trace import TracePage
from invdesk.ui.pages.transit import TransitPage
from invdesk.ui.pages.users import UsersPage
from invdesk.ui.pages.warehouses import WarehousesPage

PAGES: list[type[Page]] = [
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
    # Last: a page added later keeps every earlier page on its shortcut (Ctrl+1 ... Alt+n).
    LocationsPage,
    TransitPage,
    TracePage,
    CountsPage,
    SuppliersPage,
    PurchaseOrdersPage,
]

__all__ = ["PAGES", "Page"]
