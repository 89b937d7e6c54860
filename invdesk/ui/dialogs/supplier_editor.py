"""The supplier editor: code, name, contact, e-mail, phone, address, default lead time, notes and
active, saved with optimistic locking ("changed by someone else": reload, never overwrite)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from invdesk.domain.purchasing import (
    CONTACT_MAX,
    EMAIL_MAX,
    MAX_LEAD_DAYS,
    NOTES_MAX,
    PHONE_MAX,
    SUPPLIER_CODE_MAX,
    SUPPLIER_NAME_MAX,
    SupplierDetails,
    SupplierView,
)
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import suppliers
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.widgets import regex_validator

ADDRESS_MAX = 500


class SupplierEditor(RecordEditor):
    """A new supplier (code None) or an existing one; its code stays once created (POs name it)."""

    KIND = "Supplier"

    def __init__(
        self, db: Database, actor: Actor, parent: QWidget | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(db, actor, parent)
        self.setMinimumWidth(520)
        layout = self._open_frame(
            "New supplier", "Who sells us goods; purchase orders and product links name its code."
        )
        self.code = self._line(SUPPLIER_CODE_MAX, "Letters, digits, - and _, e.g. ACME")
        self.code.setValidator(regex_validator(r"[A-Za-z0-9_-]*", self.code))
        self.form.add("&Code:", self.code, "code")
        self.name = self._line(SUPPLIER_NAME_MAX)
        self.form.add("&Name:", self.name, "name")
        self.contact = self._line(CONTACT_MAX, "The person we order from")
        self.form.add("C&ontact:", self.contact, "contact")
        self.email = self._line(EMAIL_MAX, "orders@example.com")
        self.form.add("&E-mail:", self.email, "email")
        self.phone = self._line(PHONE_MAX)
        self.form.add("&Phone:", self.phone, "phone")
        self.address = self._text(64)
        self.form.add("A&ddress:", self.address, "address")
        self.lead_days = self._line(4, "Days from order to delivery (empty: not known)")
        self.lead_days.setValidator(regex_validator(r"\d{0,4}", self.lead_days))
        self.form.add("&Lead time (days):", self.lead_days, "lead_days")
        self.notes = self._text(56)
        self.form.add("No&tes:", self.notes, "notes")
        self.active = QCheckBox("Active (new purchase orders may name it)", self)
        self.active.setChecked(True)
        self.form.add("", self.active, "active")
        self._close_frame(layout)
        for field in (self.code, self.name, self.contact, self.email, self.phone, self.lead_days):
            field.textChanged.connect(self._changed)
        self.address.textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.active.toggled.connect(self._changed)

        if code is not None:
            self.record = suppliers.get_supplier(db, code, actor)
            self._fill(self.record)
            self.code.setReadOnly(True)
            self.code.setToolTip("A supplier keeps its code; its purchase orders refer to it.")
            self.code.setStyleSheet("background: palette(window);")
            self.name.setFocus()
        else:
            self.setWindowTitle("New supplier")
            self.active.setEnabled(False)
            self.code.setFocus()
        if not actor.can(Permission.CATALOG):
            for line in (self.code, self.name, self.contact, self.email, self.phone):
                line.setReadOnly(True)
            self.lead_days.setReadOnly(True)
            self.address.setReadOnly(True)
            self.notes.setReadOnly(True)
            self.active.setEnabled(False)
            self.save_button.hide()
            self.heading.hint.setText("Only managers and admins can change suppliers.")
        self._changed()

    def _line(self, max_len: int, hint: str = "") -> QLineEdit:
        field = QLineEdit(self)
        field.setMaxLength(max_len)
        field.setPlaceholderText(hint)
        return field

    def _text(self, height: int) -> QPlainTextEdit:
        field = QPlainTextEdit(self)
        field.setTabChangesFocus(True)
        field.setFixedHeight(height)
        return field

    @property
    def supplier(self) -> SupplierView | None:
        return self.record  # type: ignore[no-any-return]

    def _fill(self, supplier: SupplierView) -> None:
        self.setWindowTitle(f"Supplier {supplier.code}")
        self.heading.set_title(f"Supplier {supplier.code}")
        self.code.setText(supplier.code)
        self.name.setText(supplier.name)
        self.contact.setText(supplier.contact or "")
        self.email.setText(supplier.email or "")
        self.phone.setText(supplier.phone or "")
        self.address.setPlainText(supplier.address or "")
        self.lead_days.setText("" if supplier.lead_days is None else str(supplier.lead_days))
        self.notes.setPlainText(supplier.notes or "")
        self.active.setChecked(supplier.active)

    def problems(self) -> dict[str, str]:
        found = {}
        if not self.code.text().strip():
            found["code"] = "Enter a code."
        if not self.name.text().strip():
            found["name"] = "Enter a name."
        if self.lead_days.text() and int(self.lead_days.text()) > MAX_LEAD_DAYS:
            found["lead_days"] = f"At most {MAX_LEAD_DAYS:,} days."
        if len(self.address.toPlainText()) > ADDRESS_MAX:
            found["address"] = f"At most {ADDRESS_MAX} characters."
        if len(self.notes.toPlainText()) > NOTES_MAX:
            found["notes"] = f"At most {NOTES_MAX:,} characters."
        return found

    def _record_name(self) -> str:
        return f"Supplier {self.supplier.code if self.supplier else ''}"

    def details(self) -> SupplierDetails:
        """What the form says; an edit carries the version it was read at."""
        current = self.supplier
        return SupplierDetails(
            code=self.code.text().strip(),
            name=self.name.text().strip(),
            contact=self.contact.text().strip(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            address=self.address.toPlainText().strip(),
            lead_days=self.lead_days.text().strip(),
            notes=self.notes.toPlainText().strip(),
            active=None if current is None else self.active.isChecked(),
            expected_version=None if current is None else current.version,
        )

    def _write(self) -> SupplierView:
        if self.supplier is None:
            return suppliers.create_supplier(self._db, self.details(), self._actor)
        return suppliers.edit_supplier(self._db, self.details(), self._actor)

    def _reread(self) -> SupplierView:
        assert self.supplier is not None
        return suppliers.get_supplier(self._db, self.supplier.code, self._actor)
