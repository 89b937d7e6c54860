"""Suppliers: who sells us what, on what terms; create, edit, deactivate, import from a file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import SupplierDetails, SupplierLinkView, SupplierView
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import suppliers
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.supplier_editor import SupplierEditor
from invdesk.ui.dialogs.supplier_link import SupplierLinkEditor
from invdesk.ui.models.columns import ROW_ROLE
from invdesk.ui.models.purchasing import link_model, matches, supplier_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import captioned, reselect, show_error, table
from invdesk.ui.widgets import SearchBox


class SuppliersPage(TitledPage):
    TITLE = "Suppliers"
    ICON = "suppliers"
    PERMISSION = Permission.CATALOG
    KINDS = frozenset({"catalog", "purchasing"})
    SUBTITLE = "Enter on a supplier edits it; Enter on one of its products edits that link."

    import_requested = Signal()
    """Asks the window for the import dialog on suppliers."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._all: list[SupplierView] = []
        self.search = SearchBox("Search code, name, contact or e-mail…", self)
        self.inactive = QCheckBox("Show inactive", self)
        self.new_button = self._button("&New supplier…", self.new_supplier)
        self.edit_button = self._button("&Edit…", self.edit_selected)
        self.active_button = self._button("&Deactivate", self.toggle_active)
        self.import_button = self._button("&Import…", self.import_requested.emit)
        for widget in (self.search, self.inactive):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        for widget in (self.import_button, self.active_button, self.edit_button, self.new_button):
            self.filters.addWidget(widget)
        self.model = supplier_model(self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.links = link_model(self)
        self.link_table = table(self)
        self.link_table.setModel(self.links)
        self.add_link_button = self._button("&Add product…", self.add_link)
        self.edit_link_button = self._button("Edit &link…", self.edit_link)
        link_box = QWidget(self)
        link_layout = QVBoxLayout(link_box)
        link_layout.setContentsMargins(0, 0, 0, 0)
        link_layout.addWidget(captioned(link_box, "Products of this supplier", self.link_table))
        link_buttons = QHBoxLayout()
        link_buttons.addStretch(1)
        link_buttons.addWidget(self.add_link_button)
        link_buttons.addWidget(self.edit_link_button)
        link_layout.addLayout(link_buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(link_box)
        split.setSizes([300, 260])
        self.body.addWidget(split)
        self.search.search_changed.connect(self._show_filtered)
        self.inactive.toggled.connect(self._show_filtered)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.link_table.activated.connect(lambda _index: self.edit_link())
        self._selection_changed()

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # Reading ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor = self.db, self.actor
        background.default().run(
            lambda: suppliers.list_suppliers(db, actor, include_inactive=True),
            self._show,
            self.show_failure,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[SupplierView]) -> None:
        self._all = rows
        self._show_filtered()

    def _show_filtered(self, *_: Any) -> None:
        text, inactive = self.search.text(), self.inactive.isChecked()
        shown = [s for s in self._all if (inactive or s.active) and matches(s, text)]
        reselect(self.table, lambda: self.model.set_rows(shown), lambda s: s.code)
        active = sum(s.active for s in self._all)
        self.status.setText(f"{len(shown)} shown · {active} active suppliers")
        if not self.table.selectionModel().selectedRows() and shown:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> SupplierView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None  # type: ignore[no-any-return]

    def selected_link(self) -> SupplierLinkView | None:
        rows = self.link_table.selectionModel().selectedRows()
        return self.links.data(rows[0], ROW_ROLE) if rows else None  # type: ignore[no-any-return]

    def _selection_changed(self, *_: Any) -> None:
        chosen = self.selected()
        can_edit = self.actor.can(Permission.CATALOG)
        for button in (self.edit_button, self.active_button, self.add_link_button):
            button.setEnabled(chosen is not None and can_edit)
        self.edit_link_button.setEnabled(chosen is not None)
        self.active_button.setText(
            "&Activate" if chosen is not None and not chosen.active else "&Deactivate"
        )
        self.read_links()

    def read_links(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.links.set_rows([])
            return
        db, actor, code = self.db, self.actor, chosen.code
        background.default().run(
            lambda: suppliers.supplier_links(db, actor, supplier=code),
            lambda rows: reselect(self.link_table, lambda: self.links.set_rows(rows), _link_key),
            self.show_failure,
            parent=self,
            newest=(self, "links"),
        )

    # Editing ------------------------------------------------------------------------------------
    def new_supplier(self) -> None:
        self._open(SupplierEditor(self.db, self.actor, self))

    def edit_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._open_guarded(lambda: SupplierEditor(self.db, self.actor, self, code=chosen.code))

    def add_link(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._open(SupplierLinkEditor(self.db, self.actor, self, supplier=chosen.code))

    def edit_link(self) -> None:
        chosen, link = self.selected(), self.selected_link()
        if chosen is None:
            return
        if link is None:
            self.add_link()
            return
        self._open_guarded(
            lambda: SupplierLinkEditor(
                self.db, self.actor, self, supplier=chosen.code, sku=link.sku
            )
        )

    def toggle_active(self) -> None:
        """Deactivate (or activate again) the selected supplier, guarded by its version."""
        chosen = self.selected()
        if chosen is None:
            return
        details = SupplierDetails(
            code=chosen.code, active=not chosen.active, expected_version=chosen.version
        )
        db, actor = self.db, self.actor
        background.default().run(
            lambda: suppliers.edit_supplier(db, details, actor),
            lambda _view: self.refresh(),
            self._refused,
            parent=self,
        )

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, InvdeskError):
            show_error(self, error)
            self.refresh()
        else:
            background.show_error(self, error)

    def _open_guarded(self, make: Any) -> None:
        try:
            editor = make()
        except InvdeskError as error:
            show_error(self, error)
            self.refresh()
            return
        self._open(editor)

    def _open(self, editor: Any) -> None:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(lambda _view: self.refresh())
        editor.open()

    # Page contract ------------------------------------------------------------------------------
    def search_box(self) -> QLineEdit | None:
        return self.search

    def tables(self) -> dict[str, QTableView]:
        return {"suppliers": self.table, "supplier_links": self.link_table}

    def select_code(self, code: str) -> None:
        for number in range(self.model.rowCount()):
            if self.model.data(self.model.index(number, 0), ROW_ROLE).code == code:
                self.table.selectRow(number)
                return


def _link_key(link: SupplierLinkView) -> str:
    return link.sku
