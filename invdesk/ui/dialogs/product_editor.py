"""The product editor: fields, barcodes with pack sizes, and 'changed by someone else' handling."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.catalog import (
    DESCRIPTION_MAX,
    NAME_MAX,
    SKU_MAX,
    UNIT_MAX,
    CreateProduct,
    EditProduct,
    ProductView,
)
from invdesk.domain.errors import InvdeskError, ValidationError
from invdesk.domain.security import Actor, Permission
from invdesk.domain.tracking import SHELF_LIFE_MAX_DAYS
from invdesk.domain.validation import parse_money
from invdesk.services.catalog import barcodes, categories, products
from invdesk.services.reads import dialog_lookups
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.barcode_list import BarcodeList
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.widgets import MONEY_PATTERN, regex_validator


def money_text(amount: Decimal) -> str:
    """12.5000 as 12.50; more decimals only when the amount has them."""
    return f"{amount:.2f}" if amount == round(amount, 2) else f"{amount.normalize():f}"


UNITS = ("each", "box", "pack", "pair", "kg", "g", "l", "ml", "m")
TRACKING_CHOICES = (
    ("No lots or serials", "none"),
    ("By lot, with expiry", "lot"),
    ("By serial number", "serial"),
)


class ProductEditor(RecordEditor):
    """New product (sku None) or an existing one; `barcode` pre-fills a code to attach."""

    KIND = "Product"

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        sku: str | None = None,
        barcode: str | None = None,
    ) -> None:
        super().__init__(db, actor, parent)
        self.setMinimumWidth(560)
        layout = self._open_frame(
            "New product", "Barcodes: a unit code, and case codes that stand for several units."
        )
        self.sku = QLineEdit(self)
        self.sku.setMaxLength(SKU_MAX)
        self.sku.setValidator(regex_validator(r"\S*", self.sku))
        self.sku.setPlaceholderText("e.g. CAB-001")
        self.form.add("S&KU:", self.sku, "sku")
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX)
        self.form.add("&Name:", self.name, "name")
        self.category = QComboBox(self)
        self.category.setMinimumWidth(200)
        self.form.add("Ca&tegory:", self.category, "category")
        self.unit = QComboBox(self)
        self.unit.setEditable(True)
        self.unit.setMinimumWidth(120)
        self.unit.addItems(UNITS)
        self.unit.lineEdit().setMaxLength(UNIT_MAX)
        self.form.add("&Unit:", self.unit, "unit")
        self.price = self._money_field()
        self.form.add("&Price:", self.price, "price")
        self.cost = self._money_field()
        self.form.add("C&ost:", self.cost, "cost")
        self.tracking = QComboBox(self)
        for label, value in TRACKING_CHOICES:
            self.tracking.addItem(label, value)
        self.shelf_life = QSpinBox(self)
        self.shelf_life.setRange(0, SHELF_LIFE_MAX_DAYS)
        self.shelf_life.setSpecialValueText("none")
        self.shelf_life.setSuffix(" days")
        self.shelf_life.setToolTip("Dates a new lot received without an expiry (0: none).")
        tracking_row = QWidget(self)
        row = QHBoxLayout(tracking_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.tracking)
        row.addWidget(QLabel("Shelf &life:", tracking_row))
        row.itemAt(1).widget().setBuddy(self.shelf_life)  # type: ignore[union-attr]
        row.addWidget(self.shelf_life)
        row.addStretch(1)
        self.form.add("Trackin&g:", tracking_row, "tracking")
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText("What it is: material, size, what it fits…")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.form.add("&Description:", self.description, "description")
        self.active = QCheckBox("Active (can be received and sold)", self)
        self.active.setChecked(True)
        self.form.add("", self.active, "active")
        self.barcode_box = BarcodeList(self._barcode_owner, self._own_sku, self)
        self.barcodes = self.barcode_box.table
        self.barcode_code = self.barcode_box.code
        self.barcode_pack = self.barcode_box.pack
        self.form.add("&Barcodes:", self.barcode_box, "barcode")
        self._close_frame(layout)
        if sku is not None and actor.can(Permission.REPORTS):
            history = self.buttons.addButton(
                "Stock &history…", QDialogButtonBox.ButtonRole.ActionRole
            )
            history.clicked.connect(lambda: self.show_history(sku))

        for widget in (self.sku, self.name, self.price, self.cost):
            widget.textChanged.connect(self._changed)
        self.unit.currentTextChanged.connect(self._changed)
        self.tracking.currentIndexChanged.connect(self._changed)
        self.shelf_life.valueChanged.connect(self._changed)
        self.description.textChanged.connect(self._changed)
        self.category.currentIndexChanged.connect(self._changed)
        self.active.toggled.connect(self._changed)
        self.barcode_box.changed.connect(self._changed)
        self.barcode_box.refused.connect(self._barcode_refused)

        self._load_categories()
        if sku is not None:
            self.record = products.get_product(db, sku, actor)
            self._fill(self.record)
        else:
            self.setWindowTitle("New product")
            self.active.setEnabled(False)
            self.price.setText("0.00")
            self.cost.setText("0.00")
        if barcode:
            self.barcode_code.setText(barcode)
            self.add_barcode()
        if not actor.can(Permission.CATALOG):
            self._read_only()
        self._changed()
        (self.name if sku is not None else self.sku).setFocus()

    @property
    def product(self) -> ProductView | None:
        return self.record  # type: ignore[no-any-return]

    # Building -----------------------------------------------------------------------------------
    def _money_field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setValidator(regex_validator(MONEY_PATTERN, field))
        field.setAlignment(Qt.AlignmentFlag.AlignRight)
        field.setMinimumWidth(140)
        field.setMaximumWidth(160)
        return field

    def _read_only(self) -> None:
        """A clerk may look but not change: inputs locked, Save hidden, and why."""
        for field in (self.sku, self.name, self.price, self.cost):
            field.setReadOnly(True)
        self.description.setReadOnly(True)
        for widget in (
            self.category,
            self.unit,
            self.tracking,
            self.shelf_life,
            self.active,
            self.barcode_box,
        ):
            widget.setEnabled(False)
        self.save_button.hide()
        self.heading.hint.setText("Only managers and admins can change products.")

    def _barcode_owner(self, code: str) -> str | None:
        return dialog_lookups.barcode_owner(self._db, self._actor, code)

    def _own_sku(self) -> str | None:
        return self.product.sku if self.product else None

    def _load_categories(self) -> None:
        """Each category by its path (Clothing > Shirts), holding its name."""
        try:
            found = categories.list_categories(self._db, self._actor)
        except InvdeskError as error:
            found = []
            self.error.show_message(error.message)
        self.category.clear()
        for category in found:
            self.category.addItem(category.path, category.name)

    def category_name(self) -> str:
        return str(self.category.currentData() or self.category.currentText())

    def _fill(self, product: ProductView) -> None:
        self.setWindowTitle(f"Product {product.sku}")
        self.heading.set_title(f"{product.sku} · {product.name}")
        self.sku.setText(product.sku)
        self.name.setText(product.name)
        if self.category.findData(product.category) < 0:
            self.category.addItem(product.category, product.category)  # a retired one shows
        self.category.setCurrentIndex(self.category.findData(product.category))
        self.description.setPlainText(product.description or "")
        self.tracking.setCurrentIndex(max(self.tracking.findData(product.tracking), 0))
        self.shelf_life.setValue(product.shelf_life_days or 0)
        self.unit.setCurrentText(product.unit)
        self.price.setText(money_text(product.price))
        self.cost.setText(money_text(product.cost))
        self.active.setChecked(product.active)
        self.barcode_box.set_codes(tuple((b.code, b.pack_qty) for b in product.barcodes))

    # Barcodes -----------------------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan while the editor is open lists that barcode (with the pack size chosen beside
        it); no other field changes and nothing is saved. Refused when the editor is read-only."""
        if not self._actor.can(Permission.CATALOG):
            QApplication.beep()
            self.scan_refused(f"Scan {code} not taken: only managers can add barcodes.")
            return False
        self.barcode_code.setText(code.strip())
        self.add_barcode()
        return True

    def barcode_list(self) -> tuple[tuple[str, int], ...]:
        return self.barcode_box.codes()

    def add_barcode(self) -> bool:
        """List the code typed in the barcode field (checked as it is added)."""
        return self.barcode_box.add()

    def remove_selected_barcodes(self) -> None:
        self.barcode_box.remove_selected()

    def _barcode_refused(self, message: str) -> None:
        self._service_error = ("barcode", message)
        self.revalidate()

    # Validation and saving ----------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.sku.text().strip():
            found["sku"] = "Enter a SKU."
        if not self.name.text().strip():
            found["name"] = "Enter a name."
        if not self.category.currentText():
            found["category"] = "Choose a category."
        if len(self.description.toPlainText()) > DESCRIPTION_MAX:
            found["description"] = f"At most {DESCRIPTION_MAX:,} characters."
        if not self.unit.currentText().strip():
            found["unit"] = "Enter a unit, e.g. each."
        for field, widget in (("price", self.price), ("cost", self.cost)):
            try:
                parse_money(widget.text().replace(",", "."), label=field.title(), field=field)
            except ValidationError as error:
                found[field] = error.message
        return found

    def _record_name(self) -> str:
        return f"Product {self.product.sku if self.product else ''}"

    def _write(self) -> ProductView:
        return self._save_new() if self.product is None else self._save_edit(self.product)

    def _money(self, widget: QLineEdit) -> str:
        return widget.text().strip().replace(",", ".")

    def _save_new(self) -> ProductView:
        return products.create_product(
            self._db,
            CreateProduct(
                sku=self.sku.text().strip(),
                name=self.name.text().strip(),
                category=self.category_name(),
                unit=self.unit.currentText().strip(),
                price=self._money(self.price),
                cost=self._money(self.cost),
                barcodes=self.barcode_list(),
                description=self.description.toPlainText(),
                tracking=self.tracking.currentData(),
                shelf_life_days=self.shelf_life.value() or None,
            ),
            self._actor,
        )

    def _save_edit(self, before: ProductView) -> ProductView:
        """Fields and barcodes in one transaction: all saved, or nothing."""
        view = barcodes.save_product(
            self._db,
            EditProduct(
                sku=before.sku,
                expected_version=before.version,
                new_sku=self.sku.text().strip(),
                name=self.name.text().strip(),
                category=self.category_name(),
                unit=self.unit.currentText().strip(),
                price=self._money(self.price),
                cost=self._money(self.cost),
                active=self.active.isChecked(),
                description=self.description.toPlainText(),
                tracking=self.tracking.currentData(),
                shelf_life_days=self.shelf_life.value(),
            ),
            self.barcode_list(),
            self._actor,
        )
        self.record = view
        return view

    def _reread(self) -> ProductView:
        """By id: someone else may have renamed the SKU since this editor opened."""
        assert self.product is not None
        sku = dialog_lookups.product_sku(self._db, self._actor, self.product.id)
        return products.get_product(self._db, sku, self._actor)

    def show_history(self, sku: str) -> QDialog:
        """Stock over time per warehouse, demand and its forecast, for this product."""
        from invdesk.ui.charts.product_chart import ProductChartWidget

        window = QDialog(self)
        window.setWindowTitle(f"Stock history: {sku}")
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.resize(1000, 640)
        layout = QVBoxLayout(window)
        layout.addWidget(ProductChartWidget(self._db, self._actor, sku, window))
        window.open()
        return window
