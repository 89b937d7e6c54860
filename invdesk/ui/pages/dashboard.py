"""The Dashboard page: KPIs, the newest alerts and the most recent ledger rows, kept live."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from invdesk.domain.security import Actor
from invdesk.services import dashboard
from invdesk.services.database import Database
from invdesk.ui.models.rows import RowsModel
from invdesk.ui.pages.common import table

ALERT_COLUMNS = (
    ("Raised", lambda a: a.raised_at),
    ("Warehouse", lambda a: a.warehouse),
    ("SKU", lambda a: a.sku),
    ("Alert", lambda a: a.kind),
    ("Available", lambda a: a.available),
)
MOVEMENT_COLUMNS = (
    ("When", lambda m: m.at),
    ("Kind", lambda m: m.kind),
    ("SKU", lambda m: m.sku),
    ("Warehouse", lambda m: m.warehouse),
    ("Qty", lambda m: m.qty),
    ("On hand", lambda m: m.balance_after),
    ("User", lambda m: m.user),
)
KPI_LABELS = {
    "stock_value": "Stock value",
    "below_threshold": "Below threshold",
    "open_alerts": "Open alerts",
    "movements_today": "Movements today",
    "open_orders": "Open orders",
}


class DashboardPage(QWidget):
    """KPI tiles (`kpi_labels[name]` holds each value) and two short tables."""

    TITLE = "Dashboard"
    KINDS = frozenset({"stock", "alert", "order", "policy", "catalog"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        tiles = QGridLayout()
        self.kpi_labels: dict[str, QLabel] = {}
        for column, (name, caption) in enumerate(KPI_LABELS.items()):
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            value = QLabel("–", frame)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet("font-size: 20pt; font-weight: 600;")
            title = QLabel(caption, frame)
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(value)
            inner.addWidget(title)
            tiles.addWidget(frame, 0, column)
            self.kpi_labels[name] = value
        self.alerts_model = RowsModel(ALERT_COLUMNS, self)
        self.movements_model = RowsModel(MOVEMENT_COLUMNS, self)
        self.alerts_table = table(self)
        self.alerts_table.setModel(self.alerts_model)
        self.movements_table = table(self)
        self.movements_table.setModel(self.movements_model)
        layout = QVBoxLayout(self)
        layout.addLayout(tiles)
        layout.addWidget(QLabel("Newest alerts", self))
        layout.addWidget(self.alerts_table)
        layout.addWidget(QLabel("Recent movements", self))
        layout.addWidget(self.movements_table)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        board = dashboard.dashboard(self._db, self._actor)
        k = board.kpis
        values = {
            "stock_value": f"{k.stock_value:,.2f}",
            "below_threshold": f"{k.below_threshold:,}",
            "open_alerts": f"{k.open_alerts:,}",
            "movements_today": f"{k.movements_today:,}",
            "open_orders": f"{k.open_orders:,}",
        }
        for name, text in values.items():
            self.kpi_labels[name].setText(text)
        self.alerts_model.set_rows(board.newest_alerts)
        self.movements_model.set_rows(board.recent_movements)

    @Slot(frozenset, object)
    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Connect to LiveUpdates.changed."""
        if kinds & self.KINDS:
            self.refresh()
