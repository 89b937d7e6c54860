"""Printed documents (pick lists, packing slips, transfer notes) to a PDF, a printer or a
preview image, through the one print output (`output.render`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from invdesk.domain.errors import PrintFailed, ValidationError
from invdesk.reports.documents.model import Document
from invdesk.ui.printing import output
from invdesk.ui.printing.document_layout import PAPERS, Layout, lay_out
from invdesk.ui.printing.document_painter import DocumentPainter
from invdesk.ui.printing.output import ensure_app, printer_named

PREVIEW_DPI = 110


def paper_named(name: str) -> output.Paper:
    try:
        return PAPERS[name.strip().lower()]
    except KeyError:
        known = ", ".join(PAPERS)
        raise ValidationError(f"Paper “{name}” is not known: use {known}.", field="paper") from None


def laid_out(document: Document, paper: output.Paper) -> tuple[Layout, DocumentPainter]:
    layout = lay_out(document, paper)
    return layout, DocumentPainter(layout)


def to_pdf(
    document: Document,
    path: str | Path,
    paper: output.Paper,
    *,
    progress: output.Progress | None = None,
    cancelled: output.IsCancelled | None = None,
) -> int:
    """The document as a PDF file; returns its pages. Raises PrintFailed, Cancelled."""
    layout, painter = laid_out(document, paper)
    return output.to_pdf(
        path,
        paper,
        len(layout.pages),
        painter,
        title=document.title,
        progress=progress,
        cancelled=cancelled,
    )


def to_printer(
    document: Document,
    printer: QPrinter,
    paper: output.Paper,
    *,
    progress: output.Progress | None = None,
    cancelled: output.IsCancelled | None = None,
) -> int:
    """The document on a printer the print dialog set up; returns its pages."""
    layout, painter = laid_out(document, paper)
    output.prepare_printer(printer, paper, title=document.title)
    return output.render(
        printer, paper, len(layout.pages), painter, progress=progress, cancelled=cancelled
    )


def page_images(
    document: Document,
    paper: output.Paper,
    *,
    dpi: int = PREVIEW_DPI,
    first: int = 0,
    last: int | None = None,
    laid: tuple[Layout, DocumentPainter] | None = None,
) -> list[QImage]:
    """Pages `first`..`last` (None: to the end) as images, for the preview; `laid`: the
    document already laid out on `paper` (a preview turning pages measures it once)."""
    layout, painter = laid or laid_out(document, paper)
    end = len(layout.pages) if last is None else min(last + 1, len(layout.pages))
    return [output.page_image(paper, painter, n, dpi=dpi) for n in range(first, end)]


def print_document(
    document: Document, *, pdf: str | None = None, printer: str | None = None, paper: str = "a4"
) -> int:
    """For the command line (through app.Gui): the document as a PDF file or on the system
    printer `printer`; returns its pages. Raises ValidationError (no such printer or paper),
    PrintFailed."""
    ensure_app()
    size = paper_named(paper)
    if pdf is not None:
        return to_pdf(document, pdf, size)
    if not printer:
        raise ValidationError("Choose a printer or a PDF file.", field="printer")
    device = printer_named(printer)
    pages = to_printer(document, device, size)
    if device.printerState() == QPrinter.PrinterState.Error:
        raise PrintFailed(f"{printer} reported an error; check it and print again.")
    return pages
