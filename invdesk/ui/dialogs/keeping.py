"""A stock document kept on this PC as it is scanned, and asked about before it is closed.

The half of a stock document that no scan or post needs: the draft written (debounced) after each
change and read back after a crash, and the closing paths (Escape, Cancel, the close box, Ctrl+W,
quitting) that ask before scanned lines are thrown away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.stock import StockResult
from invdesk.services.reads import dialog_lookups
from invdesk.services.system.database import Database, describe
from invdesk.ui.dialogs.lines import Column, LineModel
from invdesk.ui.dialogs.widgets import ScanField, StatusLine
from invdesk.ui.drafts import Draft, DraftStore

DRAFT_DELAY_MS = 150
"""A burst of scans is saved together; a crash loses at most this much of the last scans."""


class KeptDocument:
    """Mixed into StockDocumentDialog (before its QDialog base): drafts and closing."""

    # Provided by StockDocumentDialog and PostingDialog.
    title: str
    columns: Sequence[Column]
    model: LineModel
    scan: ScanField
    status: StatusLine
    request_id: str
    posted_result: StockResult | None
    _posting: bool
    _db: Database
    _actor: Actor
    posted: Any  # PostingDialog's Signal(object)

    def refresh_available(self) -> None:
        """Overridden by StockDocumentDialog: the Available column after lines were restored."""

    def keep_on_this_pc(self) -> None:
        """Set up the draft store and its debounce timer (called once, before any line)."""
        assert isinstance(self, QDialog)
        self.drafts = DraftStore()
        self.discard_question: QMessageBox | None = None
        self._discarding = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.posted.connect(lambda _result: self.drafts.remove(self.request_id))

    def save_draft_soon(self) -> None:
        """After an edit: write the draft once the burst of scans pauses."""
        if not self._draft_timer.isActive() and self.posted_result is None:
            self._draft_timer.start()

    def header_state(self) -> dict[str, Any]:
        """The header fields as a draft keeps them (subclasses add theirs)."""
        return {}

    def restore_header(self, state: dict[str, Any]) -> None:
        """Put the header fields of a draft back."""

    def draft(self) -> Draft:
        return Draft(
            kind=type(self).__name__,
            request_id=self.request_id,
            database=describe(self._db),
            user=self._actor.username,
            header=self.header_state(),
            lines=[
                {
                    "code": line.item.code,
                    "qty": line.qty_text,
                    "cost": line.cost_text,
                    "pack": str(line.item.pack_qty),
                    **({"location": line.location} if line.location else {}),
                }
                for line in self.model.lines
            ],
        )

    def save_draft(self) -> None:
        """Write the document to this PC's drafts (none once it is empty or posted)."""
        self._draft_timer.stop()
        try:
            if self.model.lines and self.posted_result is None:
                self.drafts.save(self.draft())
            else:
                self.drafts.remove(self.request_id)
        except OSError as error:
            self.status.say(f"Could not keep a copy on this PC: {error.strerror}", ok=False)

    def restore(self, draft: Draft) -> None:
        """Reopen a draft: its request id (a post that got through before a crash applies once),
        its header and its lines as they were typed."""
        self.request_id = draft.request_id
        self.restore_header(draft.header)
        for saved in draft.lines:
            try:
                item = dialog_lookups.resolve_code(self._db, self._actor, saved.get("code", ""))
            except InvdeskError as error:
                self.status.say(f"{saved.get('code')}: {error.message}", ok=False)
                continue
            row = self.model.add(item, 1, saved.get("location") or None)
            self.model.setData(self.model.index(row, self._qty_col()), saved.get("qty", "1"))
            if Column.COST in self.columns and saved.get("cost"):
                cost_col = list(self.columns).index(Column.COST)
                self.model.setData(self.model.index(row, cost_col), saved["cost"])
        self.refresh_available()

    def _qty_col(self) -> int:
        return list(self.columns).index(Column.QTY)

    # Closing ------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Escape, Cancel, the close box, Ctrl+W and quitting all come here: a document with
        lines closes only once the clerk said to discard it (asked without blocking)."""
        if self._posting:
            self.status.say("The document is being posted; it closes when that is done.", ok=False)
            return
        if self.model.lines and self.posted_result is None and not self._discarding:
            self.ask_discard()
            return
        self._draft_timer.stop()
        self.drafts.remove(self.request_id)
        super().reject()

    def ask_discard(self) -> QMessageBox:
        """Ask before throwing scanned lines away; Keep scanning is the default and Escape."""
        if self.discard_question is not None and shiboken6.isValid(self.discard_question):
            return self.discard_question
        units = sum((line.qty or 0) * line.item.pack_qty for line in self.model.lines)
        count = len(self.model.lines)
        box = QMessageBox(QMessageBox.Icon.Question, self.title, "", parent=self)
        box.setText(
            f"Discard this document with {count} line{'s' if count != 1 else ''} ({units:,} units)?"
        )
        box.setInformativeText("Nothing of it has been posted yet.")
        discard = box.addButton("&Discard document", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep scanning", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        discard.clicked.connect(self.discard)
        keep.clicked.connect(lambda: self.scan.setFocus())
        box.finished.connect(self._question_closed)
        self.discard_question = box
        box.open()
        return box

    def _question_closed(self, _result: int) -> None:
        self.discard_question = None

    def discard(self) -> None:
        """Close without posting, and forget the draft."""
        self._discarding = True
        self.reject()

    def close_keeping_draft(self) -> None:
        """Close without asking and keep the draft for the next start (the session ended)."""
        self._draft_timer.stop()
        if self.model.lines and self.posted_result is None:
            self.save_draft()
        QDialog.reject(self)
