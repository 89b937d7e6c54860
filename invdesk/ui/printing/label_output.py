"""Label jobs to a PDF file or a system printer, for the CLI (through app.Gui) and the dialog."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from invdesk.domain.errors import PrintFailed, ValidationError
from invdesk.reports.labels.jobs import LabelJob
from invdesk.ui.printing import label_painter, output


def ensure_app() -> None:
    """Painting text needs a Qt application; a command line run has none, and may have no
    screen either (a server, a cron job): then the offscreen platform does."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication(["invdesk"])


def system_printers() -> list[str]:
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def printer_named(name: str) -> QPrinter:
    """A QPrinter for the system printer `name` (as the OS lists it). Raises ValidationError."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        known = ", ".join(system_printers()) or "none installed"
        raise ValidationError(
            f"There is no printer “{name}” on this PC (printers: {known}).", field="printer"
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


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
