"""Locations: a manager keeps a warehouse's bins (add, edit, deactivate) and moves stock between them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QMenu,
    QPushButton,
    QTableView,
    QWidget,
)

from invdesk.domain.locations import LocationView
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import locations, warehouses
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.small_lists import LocationColumn, location_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import reselect
from invdesk.ui.widgets import make_table, set_widths


class LocationsPage(TitledPage):
    TITLE = "Locations"
    ICON = "locations"
    PERMISSION = Permission.CATALOG
    KINDS = frozenset({"stock", "catalog"})
    SUBTITLE = (
        "Bins, shelves and zones of a warehouse. A warehouse without any keeps its stock in one "
        "default location; scanning a location's code in a document books the next lines there."
    )

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.warehouse = QComboBox(self)
        self.warehouse.setMinimumWidth(200)
        self.add_button = QPushButton("&Add location…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.deactivate_button = QPushButton("&Deactivate", self)
        self.move_button = QPushButton("&Move stock…", self)
        self.labels_button = QPushButton("&Labels", self)
        labels_menu = QMenu(self.labels_button)
        self.label_selected = labels_menu.addAction("Labels for the &selected locations…")
        self.label_all = labels_menu.addAction("Labels for &every active location…")
        self.labels_button.setMenu(labels_menu)
        self.filters.addWidget(self.warehouse)
        self.filters.addStretch(1)
        buttons = (self.add_button, self.edit_button, self.deactivate_button, self.move_button)
        for button in (*buttons, self.labels_button):
            self.filters.addWidget(button)
        self.model = location_model(self)
        self.table = make_table(self.model, self)
        set_widths(
            self.table,
            {LocationColumn.CODE: 110, LocationColumn.NAME: 240, LocationColumn.TYPE: 110,
             LocationColumn.ZONE: 110, LocationColumn.UNITS: 110},
        )  # fmt: skip
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.body.addWidget(self.table)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.warehouse.currentIndexChanged.connect(lambda _i: self.refresh_rows())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.move_button.clicked.connect(self.move)
        self.label_selected.triggered.connect(lambda: self.print_labels(selected_only=True))
        self.label_all.triggered.connect(lambda: self.print_labels(selected_only=False))
        self._load_warehouses()
        self._selection_changed()

    def _load_warehouses(self) -> None:
        current = self.warehouse.currentData()
        self.warehouse.blockSignals(True)
        self.warehouse.clear()
        for w in warehouses.list_warehouses(self.db, self.actor, include_inactive=False):
            self.warehouse.addItem(f"{w.code} · {w.name}", w.code)
        self.warehouse.setCurrentIndex(max(0, self.warehouse.findData(current)))
        self.warehouse.blockSignals(False)

    def current_warehouse(self) -> str | None:
        code = self.warehouse.currentData()
        return code if isinstance(code, str) else None

    def selected(self) -> LocationView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None  # type: ignore[no-any-return]

    def refresh(self) -> None:
        self._load_warehouses()
        self.refresh_rows()

    def refresh_rows(self) -> None:
        code = self.current_warehouse()
        if code is None:
            self.model.set_rows([])
            self.status.setText("No active warehouse.")
            return
        background.default().run(
            lambda: locations.list_locations(self.db, code, self.actor),
            self._show,
            self.show_failure,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[LocationView]) -> None:
        reselect(self.table, lambda: self.model.set_rows(rows), lambda r: r.code)
        units = sum(r.on_hand for r in rows)
        active = sum(1 for r in rows if r.active)
        self.status.setText(f"{active} active locations · {units:,} units in them")
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected()
        has_warehouse = self.current_warehouse() is not None
        self.add_button.setEnabled(has_warehouse)
        self.move_button.setEnabled(has_warehouse)
        self.edit_button.setEnabled(chosen is not None)
        self.deactivate_button.setEnabled(chosen is not None and chosen.active)
        self.labels_button.setEnabled(has_warehouse)
        self.label_selected.setEnabled(chosen is not None)

    # Actions ------------------------------------------------------------------------------------
    def add(self) -> Any:
        return self._editor(None)

    def edit(self) -> Any:
        chosen = self.selected()
        return None if chosen is None else self._editor(chosen.code)

    def _editor(self, code: str | None) -> Any:
        from invdesk.ui.dialogs import LocationEditor

        warehouse = self.current_warehouse()
        if warehouse is None:
            return None
        editor = LocationEditor(self.db, self.actor, self, warehouse=warehouse, code=code)
        editor.saved.connect(lambda _view: self.refresh_rows())
        editor.open()
        return editor

    def selected_codes(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        found = [self.model.row_at(row) for row in rows]
        return [view.code for view in found if view is not None and view.active]

    def print_labels(self, *, selected_only: bool) -> Any:
        """Shelf and bin labels: of the selected locations, or of every active one."""
        from invdesk.ui.printing import label_actions

        warehouse = self.current_warehouse()
        codes = self.selected_codes() if selected_only else []
        if warehouse is None or (selected_only and not codes):
            return None
        return label_actions.locations(self, self.db, self.actor, warehouse, codes)

    def deactivate(self) -> None:
        """Refused, with the units, while the location holds stock (the service says so)."""
        chosen, warehouse = self.selected(), self.current_warehouse()
        if chosen is None or warehouse is None:
            return
        background.default().run(
            lambda: locations.deactivate_location(
                self.db, warehouse, chosen.code, self.actor, chosen.version
            ),
            lambda _view: self.refresh_rows(),
            parent=self,
        )

    def move(self) -> None:
        chosen = self.selected()
        kwargs: dict[str, Any] = {"warehouse": self.current_warehouse()}
        if chosen is not None and chosen.on_hand:
            kwargs["source"] = chosen.code
        self.open_document.emit("MoveDialog", kwargs)

    def tables(self) -> dict[str, QTableView]:
        return {"locations": self.table}
