"""The warehouse editor: code, name, address, active, with 'changed by someone else' handling."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.catalog import (
    ADDRESS_MAX,
    NAME_MAX,
    WAREHOUSE_CODE_MAX,
    EditWarehouse,
    WarehouseView,
)
from invdesk.domain.errors import Conflict, InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services import warehouses
from invdesk.services.database import Database
from invdesk.ui.dialogs.widgets import ConflictBar, ErrorLabel, FieldForm, Heading, regex_validator


class WarehouseEditor(QDialog):
    """New warehouse (code None) or an existing one; its code cannot change once created."""

    saved = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, parent: QWidget | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.warehouse: WarehouseView | None = None
        self.saved_view: WarehouseView | None = None
        self._service_error: tuple[str | None, str] | None = None
        self.setMinimumWidth(480)

        outer = QVBoxLayout(self)
        self.heading = Heading(
            "New warehouse", "Stock is kept per warehouse; its code is how clerks name it.", self
        )
        outer.addWidget(self.heading)
        self.conflict = ConflictBar(self)
        outer.addWidget(self.conflict)
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = FieldForm(layout)
        self.code = QLineEdit(self)
        self.code.setMaxLength(WAREHOUSE_CODE_MAX)
        self.code.setValidator(regex_validator(r"[A-Za-z0-9_-]*", self.code))
        self.code.setPlaceholderText("Letters, digits, - and _, e.g. MAIN")
        self.form.add("&Code:", self.code, "code")
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX)
        self.form.add("&Name:", self.name, "name")
        self.address = QPlainTextEdit(self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(72)
        self.form.add("&Address:", self.address, "address")
        self.active = QCheckBox("Active (stock can be moved in)", self)
        self.active.setChecked(True)
        self.form.add("", self.active, "active")
        outer.addLayout(layout)
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        outer.addWidget(self.buttons)

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.conflict.reload_requested.connect(self.reload)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)
        self.code.textChanged.connect(self._changed)
        self.name.textChanged.connect(self._changed)
        self.address.textChanged.connect(self._changed)
        self.active.toggled.connect(self._changed)

        if code is not None:
            self.warehouse = warehouses.get_warehouse(db, code, actor)
            self._fill(self.warehouse)
            self.code.setReadOnly(True)
            self.code.setToolTip("A warehouse keeps its code; its history refers to it.")
            self.code.setStyleSheet("background: palette(window);")
            self.name.setFocus()
        else:
            self.setWindowTitle("New warehouse")
            self.active.setEnabled(False)
            self.code.setFocus()
        if not actor.can(Permission.CATALOG):
            for field in (self.code, self.name):
                field.setReadOnly(True)
            self.address.setReadOnly(True)
            self.active.setEnabled(False)
            self.save_button.hide()
            self.heading.hint.setText("Only managers and admins can change warehouses.")
        self._changed()

    def handle_scan(self, code: str) -> bool:
        return False  # nothing here takes a barcode

    def _fill(self, warehouse: WarehouseView) -> None:
        self.setWindowTitle(f"Warehouse {warehouse.code}")
        self.heading.set_title(f"Warehouse {warehouse.code}")
        self.code.setText(warehouse.code)
        self.name.setText(warehouse.name)
        self.address.setPlainText(warehouse.address or "")
        self.active.setChecked(warehouse.active)

    def _changed(self, *_args: Any) -> None:
        self._service_error = None
        self.error.show_message(None)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        found = {}
        if not self.code.text().strip():
            found["code"] = "Enter a code."
        if not self.name.text().strip():
            found["name"] = "Enter a name."
        if len(self.address.toPlainText()) > ADDRESS_MAX:
            found["address"] = f"At most {ADDRESS_MAX} characters."
        return found

    def revalidate(self) -> None:
        found = self.problems()
        messages = dict(found)
        if self._service_error and self._service_error[0] in self.form.widgets:
            messages[self._service_error[0] or ""] = self._service_error[1]
        self.form.show(messages)
        self.save_button.setEnabled(not found and self.conflict.isHidden())

    def can_save(self) -> bool:
        return self.save_button.isEnabled()

    def save(self) -> None:
        if not self.can_save() or self.saved_view is not None or self.save_button.isHidden():
            return
        address = self.address.toPlainText().strip()
        try:
            if self.warehouse is None:
                view = warehouses.create_warehouse(
                    self._db, self.code.text(), self.name.text(), self._actor, address or None
                )
            else:
                view = warehouses.edit_warehouse(
                    self._db,
                    EditWarehouse(
                        code=self.warehouse.code,
                        expected_version=self.warehouse.version,
                        name=self.name.text(),
                        address=address,
                        active=self.active.isChecked(),
                    ),
                    self._actor,
                )
        except InvdeskError as error:
            if isinstance(error, Conflict) and error.field is None and self.warehouse:
                self.conflict.show_conflict(f"Warehouse {self.warehouse.code}")
                self.save_button.setEnabled(False)
                return
            self._service_error = (error.field, error.message)
            if error.field in self.form.widgets:
                self.revalidate()
                self.form.widgets[error.field].setFocus()
            else:
                self.error.show_message(error.message)
            return
        self.saved_view = view
        self.saved.emit(view)
        self.accept()

    def reload(self) -> None:
        if self.warehouse is None:
            return
        try:
            self.warehouse = warehouses.get_warehouse(self._db, self.warehouse.code, self._actor)
        except InvdeskError as error:
            self.error.show_message(error.message)
            return
        self._fill(self.warehouse)
        self.conflict.hide()
        self._changed()
