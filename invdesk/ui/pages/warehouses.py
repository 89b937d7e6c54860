"""Warehouses: every site with its products in stock, units, reservations and stock value."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTableView, QWidget

from invdesk.domain.browse import WarehouseTotals
from invdesk.domain.security import Actor
from invdesk.services.reads import browse
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.small_lists import WarehouseColumn, warehouse_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.widgets import make_table, set_widths


class WarehousesPage(TitledPage):
    TITLE = "Warehouses"
    ICON = "warehouses"
    KINDS = frozenset({"stock", "catalog"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = warehouse_model(self)
        self.table = make_table(self.model, self)
        set_widths(
            self.table,
            {WarehouseColumn.CODE: 70, WarehouseColumn.NAME: 180, WarehouseColumn.ADDRESS: 200,
             WarehouseColumn.PRODUCTS: 130, WarehouseColumn.UNITS: 110,
             WarehouseColumn.RESERVED: 90, WarehouseColumn.VALUE: 120},
        )  # fmt: skip
        self.body.addWidget(self.table)
        self.table.activated.connect(self._open)

    def refresh(self) -> None:
        background.default().run(
            lambda: browse.warehouse_totals(self.db, self.actor),
            self._show,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[WarehouseTotals]) -> None:
        self.model.set_rows(rows)
        value = sum((r.value for r in rows), start=0)
        self.status.setText(f"{len(rows)} warehouses · stock value {value:,.2f}")

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_warehouse.emit(row.code)

    def tables(self) -> dict[str, QTableView]:
        return {"warehouses": self.table}
