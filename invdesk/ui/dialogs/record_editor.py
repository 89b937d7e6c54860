"""What the product and warehouse editors share: the frame, live validation, and saving with
optimistic locking ("changed by someone else": reload or keep looking, never overwrite)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from invdesk.domain.errors import Conflict, InvdeskError
from invdesk.domain.security import Actor
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.widgets import ConflictBar, ErrorLabel, FieldForm, Heading


class RecordEditor(QDialog):
    """A form over one record. Subclasses add fields to `form` between `_open_frame` and
    `_close_frame`, and say how to check, write and re-read their record."""

    saved = Signal(object)
    KIND = "Record"

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.record: Any = None
        self.saved_view: Any = None
        self._service_error: tuple[str | None, str] | None = None

    # Frame --------------------------------------------------------------------------------------
    def _open_frame(self, title: str, hint: str) -> QFormLayout:
        self._outer = QVBoxLayout(self)
        self.heading = Heading(title, hint, self)
        self._outer.addWidget(self.heading)
        self.conflict = ConflictBar(self)
        self._outer.addWidget(self.conflict)
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = FieldForm(layout)
        return layout

    def _close_frame(self, layout: QFormLayout) -> None:
        """Below the fields: the error line and Save / Cancel (Ctrl+Enter saves too)."""
        self._outer.addLayout(layout)
        self.error = ErrorLabel(self)
        self._outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.conflict.reload_requested.connect(self.reload)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

    # What a subclass provides -------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        """Field -> message for what is wrong before asking the service."""
        return {}

    def _write(self) -> Any:
        """Create or edit the record through its service; return the saved view."""
        raise NotImplementedError

    def _reread(self) -> Any:
        """The record as stored now."""
        raise NotImplementedError

    def _fill(self, record: Any) -> None:
        raise NotImplementedError

    def _record_name(self) -> str:
        """How the conflict bar names the record, e.g. 'Product CAB-1'."""
        return self.KIND

    # Scans --------------------------------------------------------------------------------------
    def scan_refused(self, message: str) -> None:
        """A scan this editor has no field for: said below the form; no field is touched and
        the scanner's Enter never reached Save."""
        self.error.show_message(message)

    # Shared behaviour ---------------------------------------------------------------------------
    def _changed(self, *_args: Any) -> None:
        self._service_error = None
        self.error.show_message(None)
        self.revalidate()

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
        try:
            view = self._write()
        except Conflict as error:
            if error.field is None and self.record is not None:
                # Someone saved this record since it was opened: show it, never overwrite it.
                self.conflict.show_conflict(self._record_name())
                self.save_button.setEnabled(False)
                return
            self._show_error(error)
            return
        except InvdeskError as error:
            self._show_error(error)
            return
        self.saved_view = view
        self.saved.emit(view)
        self.accept()

    def _show_error(self, error: InvdeskError) -> None:
        """A refusal by the service: next to its field when there is one, else below the form."""
        self._service_error = (error.field, error.message)
        if error.field in self.form.widgets:
            self.revalidate()
            self.form.widgets[error.field].setFocus()
        else:
            self.error.show_message(error.message)

    def reload(self) -> None:
        """Read the record again (someone else's changes), dropping this editor's edits."""
        if self.record is None:
            return
        try:
            self.record = self._reread()
        except InvdeskError as error:
            self.error.show_message(error.message)
            return
        self._fill(self.record)
        self.conflict.hide()
        self._changed()
