"""Preview a printed document (pick list, packing slip, transfer note), choose A4 or Letter, and
save it as a PDF or print it. Reading, laying out and painting run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.reports.documents.model import Document
from invdesk.ui import background
from invdesk.ui.background import Background, Job
from invdesk.ui.printing import documents
from invdesk.ui.printing.document_layout import PAPERS, Layout
from invdesk.ui.printing.document_painter import DocumentPainter

PREVIEW_WIDTH = 620  # pixels: a page readable on a laptop screen without scrolling sideways


class PrintDocumentDialog(QDialog):
    """`build()` reads the document (it runs off the GUI thread); the dialog shows its pages."""

    previewed = Signal(int)
    """A page is on screen (its index); the document was read and laid out."""
    saved = Signal(str)
    printed = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        title: str,
        build: Callable[[], Document],
        parent: QWidget | None = None,
        *,
        runner: Background | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.runner = runner or background.default()
        self.document: Document | None = None
        # The document laid out per paper, measured once: turning pages only paints.
        self._laid: dict[str, tuple[Layout, DocumentPainter]] = {}
        self._job: Job | None = None
        self.pages = 0
        self.page = 0
        self.paper_box = QComboBox(self)
        for key, paper in PAPERS.items():
            self.paper_box.addItem(paper.name, key)
        self.page_label = QLabel("Reading…", self)
        self.previous_button = QPushButton("◀", self)
        self.next_button = QPushButton("▶", self)
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(PREVIEW_WIDTH)
        scroll = QScrollArea(self)
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(520)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.pdf_button = buttons.addButton("Save as P&DF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Paper:", self))
        bar.addWidget(self.paper_box)
        bar.addStretch(1)
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._enable(False)
        self.paper_box.currentIndexChanged.connect(lambda _i: self._show_page(0))
        self.previous_button.clicked.connect(lambda: self._show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self._show_page(self.page + 1))
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.print_button.clicked.connect(self.print_document)
        self.runner.run(build, self._built, self._failed, parent=self)

    @property
    def paper(self) -> Any:
        return PAPERS[str(self.paper_box.currentData())]

    def _enable(self, on: bool) -> None:
        for widget in (self.pdf_button, self.print_button, self.paper_box):
            widget.setEnabled(on)
        self.previous_button.setEnabled(on and self.page > 0)
        self.next_button.setEnabled(on and self.page < self.pages - 1)

    def _built(self, document: Document) -> None:
        self.document = document
        self.setWindowTitle(document.title)
        self._show_page(0)

    def _show_page(self, index: int) -> None:
        document, paper = self.document, self.paper
        if document is None:
            return

        cache = self._laid

        def work() -> tuple[int, QImage]:
            laid = cache.get(paper.name) or documents.laid_out(document, paper)
            cache[paper.name] = laid
            page = max(0, min(index, len(laid[0].pages) - 1))
            (image,) = documents.page_images(document, paper, first=page, last=page, laid=laid)
            return len(laid[0].pages), image

        def show(result: tuple[int, QImage]) -> None:
            self.pages, image = result
            self.page = max(0, min(index, self.pages - 1))
            pixmap = QPixmap.fromImage(image)
            width = min(PREVIEW_WIDTH, pixmap.width())
            self.preview.setPixmap(
                pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
            self.page_label.setText(f"Page {self.page + 1} of {self.pages}")
            self._enable(True)
            self.previewed.emit(self.page)

        self.runner.run(work, show, self._failed, parent=self, newest=(self, "preview"))

    def save_pdf(self, path: str | None = None) -> None:
        """Write the PDF (asking where when no `path` is given)."""
        document, paper = self.document, self.paper
        if document is None:
            return
        if path is None:
            suggested = str(Path.home() / f"{document.title.replace(' ', '-')}.pdf")
            path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", suggested, "PDF (*.pdf)")
            if not path:
                return
        target = path
        self._busy(f"Writing {target}…")
        self._job = self.runner.start(
            lambda progress, cancelled: documents.to_pdf(
                document, target, paper, progress=progress, cancelled=cancelled
            ),
            lambda pages: self._done(f"Saved {pages} page(s) to {target}.", self.saved, target),
            self._failed,
            on_progress=self._page_done,
            parent=self,
        )

    def print_document(self, printer: QPrinter | None = None) -> None:
        """Print through the system's print dialog (or on `printer`, set up by the caller)."""
        document, paper = self.document, self.paper
        if document is None:
            return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            chooser = QPrintDialog(printer, self)
            if chooser.exec() != QDialog.DialogCode.Accepted:
                return
        device = printer
        self._busy("Printing…")
        self._job = self.runner.start(
            lambda progress, cancelled: documents.to_printer(
                document, device, paper, progress=progress, cancelled=cancelled
            ),
            lambda pages: self._done(f"Sent {pages} page(s) to the printer.", self.printed, pages),
            self._failed,
            on_progress=self._page_done,
            parent=self,
        )

    def _page_done(self, page: int) -> None:
        self.status.setText(f"Page {page:,} of {self.pages:,}…")

    def reject(self) -> None:
        """Closing stops a PDF or print job still running (a printer's job is aborted)."""
        if self._job is not None:
            self._job.cancel()
        super().reject()

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        self._enable(False)

    def _done(self, text: str, signal: Any, value: object) -> None:
        self._job = None
        self.status.setText(text)
        self._enable(True)
        signal.emit(value)

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self._enable(self.document is not None)
        if isinstance(error, InvdeskError):
            self.status.setText(error.message)
            self.page_label.setText("" if self.document is None else self.page_label.text())
            self.failed.emit(error.message)
            return
        background.show_error(self, error)
        self.failed.emit(str(error))
