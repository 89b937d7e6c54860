"""The stock count dialog: what is on the shelf, with on hand and the difference shown live."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.catalog import REASON_MAX, REFERENCE_MAX
from invdesk.domain.errors import InvdeskError, ValidationError
from invdesk.domain.security import Actor
from invdesk.domain.stock import AdjustStock
from invdesk.domain.validation import parse_count
from invdesk.services.reads import dialog_lookups
from invdesk.services.reads.dialog_lookups import ScannedCode, StockFigure
from invdesk.services.stock import operations
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.posting import PostingDialog
from invdesk.ui.dialogs.stock_dialogs import NO_WAREHOUSE
from invdesk.ui.dialogs.widgets import (
    ERROR_COLOR,
    OK_COLOR,
    ErrorLabel,
    FieldForm,
    Heading,
    ScanField,
    WarehouseCombo,
    regex_validator,
)


class AdjustDialog(PostingDialog):
    """Type (or scan) a product, pick the warehouse, enter the count; Post records the difference."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        warehouse: str | None = None,
        lines: Sequence[tuple[str, int]] = (),
    ) -> None:
        super().__init__(db, actor, parent)
        self.item: ScannedCode | None = None
        self.figure: StockFigure | None = None
        self._product_problem: str | None = "Scan or type the product counted."
        self.setWindowTitle("Stock count")
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        outer.addWidget(
            Heading(
                "Stock count",
                "Scan the product, type what is on the shelf, check the difference.",
                self,
            )
        )
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = FieldForm(layout)
        self._build_what_and_where(layout, warehouse)
        self._build_count(layout)
        outer.addLayout(layout)
        self._build_buttons(outer)
        self._connect()
        if lines:
            code, qty = lines[0]
            self.set_product(code, quiet=True)
            self.counted.setText(str(qty))
        self._changed()
        (self.counted if self.item else self.product).setFocus()

    def _build_what_and_where(self, layout: QFormLayout, warehouse: str | None) -> None:
        """The product (scanned or typed, its name below) and the warehouse with its on hand."""
        self.product = ScanField(self)
        self.form.add("&Product:", self.product, "product")
        self.product_name = QLabel("—", self)
        layout.addRow("", self.product_name)
        self.warehouse = WarehouseCombo(self)
        try:
            choices = dialog_lookups.active_warehouses(self._db, self._actor)
        except InvdeskError:
            choices = []
        self.warehouse.fill(choices, warehouse)
        self.form.add("&Warehouse:", self.warehouse, "warehouse")
        self.on_hand = QLabel("—", self)
        layout.addRow("On hand now:", self.on_hand)

    def _build_count(self, layout: QFormLayout) -> None:
        """What is on the shelf, the difference it makes, and why (reason, reference)."""
        self.counted = QLineEdit(self)
        self.counted.setValidator(regex_validator(r"\d{0,10}", self.counted))
        self.counted.setPlaceholderText("Units on the shelf")
        self.form.add("&Counted:", self.counted, "counted")
        self.difference = QLabel("—", self)
        layout.addRow("Difference:", self.difference)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText("Stock count")
        self.form.add("Re&ason:", self.reason, "reason")
        self.reference = QLineEdit(self)
        self.reference.setMaxLength(REFERENCE_MAX)
        self.reference.setPlaceholderText("Count sheet (optional)")
        self.form.add("Re&ference:", self.reference, "reference")

    def _build_buttons(self, outer: QVBoxLayout) -> None:
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.post_button = self.buttons.addButton(
            "&Record count", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.post_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        outer.addWidget(self.buttons)

    def _connect(self) -> None:
        self.product.code_entered.connect(self.set_product)
        self.product.textEdited.connect(self._product_edited)
        self.warehouse.currentIndexChanged.connect(self._refresh_figure)
        self.counted.textChanged.connect(self._changed)
        self.reason.textChanged.connect(self._changed)
        self.reference.textChanged.connect(self._changed)
        self.buttons.accepted.connect(self.post)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.post)

    def handle_scan(self, code: str) -> bool:
        """A scan picks the product to count."""
        self.set_product(code.strip())
        return True

    def set_product(self, code: str, *, quiet: bool = False) -> bool:
        """Look up the product to count; red flash and a message at the field if unknown."""
        self.product.setText(code)
        try:
            self.item = dialog_lookups.resolve_code(self._db, self._actor, code)
        except InvdeskError as error:
            self.item = None
            self._product_problem = error.message
            self.product_name.setText("—")
            self.product.flash("unknown")
            self._refresh_figure()
            return False
        self._product_problem = None
        self.product_name.setText(
            f"{self.item.name} ({self.item.sku}), counted in {self.item.unit}"
        )
        if not quiet:
            self.product.flash("ok")
        self._refresh_figure()
        self.counted.setFocus()
        self.counted.selectAll()
        return True

    def _product_edited(self, _text: str) -> None:
        if self.item is not None:
            self.item = None
            self._product_problem = "Press Enter to look the product up."
            self.product_name.setText("—")
            self._refresh_figure()

    def _refresh_figure(self, *_args: Any) -> None:
        self.figure = None
        code = self.warehouse.code()
        if self.item is not None and code:
            try:
                self.figure = dialog_lookups.stock_figure(
                    self._db, self._actor, self.item.sku, code
                )
            except InvdeskError as error:
                self.error.show_message(error.message)
        if self.figure is None:
            self.on_hand.setText("—")
        else:
            reserved = f", {self.figure.reserved:,} reserved" if self.figure.reserved else ""
            self.on_hand.setText(
                f"{self.figure.on_hand:,} {self.item.unit if self.item else ''}{reserved}"
            )
        self._changed()

    def counted_value(self) -> int | None:
        try:
            return parse_count(self.counted.text()) if self.counted.text().strip() else None
        except ValidationError:
            return None

    def _changed(self, *_args: Any) -> None:
        self._service_error = None
        self.error.show_message(None)
        self.revalidate()

    def revalidate(self) -> None:
        problems: dict[str, str] = {}
        if self._product_problem and (self.product.text().strip() or self.item is not None):
            problems["product"] = self._product_problem
        if not self.warehouse.code():
            problems["warehouse"] = NO_WAREHOUSE
        counted = self.counted_value()
        if self.counted.text().strip() and counted is None:
            problems["counted"] = "Enter a whole number of units, 0 or more."
        if self._service_error and self._service_error[0] in self.form.widgets:
            problems[self._service_error[0] or ""] = self._service_error[1]
        self.form.show(problems)
        if counted is not None and self.figure is not None:
            diff = counted - self.figure.on_hand
            color = OK_COLOR if diff >= 0 else ERROR_COLOR
            word = "no change" if diff == 0 else ("found" if diff > 0 else "missing")
            self.difference.setText(f"<b style='color:{color}'>{diff:+,}</b> ({word})")
        else:
            self.difference.setText("—")
        ready = self.item is not None and counted is not None and not problems
        self.post_button.setEnabled(ready and self.figure is not None)

    def command(self) -> AdjustStock:
        assert self.item is not None
        return AdjustStock(
            self.item.sku,  # the SKU, so the count is in units even if a case barcode was scanned
            self.warehouse.code() or "",
            self.counted_value(),
            reason=self.reason.text().strip() or None,
            reference=self.reference.text().strip() or None,
            request_id=self.request_id,
        )

    def service(self) -> Any:
        return operations.adjust
