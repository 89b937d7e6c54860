"""Dashboard: headline figures, the newest alerts and the latest movements, kept live."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QTableView, QWidget

from invdesk.domain.browse import DashboardSummary
from invdesk.domain.security import Actor
from invdesk.services.reads import browse, dashboard
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.integrity import IntegrityBanner
from invdesk.ui.models.columns import ListTableModel
from invdesk.ui.models.movements import HEADERS, NUMERIC, WIDTHS, Column, display
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import table
from invdesk.ui.widgets import card, make_table, set_widths

CARDS = (
    ("products", "Active products", ""),
    ("warehouses", "Warehouses", ""),
    ("units", "Units on hand", ""),
    ("value", "Stock value (at average cost)", ""),
    ("today", "Movements in the last 24 hours", "good"),
    ("holds", "Open reservations", ""),
    ("out", "Products out of stock everywhere", "bad"),
    ("below_threshold", "Stock rows below their threshold", "bad"),
    ("open_alerts", "Open alerts", "bad"),
    ("open_orders", "Open orders", ""),
)
ALERT_COLUMNS = (
    ("Raised", lambda a: f"{a.raised_at.astimezone():%Y-%m-%d %H:%M}"),
    ("Warehouse", lambda a: a.warehouse),
    ("SKU", lambda a: a.sku),
    ("Alert", lambda a: a.kind.replace("_", " ")),
    ("Available", lambda a: f"{a.available:,}"),
)


class DashboardPage(TitledPage):
    TITLE = "Dashboard"
    ICON = "dashboard"
    KINDS = frozenset({"stock", "alert", "order", "policy", "catalog"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.integrity_banner = IntegrityBanner(db, actor, self)
        self.body.addWidget(self.integrity_banner)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.values: dict[str, QLabel] = {}
        for i, (key, title, accent) in enumerate(CARDS):
            frame, value = card(title, "…", self, accent)
            self.values[key] = value
            grid.addWidget(frame, i // 5, i % 5)
        self.kpi_labels = self.values
        self.body.addLayout(grid)
        alerts_heading = QLabel("Newest alerts", self)
        alerts_heading.setObjectName("sectionTitle")
        self.body.addWidget(alerts_heading)
        self.alerts_model = ListTableModel(ALERT_COLUMNS, parent=self)
        self.alerts_table = table(self)
        self.alerts_table.setModel(self.alerts_model)
        self.alerts_table.setMaximumHeight(170)
        self.body.addWidget(self.alerts_table)
        heading = QLabel("Latest movements", self)
        heading.setObjectName("sectionTitle")
        self.body.addWidget(heading)
        self.recent = self.movements_model = ListTableModel(Column, HEADERS, display, NUMERIC, self)
        self.table = make_table(self.recent, self)
        set_widths(self.table, WIDTHS)
        for column in (Column.UNIT_COST, Column.USER):  # the Movements page has them
            self.table.hideColumn(column)
        self.body.addWidget(self.table, 1)

    def refresh(self) -> None:
        background.default().run(self._read, self._show_all, parent=self, newest=self)
        self.integrity_banner.refresh()

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Connected to LiveUpdates.changed: another PC (or this one) changed something shown."""
        if kinds & self.KINDS:
            self.refresh()

    def _read(self) -> tuple[DashboardSummary, dashboard.Attention]:
        return browse.dashboard(self.db, self.actor), dashboard.attention(self.db, self.actor)

    def _show_all(self, result: tuple[DashboardSummary, dashboard.Attention]) -> None:
        summary, needs = result
        self._show(summary)
        self.values["below_threshold"].setText(f"{needs.below_threshold:,}")
        self.values["open_alerts"].setText(f"{needs.open_alerts:,}")
        self.values["open_orders"].setText(f"{needs.open_orders:,}")
        self.alerts_model.set_rows(needs.newest_alerts)

    def _show(self, s: DashboardSummary) -> None:
        figures = {
            "products": f"{s.products:,}",
            "warehouses": f"{s.warehouses:,}",
            "units": f"{s.units:,}",
            "value": f"{s.stock_value:,.2f}",
            "today": f"{s.movements_today:,}",
            "holds": f"{s.open_reservations:,}",
            "out": f"{s.out_of_stock:,}",
        }
        for key, text in figures.items():
            self.values[key].setText(text)
        self.recent.set_rows(s.recent)
        self.status.setText(f"As of {s.as_of.astimezone():%Y-%m-%d %H:%M}")

    def tables(self) -> dict[str, QTableView]:
        return {"dashboard": self.table, "dashboard-alerts": self.alerts_table}
