"""Dashboard: headline figures and the latest movements, read off the GUI thread."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QTableView, QWidget

from invdesk.domain.browse import DashboardSummary
from invdesk.domain.security import Actor
from invdesk.services import browse
from invdesk.services.database import Database
from invdesk.ui import background
from invdesk.ui.models.columns import ListTableModel
from invdesk.ui.models.movements import HEADERS, Column, display
from invdesk.ui.widgets import Page, card, make_table, set_widths

CARDS = (
    ("products", "Active products", ""),
    ("warehouses", "Warehouses", ""),
    ("units", "Units on hand", ""),
    ("value", "Stock value (at average cost)", ""),
    ("today", "Movements in the last 24 hours", "good"),
    ("holds", "Open reservations", ""),
    ("out", "Products out of stock everywhere", "bad"),
)


class DashboardPage(Page):
    TITLE = "Dashboard"
    ICON = "dashboard"

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.values: dict[str, QLabel] = {}
        for i, (key, title, accent) in enumerate(CARDS):
            frame, value = card(title, "…", self, accent)
            self.values[key] = value
            grid.addWidget(frame, i // 4, i % 4)
        self.body.addLayout(grid)
        heading = QLabel("Latest movements", self)
        heading.setObjectName("sectionTitle")
        self.body.addWidget(heading)
        self.recent = ListTableModel(
            Column, HEADERS, display, (Column.QTY, Column.BALANCE, Column.UNIT_COST), self
        )
        self.table = make_table(self.recent, self)
        set_widths(
            self.table,
            {Column.AT: 125, Column.KIND: 130, Column.SKU: 85, Column.NAME: 210,
             Column.WAREHOUSE: 80, Column.QTY: 80, Column.BALANCE: 70, Column.UNIT_COST: 75,
             Column.REFERENCE: 110},
        )  # fmt: skip
        for column in (Column.UNIT_COST, Column.USER):  # the Movements page has them
            self.table.hideColumn(column)
        self.body.addWidget(self.table, 1)

    def refresh(self) -> None:
        background.default().run(lambda: browse.dashboard(self.db, self.actor), self._show)

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
        return {"dashboard": self.table}
