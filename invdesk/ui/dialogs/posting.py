"""What every stock dialog shares: one request id per opening, posting once, refusals in place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.stock import StockResult
from invdesk.services.database import Database
from invdesk.ui.dialogs.widgets import Runner, run_now


class PostingDialog(QDialog):
    """A dialog that posts one stock operation.

    Its request id is made when it opens, so a double click or a retry posts once. Subclasses
    build `form`, `error` and `post_button`, say what to post (`command`, `service`) and when
    the input is complete (`revalidate`, which enables `post_button`).
    """

    posted = Signal(object)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self.request_id = str(uuid.uuid4())
        self.posted_result: StockResult | None = None
        self._service_error: tuple[str | None, str] | None = None
        self._posting = False
        self.runner: Runner = run_now  # the main window may pass its background helper instead

    # Subclass hooks -----------------------------------------------------------------------------
    def command(self) -> Any:
        raise NotImplementedError

    def service(self) -> Callable[[Database, Any, Actor], StockResult]:
        raise NotImplementedError

    def revalidate(self) -> None:
        raise NotImplementedError

    # Posting ------------------------------------------------------------------------------------
    def can_post(self) -> bool:
        return bool(self.post_button.isEnabled())

    def post(self) -> None:
        """Post in one transaction; a refusal stays in the dialog, at its field, nothing posted."""
        if self._posting or self.posted_result is not None or not self.can_post():
            return
        self._posting = True
        self.post_button.setEnabled(False)
        # One short transaction; under lock contention on PostgreSQL it may wait a few seconds.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        db, actor, command, service = self._db, self._actor, self.command(), self.service()
        self.runner(lambda: service(db, command, actor), self._succeeded, self._failed)

    def _succeeded(self, result: StockResult) -> None:
        QApplication.restoreOverrideCursor()
        self._posting = False
        self.posted_result = result
        self.posted.emit(result)
        self.accept()

    def _failed(self, error: InvdeskError) -> None:
        QApplication.restoreOverrideCursor()
        self._posting = False
        self.show_error(error)

    def show_error(self, error: InvdeskError) -> None:
        """A refusal next to its field when the form has it, else below the form."""
        self._service_error = (error.field, error.message)
        self.revalidate()
        if error.field in self.form.widgets:
            self.form.widgets[error.field].setFocus()
        else:
            self.error.show_message(error.message)
