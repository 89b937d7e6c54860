"""Stock: on hand, reserved and available per product and warehouse, with reorder highlights;
for a warehouse with locations or lots, also on hand by location and lot."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from invdesk.domain.locations import GrainInUse, QuantView
from invdesk.domain.security import Actor
from invdesk.services.catalog import warehouses
from invdesk.services.reads import grain
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.small_lists import QuantColumn, quant_model
from invdesk.ui.models.stock_levels import SORTS, Column, StockLevelModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import paged_table, refill
from invdesk.ui.widgets import SearchBox, make_table, reload_in_place, set_widths

ALL = "All warehouses"
GRAIN_LIMIT = 5000
"""Rows of the by-location/lot view read at once (one warehouse's bins and lots)."""


class StockPage(TitledPage):
    TITLE = "Stock"
    ICON = "stock"
    KINDS = frozenset({"stock", "catalog", "policy", "purchasing"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = StockLevelModel(db, actor, self, background.default())
        self.search = SearchBox("Search SKU or name…", self)
        self.warehouse = QComboBox(self)
        self.warehouse.setMinimumWidth(200)
        self.empty = QCheckBox("Show empty", self)
        # Only for a warehouse with locations or lots: a shop without them sees no change.
        self.by_grain = QCheckBox("By location/lot", self)
        self.by_grain.hide()
        self.move_button = QPushButton("&Move…", self)
        self.move_button.setToolTip("Move stock between two locations of this warehouse")
        self.move_button.hide()
        self.legend = QLabel("Highlighted rows are at or below their reorder point", self)
        self.legend.setObjectName("legend")
        for widget in (self.search, self.warehouse, self.empty, self.by_grain):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        self.filters.addWidget(self.legend)
        self.filters.addWidget(self.move_button)
        self.in_use = GrainInUse(False, False)
        self.table = paged_table(
            self,
            self.model,
            widths={Column.SKU: 100, Column.NAME: 220, Column.WAREHOUSE: 90, Column.ON_HAND: 90,
                    Column.RESERVED: 90, Column.AVAILABLE: 90, Column.REORDER_POINT: 90},
            sortable=SORTS,
            noun="stock rows",
            on_open=self._open,
        )  # fmt: skip
        self.grain_model = quant_model(self)
        self.grain_table = make_table(self.grain_model, self)
        set_widths(
            self.grain_table,
            {QuantColumn.SKU: 100, QuantColumn.NAME: 320, QuantColumn.WAREHOUSE: 90,
             QuantColumn.LOCATION: 120, QuantColumn.LOT: 120, QuantColumn.EXPIRY: 100,
             QuantColumn.ON_HAND: 90},
        )  # fmt: skip
        self.grain_table.horizontalHeader().setStretchLastSection(False)
        self.grain_table.hide()
        self.body.addWidget(self.grain_table)
        self.grain_table.activated.connect(self._open_grain)
        self.search.search_changed.connect(self._apply)
        self.warehouse.currentIndexChanged.connect(lambda _i: self._warehouse_changed())
        self.empty.toggled.connect(lambda _on: self._apply())
        self.by_grain.toggled.connect(lambda _on: self._apply())
        self.move_button.clicked.connect(self._move)
        self._load_warehouses()

    def _load_warehouses(self) -> None:
        found = warehouses.list_warehouses(self.db, self.actor)
        refill(self.warehouse, ALL, ((f"{w.code} · {w.name}", w.code) for w in found))

    def select_warehouse(self, code: str | None) -> None:
        self.warehouse.setCurrentIndex(max(0, self.warehouse.findData(code)))

    def _warehouse_changed(self) -> None:
        code = self.current_warehouse()
        if code is None:
            self._show_grain_choice(GrainInUse(False, False))
            return
        background.default().run(
            lambda: grain.grain_in_use(self.db, self.actor, code),
            self._show_grain_choice,
            self.show_failure,
            parent=self,
            newest=(self, "grain"),
        )
        self._apply()

    def _show_grain_choice(self, in_use: GrainInUse) -> None:
        self.in_use = in_use
        offered = in_use.locations or in_use.lots
        self.by_grain.setVisible(offered)
        self.move_button.setVisible(in_use.locations)
        if not offered and self.by_grain.isChecked():
            self.by_grain.setChecked(False)  # back to the plain table (toggled applies it)
        elif self.by_grain.isChecked():
            self._apply()

    def grain_shown(self) -> bool:
        return self.by_grain.isChecked() and not self.by_grain.isHidden()

    def _apply(self, *_args: object) -> None:
        shown = self.grain_shown()
        self.table.setVisible(not shown)
        self.grain_table.setVisible(shown)
        self.legend.setVisible(not shown)
        if shown:
            self._load_grain()
            return
        self.model.set_query(
            replace(
                self.model.query,
                search=self.search.text().strip(),
                warehouse=self.warehouse.currentData(),
                include_empty=self.empty.isChecked(),
            )
        )

    def _load_grain(self) -> None:
        code, in_use = self.current_warehouse(), self.in_use
        if code is None:
            return
        search, empty = self.search.text(), self.empty.isChecked()
        self.grain_table.setColumnHidden(QuantColumn.WAREHOUSE, True)
        self.grain_table.setColumnHidden(QuantColumn.LOCATION, not in_use.locations)
        for column in (QuantColumn.LOT, QuantColumn.EXPIRY):
            self.grain_table.setColumnHidden(column, not in_use.lots)

        def read() -> list[QuantView]:
            return grain.stock_by_grain(
                self.db, self.actor, by_location=in_use.locations, by_lot=in_use.lots,
                warehouse=code, include_empty=empty, search=search, limit=GRAIN_LIMIT,
            )  # fmt: skip

        background.default().run(
            read, self._show_grain, self.show_failure, parent=self, newest=self
        )

    def _show_grain(self, rows: list[QuantView]) -> None:
        self.grain_model.set_rows(rows)
        more = f" (the first {GRAIN_LIMIT:,})" if len(rows) >= GRAIN_LIMIT else ""
        self.status.setText(f"{len(rows):,} rows by location and lot{more}")

    def _open_grain(self, index: QModelIndex) -> None:
        row = self.grain_model.row_at(index.row())
        if row is not None:
            self.open_product.emit(row.sku)

    def _move(self) -> None:
        kwargs: dict[str, Any] = {"warehouse": self.current_warehouse()}
        rows = self.grain_table.selectionModel().selectedRows() if self.grain_shown() else []
        row = self.grain_model.row_at(rows[0].row()) if rows else None
        if row is not None:
            kwargs["lines"] = ((row.sku, 1),)
            if row.location:
                kwargs["source"] = row.location
        self.open_document.emit("MoveDialog", kwargs)

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_product.emit(row.sku)

    def current_warehouse(self) -> str | None:
        code = self.warehouse.currentData()
        return code if isinstance(code, str) else None

    def refresh(self) -> None:
        self._load_warehouses()
        if self.grain_shown():
            self._load_grain()
        self.model.reload()

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Live update: re-read only the rows named (dataChanged); a change without ids (a
        periodic check that could not name rows, a policy, a warehouse) reads the page again."""
        ids = ids or {}
        if not kinds & self.KINDS:
            return
        if self.grain_shown():
            self._load_grain()
        if "policy" in kinds or any(k in kinds and not ids.get(k) for k in ("stock", "catalog")):
            if "catalog" in kinds and not ids.get("catalog"):
                self._load_warehouses()
            reload_in_place(self.table, self.model)
            return
        self.model.refresh_levels(ids.get("stock", ()), ids.get("catalog", ()))

    def tables(self) -> dict[str, QTableView]:
        # The one on screen first: it is the one exported.
        tables = {"stock": self.table, "stock_by_grain": self.grain_table}
        return dict(reversed(tables.items())) if self.grain_shown() else tables

    def search_box(self) -> QLineEdit | None:
        return self.search

    def product_table(self) -> QTableView | None:
        return self.table

    def selected_sku(self) -> str | None:
        table, model = (
            (self.grain_table, self.grain_model) if self.grain_shown() else (self.table, self.model)
        )
        rows = table.selectionModel().selectedRows()
        row = model.row_at(rows[0].row()) if rows else None
        return row.sku if row is not None else None
