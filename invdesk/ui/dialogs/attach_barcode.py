"""An unknown scanned code: attach it to an existing product, or start a new product with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.barcodes import MAX_PACK_QTY
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.catalog import products
from invdesk.services.reads import dialog_lookups
from invdesk.services.reads.dialog_lookups import ScannedCode
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.widgets import ErrorLabel, FieldForm, Heading


class AttachBarcodeDialog(QDialog):
    """Type the SKU the code belongs to and how many units one scan is; `saved` gets the product."""

    saved = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, parent: QWidget | None = None, *, code: str
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self.code = db, actor, code.strip()
        self.target: ScannedCode | None = None
        self.saved_view: Any = None
        self.setWindowTitle("Unknown code")
        self.setMinimumWidth(460)
        outer = QVBoxLayout(self)
        outer.addWidget(
            Heading(
                f"Unknown code {self.code}",
                "Attach it to the product it is printed on, or create a new product with it.",
                self,
            )
        )
        layout = QFormLayout()
        self.form = FieldForm(layout)
        self.product = QLineEdit(self)
        self.product.setPlaceholderText("SKU or another barcode of the product")
        self.form.add("&Product:", self.product, "sku")
        self.product_name = QLabel("—", self)
        layout.addRow("", self.product_name)
        self.pack = QSpinBox(self)
        self.pack.setRange(1, MAX_PACK_QTY)
        self.pack.setPrefix("× ")
        self.pack.setToolTip("Units one scan stands for: 12 for a case of twelve")
        self.pack.setMaximumWidth(140)
        self.form.add("&Units per scan:", self.pack, "barcode")
        outer.addLayout(layout)
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.attach_button = self.buttons.addButton(
            "&Attach", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.attach_button.setDefault(True)
        self.new_button = self.buttons.addButton(
            "&New product…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.new_button.setAutoDefault(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        outer.addWidget(self.buttons)
        self.product.textChanged.connect(self._look_up)
        self.buttons.accepted.connect(self.attach)
        self.buttons.rejected.connect(self.reject)
        self.new_button.clicked.connect(self.new_product)
        self._look_up("")
        self.product.setFocus()

    def handle_scan(self, code: str) -> bool:
        """Scanning the product's other barcode picks it."""
        self.product.setText(code.strip())
        return True

    def _look_up(self, text: str) -> None:
        self.target = None
        message = None
        if text.strip():
            try:
                self.target = dialog_lookups.resolve_code(self._db, self._actor, text)
            except InvdeskError as error:
                message = error.message
        self.product_name.setText(f"{self.target.name} ({self.target.sku})" if self.target else "—")
        self.form.show({"sku": message} if message else {})
        self.error.show_message(None)
        self.attach_button.setEnabled(self.target is not None)

    def attach(self) -> None:
        if self.target is None:
            return
        try:
            view = products.add_barcode(
                self._db, self.target.sku, self.code, self.pack.value(), self._actor
            )
        except InvdeskError as error:
            if error.field in self.form.widgets:
                self.form.show({error.field or "": error.message})
            else:
                self.error.show_message(error.message)
            return
        self.saved_view = view
        self.saved.emit(view)
        self.accept()

    def new_product(self) -> None:
        from invdesk.ui.dialogs.product_editor import ProductEditor

        editor = ProductEditor(self._db, self._actor, self, barcode=self.code)
        editor.saved.connect(self._created)
        editor.exec()

    def _created(self, view: Any) -> None:
        self.saved_view = view
        self.saved.emit(view)
        self.accept()
