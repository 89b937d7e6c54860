"""Supplier performance: per supplier, orders, on-time rate, lead times, fill rate and spend."""

from __future__ import annotations

import enum
from datetime import timedelta
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QTableView, QWidget

from invdesk.domain.purchasing import SupplierPerformance
from invdesk.domain.security import Actor, Permission
from invdesk.services.purchasing import performance
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.columns import money, qty
from invdesk.ui.models.small_lists import spec_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.widgets import make_table, set_widths

PERIODS = (("Last 90 days", 90), ("Last 365 days", 365), ("All time", None))


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def spend(row: SupplierPerformance) -> Decimal:
    return sum((amount for _month, amount in row.spend_by_month), Decimal(0))


class Column(enum.IntEnum):
    SUPPLIER = 0
    NAME = 1
    ORDERS = 2
    LINES = 3
    ON_TIME = 4
    AVERAGE_LEAD = 5
    WORST_LEAD = 6
    PROMISED = 7
    FILL = 8
    SPEND = 9


SPEC = {
    Column.SUPPLIER: ("Supplier", lambda r: r.supplier),
    Column.NAME: ("Name", lambda r: r.name),
    Column.ORDERS: ("POs", lambda r: qty(r.orders)),
    Column.LINES: ("Lines", lambda r: qty(r.lines)),
    Column.ON_TIME: ("On time", lambda r: _percent(r.on_time_rate)),
    Column.AVERAGE_LEAD: ("Avg lead (days)", lambda r: _days(r.average_lead_days)),
    Column.WORST_LEAD: ("Worst lead", lambda r: qty(r.worst_lead_days)),
    Column.PROMISED: ("Promised lead", lambda r: qty(r.promised_lead_days)),
    Column.FILL: ("Fill rate", lambda r: _percent(r.fill_rate)),
    Column.SPEND: ("Spend", lambda r: money(spend(r))),
}


class SupplierPerformancePage(TitledPage):
    TITLE = "Supplier performance"
    ICON = "reports"
    PERMISSION = Permission.REPORTS
    KINDS = frozenset({"stock", "catalog", "purchasing"})
    SUBTITLE = (
        "Purchase orders sent in the period. On time: delivered by the expected date (else the "
        "promised lead time); fill rate: received of ordered on closed orders; spend: what "
        "was received, at the order's prices."
    )

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.period = QComboBox(self)
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.filters.addWidget(self.period)
        self.filters.addStretch(1)
        numeric = set(Column) - {Column.SUPPLIER, Column.NAME}
        self.model = spec_model(Column, SPEC, numeric, self)
        self.table = make_table(self.model, self)
        set_widths(
            self.table,
            {Column.SUPPLIER: 80, Column.NAME: 190, Column.AVERAGE_LEAD: 125,
             Column.PROMISED: 120, Column.SPEND: 110},
        )  # fmt: skip
        self.body.addWidget(self.table)
        self.period.currentIndexChanged.connect(self.refresh)

    def refresh(self) -> None:
        days = self.period.currentData()
        db, actor = self.db, self.actor
        since = None if days is None else db.now() - timedelta(days=days)
        background.default().run(
            lambda: performance.supplier_performance(db, actor, since=since),
            self._show,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[SupplierPerformance]) -> None:
        self.model.set_rows(rows)
        total = sum((spend(r) for r in rows), Decimal(0))
        orders = sum(r.orders for r in rows)
        self.status.setText(f"{len(rows)} suppliers · {orders:,} orders · spend {total:,.2f}")

    def tables(self) -> dict[str, QTableView]:
        return {"supplier_performance": self.table}
