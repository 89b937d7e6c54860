"""The location editor: code, name, type, zone and active, with 'changed by someone else'."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from invdesk.domain.locations import AddLocation, EditLocation, LocationView
from invdesk.domain.security import Actor
from invdesk.domain.tracking import LOCATION_CODE_MAX, LOCATION_NAME_MAX, LocationType
from invdesk.services.catalog import locations
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.record_editor import RecordEditor
from invdesk.ui.dialogs.widgets import regex_validator

NO_ZONE = "(none)"


class LocationEditor(RecordEditor):
    """A new location of `warehouse` (code None) or an existing one; the code stays once made
    (the ledger refers to it)."""

    KIND = "Location"

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        warehouse: str,
        code: str | None = None,
    ) -> None:
        super().__init__(db, actor, parent)
        self.warehouse = warehouse
        self.setMinimumWidth(460)
        layout = self._open_frame(
            f"New location in {warehouse}",
            "A bin, shelf or zone; clerks scan its code to say where goods go or come from.",
        )
        self.code = QLineEdit(self)
        self.code.setMaxLength(LOCATION_CODE_MAX)
        self.code.setValidator(regex_validator(r"[A-Za-z0-9_./-]*", self.code))
        self.code.setPlaceholderText("e.g. A-03-2")
        self.form.add("&Code:", self.code, "code")
        self.name = QLineEdit(self)
        self.name.setMaxLength(LOCATION_NAME_MAX)
        self.name.setPlaceholderText("Optional, e.g. Aisle A, rack 3, shelf 2")
        self.form.add("&Name:", self.name, "name")
        self.kind = QComboBox(self)
        for kind in LocationType:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.form.add("&Type:", self.kind, "type")
        self.zone = QComboBox(self)
        self.form.add("&Zone:", self.zone, "zone")
        self.active = QCheckBox("Active (stock can be put here)", self)
        self.active.setChecked(True)
        self.form.add("", self.active, "active")
        self._close_frame(layout)

        others = [
            v.code
            for v in locations.list_locations(db, warehouse, actor, include_inactive=False)
            if v.code != code
        ]
        self.zone.addItem(NO_ZONE, "")
        for other in others:
            self.zone.addItem(other, other)
        for signal in (self.code.textChanged, self.name.textChanged):
            signal.connect(self._changed)
        for combo in (self.kind, self.zone):
            combo.currentIndexChanged.connect(self._changed)
        self.active.toggled.connect(self._changed)

        if code is not None:
            self.record = self._find(code)
            self._fill(self.record)
            self.code.setReadOnly(True)
            self.code.setStyleSheet("background: palette(window);")
            self.name.setFocus()
        else:
            self.setWindowTitle(f"New location in {warehouse}")
            self.active.setEnabled(False)
            self.code.setFocus()
        self._changed()

    @property
    def location(self) -> LocationView | None:
        return self.record  # type: ignore[no-any-return]

    def _find(self, code: str) -> LocationView:
        found = locations.find_location(self._db, self._actor, self.warehouse, code)
        if found is not None:
            return found
        # An inactive location is not found by a scan; the editor still opens it.
        (view,) = [
            v for v in locations.list_locations(self._db, self.warehouse, self._actor)
            if v.code == code
        ]  # fmt: skip
        return view

    def _fill(self, location: LocationView) -> None:
        title = f"Location {location.code} in {location.warehouse}"
        self.setWindowTitle(title)
        self.heading.set_title(title)
        self.code.setText(location.code)
        self.name.setText(location.name or "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(location.type.value)))
        if location.zone and self.zone.findData(location.zone) < 0:
            self.zone.addItem(location.zone, location.zone)  # an inactive zone stays visible
        self.zone.setCurrentIndex(max(0, self.zone.findData(location.zone or "")))
        self.active.setChecked(location.active)

    def problems(self) -> dict[str, str]:
        return {} if self.code.text().strip() else {"code": "Enter a code."}

    def _record_name(self) -> str:
        return f"Location {self.location.code if self.location else ''}"

    def _write(self) -> LocationView:
        kind, zone = self.kind.currentData(), self.zone.currentData() or ""
        if self.location is None:
            return locations.add_location(
                self._db,
                AddLocation(self.warehouse, self.code.text(), self.name.text(), kind, zone or None),
                self._actor,
            )
        return locations.edit_location(
            self._db,
            EditLocation(
                self.warehouse, self.location.code, self.location.version, self.name.text(),
                kind, zone, self.active.isChecked(),
            ),
            self._actor,
        )  # fmt: skip

    def _reread(self) -> LocationView:
        assert self.location is not None
        return self._find(self.location.code)
