"""Movements: the stock ledger, newest first, filtered by product, warehouse, kind and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QTableView, QWidget

from invdesk.domain.security import Actor
from invdesk.domain.stock import LedgerFilter, MovementKind
from invdesk.services.catalog import warehouses
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.columns import ROW_ROLE
from invdesk.ui.models.movements import KIND_LABELS, WIDTHS, MovementModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import refill
from invdesk.ui.widgets import SearchBox, make_table, set_widths


def _local_midnight_utc(day: QDate) -> datetime:
    local = datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()
    return local.astimezone(UTC)


class MovementsPage(TitledPage):
    TITLE = "Movements"
    ICON = "movements"
    KINDS = frozenset({"stock", "catalog"})
    """Live changes that make the open page read its rows again (new movements come first)."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = MovementModel(db, actor, self, background.default())
        self.product = SearchBox("SKU or barcode…", self)
        self.product.setMinimumWidth(200)
        self.warehouse = QComboBox(self)
        self.kind = QComboBox(self)
        self.kind.addItem("All kinds", None)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.dated = QCheckBox("From", self)
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30), self)
        self.until = QDateEdit(today, self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.dated.toggled.connect(self.since.setEnabled)
        self.dated.toggled.connect(self.until.setEnabled)
        for widget in (self.product, self.warehouse, self.kind, self.dated, self.since):
            self.filters.addWidget(widget)
        self.filters.addWidget(QLabel("to (inclusive)", self))
        self.filters.addWidget(self.until)
        self.filters.addStretch(1)
        self.table = make_table(self.model, self)
        set_widths(self.table, WIDTHS)
        self.body.addWidget(self.table)
        self.product.search_changed.connect(lambda _t: self.apply())
        for combo in (self.warehouse, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.apply())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.apply())
        self.dated.toggled.connect(lambda _on: self.apply())
        self.table.activated.connect(self._opened)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self.show_failure)
        self._load_warehouses()

    def _load_warehouses(self) -> None:
        found = warehouses.list_warehouses(self.db, self.actor)
        refill(self.warehouse, "All warehouses", ((w.code, w.code) for w in found))

    def current_filter(self) -> LedgerFilter:
        kind = self.kind.currentData()
        since = until = None
        if self.dated.isChecked():
            since = _local_midnight_utc(self.since.date())
            until = _local_midnight_utc(self.until.date()) + timedelta(days=1)
        return LedgerFilter(
            product=self.product.text().strip() or None,
            warehouse=self.warehouse.currentData(),
            kinds=(MovementKind(kind),) if kind else (),
            since=since,
            until=until,
        )

    def apply(self) -> None:
        self.model.set_filter(self.current_filter())

    def _opened(self, index: QModelIndex) -> None:
        """A row naming a lot or serial opens its trace (one double-click from the ledger)."""
        row = self.model.data(index, ROW_ROLE)
        if row is not None and row.lot:
            self.open_trace.emit(row.sku, row.lot)

    def _loaded(self, count: int) -> None:
        more = "+" if self.model.canFetchMore() else ""
        self.status.setText(f"{count:,}{more} movements, newest first")

    def refresh(self) -> None:
        self._load_warehouses()
        self.model.reload()

    def tables(self) -> dict[str, QTableView]:
        return {"movements": self.table}
