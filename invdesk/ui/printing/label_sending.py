"""Runs a label job off the GUI thread, to a PDF, a system printer or a ZPL printer, with
progress and cancel; a ZPL printer that fails is offered again, or the job saved as a PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.reports.labels import zpl
from invdesk.reports.labels.jobs import LabelJob
from invdesk.services.outbound.raw_printer import parse_printer, send_raw
from invdesk.ui import background
from invdesk.ui.background import IsCancelled, Job, Progress, failure_text
from invdesk.ui.message_box import keep_open
from invdesk.ui.printing import label_painter, output


class LabelSender(QObject):
    """`busy_changed(busy, total)`, `progressed(done)`, then `done(made, message)` (made 0:
    it failed or was stopped, and the message says why)."""

    busy_changed = Signal(bool, int)
    progressed = Signal(int)
    done = Signal(int, str)

    def __init__(self, parent: QWidget, runner: background.Background | None = None) -> None:
        super().__init__(parent)
        self.widget = parent
        self.runner = runner or background.default()
        self.job: Job | None = None
        self.failure: QMessageBox | None = None
        """The question after a ZPL printer failed (retry, save as PDF), while open."""

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def to_pdf(self, job: LabelJob, path: str | Path) -> Job:
        def work(progress: Progress, cancelled: IsCancelled) -> int:
            return label_painter.to_pdf(path, job, progress=progress, cancelled=cancelled)

        return self._start(work, job.pages, f"Saved {job.count:,} labels to {path}.")

    def to_printer(self, job: LabelJob, printer: QPrinter) -> Job:
        output.prepare_printer(printer, label_painter.paper_of(job), title="Labels")

        def work(progress: Progress, cancelled: IsCancelled) -> int:
            return label_painter.render(printer, job, progress=progress, cancelled=cancelled)

        name = printer.printerName() or "the printer"
        return self._start(work, job.pages, f"Sent {job.count:,} labels to {name}.")

    def to_zpl(self, job: LabelJob, address: str, dpi: int) -> Job | None:
        try:
            target = parse_printer(address)
            data = zpl.zpl(job, dpi=dpi).encode("utf-8")
        except InvdeskError as error:
            self.done.emit(0, error.message)
            return None

        def work(_progress: Progress, _cancelled: IsCancelled) -> int:
            send_raw(target, data)
            return job.count

        return self._start(
            work,
            0,
            f"Sent {job.count:,} labels to {target}.",
            retry=lambda: self.to_zpl(job, address, dpi),
            as_pdf=job,
        )

    def _start(
        self,
        work: Callable[[Progress, IsCancelled], int],
        total: int,
        message: str,
        *,
        retry: Callable[[], object] | None = None,
        as_pdf: LabelJob | None = None,
    ) -> Job:
        self.busy_changed.emit(True, total)

        def succeeded(made: int) -> None:
            self.job = None
            self.busy_changed.emit(False, 0)
            self.done.emit(made, message)

        def failed(error: BaseException) -> None:
            self.job = None
            self.busy_changed.emit(False, 0)
            text = failure_text(error, cancelled="Printing stopped.", failed="Printing failed")
            self.done.emit(0, text)
            if retry is not None and isinstance(error, InvdeskError):
                self._offer(text, retry, as_pdf)
            elif not isinstance(error, InvdeskError):
                background.show_error(self.widget, error)

        self.job = self.runner.start(
            work, succeeded, failed, on_progress=self.progressed.emit, parent=self.widget
        )
        return self.job

    def _offer(self, text: str, retry: Callable[[], object], job: LabelJob | None) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Label printer", text, parent=self.widget)
        again = box.addButton("&Try again", QMessageBox.ButtonRole.AcceptRole)
        pdf = box.addButton("Save as &PDF…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        again.clicked.connect(retry)
        if job is not None:
            pdf.clicked.connect(lambda: self._save_pdf(job))
        self.failure = box
        box.finished.connect(lambda _r: setattr(self, "failure", None))
        keep_open(box)

    def _save_pdf(self, job: LabelJob) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.widget, "Save labels", "labels.pdf", "PDF (*.pdf)"
        )
        if path:
            self.to_pdf(job, path)
