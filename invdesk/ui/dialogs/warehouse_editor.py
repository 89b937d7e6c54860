"""The warehouse editor: code, name, address, active, with 'changed by someone else' handling."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from invdesk.domain.catalog import (
    ADDRESS_MAX,
    NAME_MAX,
    WAREHOUSE_CODE_MAX,
    EditWarehouse,
    WarehouseView,
)
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import warehouses
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.widgets import regex_validator


class WarehouseEditor(RecordEditor):
    """New warehouse (code None) or an existing one; its code cannot change once created."""

    KIND = "Warehouse"

    def __init__(
        self, db: Database, actor: Actor, parent: QWidget | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(db, actor, parent)
        self.setMinimumWidth(480)
        layout = self._open_frame(
            "New warehouse", "Stock is kept per warehouse; its code is how clerks name it."
        )
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
        self._close_frame(layout)

        self.code.textChanged.connect(self._changed)
        self.name.textChanged.connect(self._changed)
        self.address.textChanged.connect(self._changed)
        self.active.toggled.connect(self._changed)

        if code is not None:
            self.record = warehouses.get_warehouse(db, code, actor)
            self._fill(self.record)
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

    @property
    def warehouse(self) -> WarehouseView | None:
        return self.record  # type: ignore[no-any-return]

    def _fill(self, warehouse: WarehouseView) -> None:
        self.setWindowTitle(f"Warehouse {warehouse.code}")
        self.heading.set_title(f"Warehouse {warehouse.code}")
        self.code.setText(warehouse.code)
        self.name.setText(warehouse.name)
        self.address.setPlainText(warehouse.address or "")
        self.active.setChecked(warehouse.active)

    def problems(self) -> dict[str, str]:
        found = {}
        if not self.code.text().strip():
            found["code"] = "Enter a code."
        if not self.name.text().strip():
            found["name"] = "Enter a name."
        if len(self.address.toPlainText()) > ADDRESS_MAX:
            found["address"] = f"At most {ADDRESS_MAX} characters."
        return found

    def _record_name(self) -> str:
        return f"Warehouse {self.warehouse.code if self.warehouse else ''}"

    def _write(self) -> WarehouseView:
        address = self.address.toPlainText().strip()
        if self.warehouse is None:
            return warehouses.create_warehouse(
                self._db, self.code.text(), self.name.text(), self._actor, address or None
            )
        return warehouses.edit_warehouse(
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

    def _reread(self) -> WarehouseView:
        assert self.warehouse is not None
        return warehouses.get_warehouse(self._db, self.warehouse.code, self._actor)
