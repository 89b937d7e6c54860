"""The company's details (admins): the name and address at the head of every printed document."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from invdesk.domain.catalog import ADDRESS_MAX, NAME_MAX
from invdesk.domain.company import TAX_ID_MAX, CompanyDetails, CompanyView
from invdesk.domain.purchasing import EMAIL_MAX, PHONE_MAX
from invdesk.domain.security import Actor
from invdesk.services.catalog import company
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.record_editor import RecordEditor


class CompanyEditor(RecordEditor):
    KIND = "The company's details"

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.setWindowTitle("Company details")
        self.setMinimumWidth(480)
        layout = self._open_frame(
            "Company details",
            "Purchase orders, pick lists, packing slips and transfer notes are headed with "
            "these; until a name is set, with the warehouse's name and address.",
        )
        self.fields: dict[str, QLineEdit] = {}
        for key, label, limit, hint in (
            ("name", "&Name:", NAME_MAX, "e.g. Cable Co Ltd"),
            ("address", "&Address:", ADDRESS_MAX, "Its lines separated by commas"),
            ("phone", "&Phone:", PHONE_MAX, ""),
            ("email", "&E-mail:", EMAIL_MAX, "Where suppliers answer"),
            ("tax_id", "&Tax id:", TAX_ID_MAX, "VAT or company number"),
        ):
            field = self.fields[key] = QLineEdit(self)
            field.setMaxLength(limit)
            field.setPlaceholderText(hint)
            field.textChanged.connect(self._changed)
            self.form.add(label, field, key)
        self._close_frame(layout)
        self.record = company.get_company(db, actor)
        self._fill(self.record)
        self.fields["name"].setFocus()
        self._changed()

    def _fill(self, record: CompanyView) -> None:
        for key, field in self.fields.items():
            field.setText(getattr(record, key) or "")

    def _write(self) -> CompanyView:
        values = {key: field.text().strip() for key, field in self.fields.items()}
        details = CompanyDetails(**values, expected_version=self.record.version)
        return company.set_company(self._db, details, self._actor)

    def _reread(self) -> CompanyView:
        return company.get_company(self._db, self._actor)
