"""Products: the catalogue, searched by SKU, name or barcode, paged and sorted in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import categories
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.products import SORTS, Column, ProductTableModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import paged_table, refill
from invdesk.ui.widgets import SearchBox, reload_in_place

ALL = "All categories"


class ProductsPage(TitledPage):
    TITLE = "Products"
    ICON = "products"
    KINDS = frozenset({"stock", "catalog"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = ProductTableModel(db, actor, self, background.default())
        self.search = SearchBox("Search SKU, name or barcode…", self)
        self.category = QComboBox(self)
        self.category.setMinimumWidth(170)
        self.inactive = QCheckBox("Show inactive", self)
        for widget in (self.search, self.category, self.inactive):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        self.categories_button = QPushButton("Categories…", self)
        self.categories_button.setToolTip("Add, rename, nest, retire and merge categories")
        self.categories_button.setVisible(actor.can(Permission.CATALOG))
        self.categories_button.clicked.connect(self.edit_categories)
        self.filters.addWidget(self.categories_button)
        self.table = paged_table(
            self,
            self.model,
            widths={Column.SKU: 95, Column.NAME: 260, Column.CATEGORY: 105, Column.BARCODE: 130,
                    Column.UNIT: 55, Column.PRICE: 80, Column.COST: 80},
            sortable=SORTS,
            noun="products",
            on_open=self._open,
        )  # fmt: skip
        self.search.search_changed.connect(self._apply)
        self.category.currentIndexChanged.connect(lambda _i: self._apply())
        self.inactive.toggled.connect(lambda _on: self._apply())
        self._load_categories()

    def _load_categories(self) -> None:
        found = categories.list_categories(self.db, self.actor)
        refill(self.category, ALL, ((c.path, c.name) for c in found))

    def edit_categories(self) -> QDialog:
        """The categories dialog; the filter list follows its edits."""
        from invdesk.ui.dialogs.categories import CategoriesDialog

        dialog = CategoriesDialog(self.db, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def _apply(self, *_args: object) -> bool:
        category = self.category.currentData()
        before = self.model.query
        self.model.set_query(
            replace(
                self.model.query,
                search=self.search.text().strip(),
                category=category,
                include_inactive=self.inactive.isChecked(),
            )
        )
        return self.model.query != before

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_product.emit(row.sku)

    def refresh(self) -> None:
        self._load_categories()
        self.model.reload()

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Live update: re-read only the products named (their on-hand total, or an edit); a
        change without ids reads the page again."""
        ids = ids or {}
        if not kinds & self.KINDS:
            return
        if any(k in kinds and not ids.get(k) for k in ("stock", "catalog")):
            if "catalog" in kinds and not ids.get("catalog"):
                self._load_categories()
            reload_in_place(self.table, self.model)
            return
        levels = [level for level in ids.get("stock", ()) if isinstance(level, tuple | list)]
        named = [level[0] for level in levels] + list(ids.get("catalog", ()))
        self.model.refresh_rows(named)

    def tables(self) -> dict[str, QTableView]:
        return {"products": self.table}

    def show_product(self, sku: str, active: bool = True) -> None:
        """Filter the list down to one SKU (a scan or look-up) and select it."""
        if not active:
            self.inactive.setChecked(True)
        self.search.blockSignals(True)
        self.search.setText(sku)
        self.search.blockSignals(False)
        if self._apply():
            self.model.loaded.connect(self._select_first, Qt.ConnectionType.SingleShotConnection)
        else:
            self._select_first(self.model.rowCount())

    def _select_first(self, count: int) -> None:
        if count:
            self.table.selectRow(0)

    def search_box(self) -> QLineEdit | None:
        return self.search

    def product_table(self) -> QTableView | None:
        return self.table

    def selected_sku(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.sku if row is not None else None
