"""What every stock dialog shares: one request id per opening, posting once, refusals in place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.stock import StockResult
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.background import Background, Job


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
        self.runner: Background = background.default()
        """Posts run off the GUI thread on the application's runner, so a lock wait of seconds
        never freezes the window (a script may hand an inline one)."""

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

    def post(self) -> Job | None:
        """Post in one transaction, off the GUI thread; a refusal stays in the dialog, at its
        field, nothing posted. Returns the running post (None: nothing to post now)."""
        if self._posting or self.posted_result is not None or not self.can_post():
            return None
        db, actor, command, service = self._db, self._actor, self.command(), self.service()
        self._set_posting(True)
        # One short transaction; under lock contention it may wait seconds: the dialog stays
        # responsive meanwhile (and ignores a second click, `_posting`).
        return self.runner.run(
            lambda: service(db, command, actor), self._succeeded, self._broke, parent=self
        )

    def _set_posting(self, posting: bool) -> None:
        self._posting = posting
        self.post_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor if posting else Qt.CursorShape.ArrowCursor)
        self.posting_changed(posting)

    def posting_changed(self, posting: bool) -> None:
        """Show that a post is running (subclasses add progress and lock their inputs)."""

    def _succeeded(self, result: StockResult) -> None:
        self._set_posting(False)
        self.posted_result = result
        self.posted.emit(result)
        self.accept()

    def _broke(self, error: BaseException) -> None:
        """A refusal goes back to the form; a bug to the crash dialog, and the form says that
        nothing was posted (one transaction)."""
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            error = InvdeskError("The post failed unexpectedly; nothing was posted.")
        self._failed(error)

    def _failed(self, error: InvdeskError) -> None:
        self._set_posting(False)
        self.show_error(error)

    def show_error(self, error: InvdeskError) -> None:
        """A refusal next to its field when the form has it, else below the form."""
        self._service_error = (error.field, error.message)
        self.revalidate()
        if error.field in self.form.widgets:
            self.form.widgets[error.field].setFocus()
        else:
            self.error.show_message(error.message)
