"""What one supplier sells us of one product: their SKU, price per pack, pack size, minimum order,
lead time and whether they are the product's preferred supplier (one per product)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from invdesk.domain.errors import NotFound
from invdesk.domain.purchasing import (
    MAX_LEAD_DAYS,
    SUPPLIER_SKU_MAX,
    LinkSupplier,
    SupplierLinkView,
)
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import suppliers
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.widgets import MONEY_PATTERN, regex_validator


class SupplierLinkEditor(RecordEditor):
    """A new link of `supplier` to a product (sku None: typed or scanned) or an existing one."""

    KIND = "Product link"

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        supplier: str,
        sku: str | None = None,
    ) -> None:
        super().__init__(db, actor, parent)
        self._supplier = supplier
        self.setMinimumWidth(460)
        layout = self._open_frame(
            f"New product of {supplier}",
            "Prices are per pack; orders round up to whole packs and to the minimum.",
        )
        self.product = self._line(64, "SKU or barcode: type or scan")
        self.form.add("&Product:", self.product, "product")
        self.supplier_sku = self._line(SUPPLIER_SKU_MAX, "Their article number (optional)")
        self.form.add("Supplier S&KU:", self.supplier_sku, "supplier_sku")
        self.price = self._line(12, "Price of one pack (optional)")
        self.price.setValidator(regex_validator(MONEY_PATTERN, self.price))
        self.form.add("Pr&ice per pack:", self.price, "price")
        self.pack_size = self._line(7, "Units in one pack")
        self.pack_size.setValidator(regex_validator(r"\d{0,7}", self.pack_size))
        self.pack_size.setText("1")
        self.form.add("P&ack size:", self.pack_size, "pack_size")
        self.min_qty = self._line(7, "Smallest order in units (0: none)")
        self.min_qty.setValidator(regex_validator(r"\d{0,7}", self.min_qty))
        self.min_qty.setText("0")
        self.form.add("&Minimum order:", self.min_qty, "min_qty")
        self.lead_days = self._line(4, "Empty: the supplier's own lead time")
        self.lead_days.setValidator(regex_validator(r"\d{0,4}", self.lead_days))
        self.form.add("&Lead time (days):", self.lead_days, "lead_days")
        self.preferred = QCheckBox("Pre&ferred supplier of this product (reorder drafts use it)")
        self.form.add("", self.preferred, "preferred")
        self._close_frame(layout)
        for field in (self.product, self.supplier_sku, self.price, self.pack_size, self.min_qty):
            field.textChanged.connect(self._changed)
        self.lead_days.textChanged.connect(self._changed)
        self.preferred.toggled.connect(self._changed)
        if sku is not None:
            found = suppliers.supplier_links(db, actor, supplier=supplier, product=sku)
            if not found:
                raise NotFound(f"{supplier} sells no product {sku}.")
            self.record = found[0]
            self._fill(self.record)
            self.product.setReadOnly(True)
            self.product.setStyleSheet("background: palette(window);")
            self.supplier_sku.setFocus()
        else:
            self.setWindowTitle(f"New product of {supplier}")
            self.product.setFocus()
        if not actor.can(Permission.CATALOG):
            self.save_button.hide()
            self.heading.hint.setText("Only managers and admins can change what suppliers sell.")
        self._changed()

    def _line(self, max_len: int, hint: str = "") -> QLineEdit:
        field = QLineEdit(self)
        field.setMaxLength(max_len)
        field.setPlaceholderText(hint)
        return field

    @property
    def link(self) -> SupplierLinkView | None:
        return self.record  # type: ignore[no-any-return]

    def handle_scan(self, code: str) -> bool:
        """A scanned product label names the product of a new link."""
        if self.link is not None:
            self.scan_refused(f"Scan {code} not taken: this link's product cannot change.")
            return False
        self.product.setText(code.strip())
        self.supplier_sku.setFocus()
        return True

    def _fill(self, link: SupplierLinkView) -> None:
        title = f"{link.sku} from {link.supplier}"
        self.setWindowTitle(title)
        self.heading.set_title(title)
        self.product.setText(link.sku)
        self.supplier_sku.setText(link.supplier_sku or "")
        self.price.setText("" if link.price is None else f"{link.price:f}")
        self.pack_size.setText(str(link.pack_size))
        self.min_qty.setText(str(link.min_qty))
        self.lead_days.setText("" if link.lead_days is None else str(link.lead_days))
        self.preferred.setChecked(link.preferred)

    def problems(self) -> dict[str, str]:
        found = {}
        if not self.product.text().strip():
            found["product"] = "Type or scan the product."
        if not self.pack_size.text() or int(self.pack_size.text()) < 1:
            found["pack_size"] = "A pack holds at least one unit."
        if self.lead_days.text() and int(self.lead_days.text()) > MAX_LEAD_DAYS:
            found["lead_days"] = f"At most {MAX_LEAD_DAYS:,} days."
        return found

    def _record_name(self) -> str:
        return f"The link of {self.link.sku if self.link else ''} to {self._supplier}"

    def command(self) -> LinkSupplier:
        return LinkSupplier(
            supplier=self._supplier,
            product=self.product.text().strip(),
            supplier_sku=self.supplier_sku.text().strip(),
            price=self.price.text().strip().replace(",", "."),  # empty: no price known
            pack_size=self.pack_size.text(),
            min_qty=self.min_qty.text() or "0",
            lead_days=self.lead_days.text().strip(),
            preferred=self.preferred.isChecked(),
            expected_version=None if self.link is None else self.link.version,
        )

    def _write(self) -> SupplierLinkView:
        return suppliers.link_supplier(self._db, self.command(), self._actor)

    def _reread(self) -> SupplierLinkView:
        assert self.link is not None
        found = suppliers.supplier_links(
            self._db, self._actor, supplier=self._supplier, product=self.link.sku
        )
        if not found:
            raise NotFound(f"{self._supplier} no longer sells {self.link.sku}.")
        return found[0]
