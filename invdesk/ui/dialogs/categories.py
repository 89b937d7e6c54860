"""Categories…: managers add, rename, nest (one level), retire and merge product categories."""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.catalog import CATEGORY_MAX, CategoryView
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.catalog import categories
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.widgets import ErrorLabel, Heading
from invdesk.ui.models.columns import ListTableModel, qty
from invdesk.ui.widgets import make_table, set_widths

TOP_LEVEL = "(top level)"


class CategoryColumn(enum.IntEnum):
    CATEGORY = 0
    PRODUCTS = 1
    STATUS = 2


HEADERS = {
    CategoryColumn.CATEGORY: "Category",
    CategoryColumn.PRODUCTS: "Products",
    CategoryColumn.STATUS: "Status",
}


def _cell(row: CategoryView, column: CategoryColumn) -> str:
    if column is CategoryColumn.CATEGORY:
        return row.path
    if column is CategoryColumn.PRODUCTS:
        return qty(row.products)
    return "Active" if row.active else "Retired"


class CategoriesDialog(QDialog):
    """`changed()` after every edit, so pages re-read their category lists."""

    changed = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.setWindowTitle("Categories")
        self.resize(560, 560)
        self.model = ListTableModel(CategoryColumn, HEADERS, _cell, [CategoryColumn.PRODUCTS], self)
        self.table = make_table(self.model, self)
        set_widths(self.table, {CategoryColumn.CATEGORY: 300, CategoryColumn.PRODUCTS: 80})
        self.retired = QCheckBox("Show retire&d", self)
        self.retired.toggled.connect(lambda _on: self.reload())
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(
            Heading(
                "Categories",
                "Sub-categories sit one level under a top-level category (Clothing > Shirts). "
                "Merging moves the products and restock policies, then removes the category.",
                self,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.retired)
        layout.addLayout(self._edit_row())
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.reload()

    def _edit_row(self) -> QGridLayout:
        self.name = QLineEdit(self)
        self.name.setMaxLength(CATEGORY_MAX)
        self.name.setPlaceholderText("e.g. Shirts")
        self.parent_choice = QComboBox(self)
        self.merge_target = QComboBox(self)
        self.add_button = self._button("&Add", self.add)
        self.rename_button = self._button("&Rename", self.rename_selected)
        self.move_button = self._button("&Move here", self.move_selected)
        self.active_button = self._button("Re&tire", self.toggle_selected)
        self.merge_button = self._button("Mer&ge into", self.confirm_merge)
        grid = QGridLayout()
        name_label, under_label = QLabel("&Name:", self), QLabel("&Under:", self)
        name_label.setBuddy(self.name)
        under_label.setBuddy(self.parent_choice)
        grid.addWidget(name_label, 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.add_button, 0, 2)
        grid.addWidget(self.rename_button, 0, 3)
        grid.addWidget(under_label, 1, 0)
        grid.addWidget(self.parent_choice, 1, 1)
        grid.addWidget(self.move_button, 1, 2)
        grid.addWidget(self.active_button, 1, 3)
        grid.addWidget(self.merge_button, 2, 0)
        grid.addWidget(self.merge_target, 2, 1)
        return grid

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())
        return button

    # Reading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        keep = self.selected()
        try:
            rows = categories.list_categories(self._db, self._actor, self.retired.isChecked())
        except InvdeskError as error:
            self.error.show_message(error.message)
            return
        self.model.set_rows(rows)
        self.parent_choice.clear()
        self.parent_choice.addItem(TOP_LEVEL, None)
        self.merge_target.clear()
        for row in rows:
            if row.active:
                self.merge_target.addItem(row.path, row.name)
            if row.active and row.parent is None:
                self.parent_choice.addItem(row.name, row.name)
        if keep is not None:
            self.select(keep.name)
        self._selected_changed()

    def selected(self) -> CategoryView | None:
        rows = self.table.selectionModel().selectedRows()
        found = self.model.row_at(rows[0].row()) if rows else None
        return found if isinstance(found, CategoryView) else None

    def select(self, name: str) -> bool:
        for number in range(self.model.rowCount()):
            if self.model.row_at(number).name == name:
                self.table.selectRow(number)
                return True
        return False

    def _selected_changed(self) -> None:
        row = self.selected()
        for button in (self.rename_button, self.move_button, self.active_button):
            button.setEnabled(row is not None)
        self.merge_button.setEnabled(row is not None and self.merge_target.count() > 1)
        self.active_button.setText("Re&tire" if row is None or row.active else "Reac&tivate")

    # Editing ----------------------------------------------------------------------------------
    def _run(self, work: Callable[[], CategoryView], select: str | None = None) -> bool:
        try:
            view = work()
        except InvdeskError as error:
            self.error.show_message(error.message)
            return False
        self.error.show_message(None)
        self.reload()
        self.select(select or view.name)
        self.changed.emit()
        return True

    def add(self) -> bool:
        parent = self.parent_choice.currentData()
        done = self._run(
            lambda: categories.create_category(self._db, self.name.text(), self._actor, parent)
        )
        if done:
            self.name.clear()
        return done

    def rename_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        new_name = self.name.text()
        return self._run(
            lambda: categories.rename_category(
                self._db, row.name, new_name, self._actor, row.version
            )
        )

    def move_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        parent = self.parent_choice.currentData()
        return self._run(
            lambda: categories.move_category(self._db, row.name, parent, self._actor, row.version)
        )

    def toggle_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        return self._run(
            lambda: categories.set_category_active(
                self._db, row.name, not row.active, self._actor, row.version
            )
        )

    def confirm_merge(self) -> QMessageBox | None:
        """Ask first (a merge removes the category), without blocking: the box answers later."""
        row, into = self.selected(), self.merge_target.currentData()
        if row is None or into is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Merge categories",
            f"Move the {row.products:,} products and the restock policies of {row.path} into "
            f"{into}, and remove {row.name}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: button is yes and self.merge_selected(into))
        box.open()
        return box

    def merge_selected(self, into: str) -> bool:
        row = self.selected()
        if row is None:
            return False
        return self._run(
            lambda: categories.merge_category(self._db, row.name, into, self._actor, row.version),
            select=into,
        )
