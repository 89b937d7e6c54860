"""Label jobs to a PDF file or a system printer, for the CLI (through app.Gui) and the dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from invdesk.domain.errors import PrintFailed, ValidationError
from invdesk.reports.labels.jobs import LabelJob
from invdesk.ui.printing import label_painter, output
from invdesk.ui.printing.output import ensure_app, printer_named


def print_labels(
    job: LabelJob,
    *,
    pdf: str | Path | None = None,
    printer: str | None = None,
    progress: output.Progress | None = None,
    cancelled: output.IsCancelled | None = None,
) -> int:
    """`job` as a PDF file or on the system printer `printer`; returns the pages made."""
    ensure_app()
    if pdf is not None:
        return label_painter.to_pdf(pdf, job, progress=progress, cancelled=cancelled)
    if not printer:
        raise ValidationError("Choose a printer or a PDF file.", field="printer")
    device = printer_named(printer)
    output.prepare_printer(device, label_painter.paper_of(job), title="Labels")
    pages = label_painter.render(device, job, progress=progress, cancelled=cancelled)
    if device.printerState() == QPrinter.PrinterState.Error:
        raise PrintFailed(f"{printer} reported an error; check it and print again.")
    return pages
