"""Stock: on hand, reserved and available per product and warehouse, with reorder highlights."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QTableView, QWidget

from invdesk.domain.security import Actor
from invdesk.services.catalog import warehouses
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.stock_levels import SORTS, Column, StockLevelModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import paged_table, refill
from invdesk.ui.widgets import SearchBox, reload_in_place

ALL = "All warehouses"


class StockPage(TitledPage):
    TITLE = "Stock"
    ICON = "stock"
    KINDS = frozenset({"stock", "catalog", "policy"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = StockLevelModel(db, actor, self, background.default())
        self.search = SearchBox("Search SKU or name…", self)
        self.warehouse = QComboBox(self)
        self.warehouse.setMinimumWidth(200)
        self.empty = QCheckBox("Show empty", self)
        legend = QLabel("Highlighted rows are at or below their reorder point", self)
        legend.setObjectName("legend")
        for widget in (self.search, self.warehouse, self.empty):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        self.filters.addWidget(legend)
        self.table = paged_table(
            self,
            self.model,
            widths={Column.SKU: 100, Column.NAME: 220, Column.WAREHOUSE: 90, Column.ON_HAND: 90,
                    Column.RESERVED: 90, Column.AVAILABLE: 90, Column.REORDER_POINT: 90},
            sortable=SORTS,
            noun="stock rows",
            on_open=self._open,
        )  # fmt: skip
        self.search.search_changed.connect(self._apply)
        self.warehouse.currentIndexChanged.connect(lambda _i: self._apply())
        self.empty.toggled.connect(lambda _on: self._apply())
        self._load_warehouses()

    def _load_warehouses(self) -> None:
        found = warehouses.list_warehouses(self.db, self.actor)
        refill(self.warehouse, ALL, ((f"{w.code} · {w.name}", w.code) for w in found))

    def select_warehouse(self, code: str | None) -> None:
        self.warehouse.setCurrentIndex(max(0, self.warehouse.findData(code)))

    def _apply(self, *_args: object) -> None:
        self.model.set_query(
            replace(
                self.model.query,
                search=self.search.text().strip(),
                warehouse=self.warehouse.currentData(),
                include_empty=self.empty.isChecked(),
            )
        )

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_product.emit(row.sku)

    def current_warehouse(self) -> str | None:
        code = self.warehouse.currentData()
        return code if isinstance(code, str) else None

    def refresh(self) -> None:
        self._load_warehouses()
        self.model.reload()

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Live update: re-read only the rows named (dataChanged); a change without ids (a
        periodic check that could not name rows, a policy, a warehouse) reads the page again."""
        ids = ids or {}
        if not kinds & self.KINDS:
            return
        if "policy" in kinds or any(k in kinds and not ids.get(k) for k in ("stock", "catalog")):
            if "catalog" in kinds and not ids.get("catalog"):
                self._load_warehouses()
            reload_in_place(self.table, self.model)
            return
        self.model.refresh_levels(ids.get("stock", ()), ids.get("catalog", ()))

    def tables(self) -> dict[str, QTableView]:
        return {"stock": self.table}

    def search_box(self) -> QLineEdit | None:
        return self.search

    def product_table(self) -> QTableView | None:
        return self.table

    def selected_sku(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.sku if row is not None else None
