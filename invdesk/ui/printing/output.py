"""The one place that opens a print target (a PDF file or a system printer), pages, reports
progress and can be cancelled. Labels and printed documents both go through `render`.

A page is painted in device dots with the origin at the paper's corner (no printer margins: a
label's layout is its own), and the painter callback is told how many dots make a millimetre,
so bars can be snapped to whole dots of the device it draws on. QPainter may draw on a
QPdfWriter, a QPrinter or a QImage outside the GUI thread, so `render` runs inside a Background
job; the print dialog and the preview stay on the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from invdesk.domain.errors import Cancelled, InvdeskError, PrintFailed, ValidationError

MM_PER_INCH = 25.4
PDF_DPI = 600
"""PDF resolution: a 0.33 mm EAN module is 7.8 dots, snapped to 7 (about 0.3 mm, within spec)."""


@dataclass(frozen=True)
class Paper:
    """A page size in millimetres (a label, a sheet of labels, A4)."""

    width_mm: float
    height_mm: float
    name: str = ""

    def page_size(self) -> QPageSize:
        return QPageSize(
            QSizeF(self.width_mm, self.height_mm), QPageSize.Unit.Millimeter, self.name or ""
        )

    def layout(self) -> QPageLayout:
        # Portrait whichever side is longer: a 62x29 label is a 62 mm wide page, never turned.
        return QPageLayout(
            self.page_size(), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
        )


@dataclass(frozen=True)
class Canvas:
    """What a page painter needs to know of the device: dots per millimetre, and the page."""

    dpi: int
    paper: Paper

    @property
    def dots_per_mm(self) -> float:
        return self.dpi / MM_PER_INCH

    def dots(self, mm: float) -> float:
        return mm * self.dots_per_mm


PaintPage = Callable[[QPainter, int, Canvas], None]
"""Paints page `index` (from 0) of the job on the painter, in device dots."""
Progress = Callable[[int], None]
IsCancelled = Callable[[], bool]


def pdf_writer(path: str | Path, paper: Paper, *, title: str, dpi: int = PDF_DPI) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(dpi)
    writer.setTitle(title)
    writer.setCreator("invdesk")
    writer.setPageLayout(paper.layout())
    return writer


def prepare_printer(printer: QPrinter, paper: Paper, *, title: str) -> None:
    """Set the printer's page to `paper` with the origin at the paper's corner."""
    printer.setFullPage(True)
    printer.setDocName(title)
    printer.setPageLayout(paper.layout())


def render(
    device: QPagedPaintDevice,
    paper: Paper,
    pages: int,
    paint: PaintPage,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Paint `pages` pages on `device` (a QPdfWriter or QPrinter made here or by the dialog);
    returns the pages painted. Raises Cancelled (a printer's job is aborted) or PrintFailed."""
    painter = QPainter()
    if not painter.begin(device):
        raise PrintFailed(_cannot_open(device))
    canvas = Canvas(device.resolution() if isinstance(device, QPrinter) else _dpi(device), paper)
    try:
        for index in range(pages):
            if cancelled is not None and cancelled():
                if isinstance(device, QPrinter):
                    device.abort()
                raise Cancelled("Printing was cancelled.")
            if index and not device.newPage():
                raise PrintFailed("The printer refused another page; the job stopped.")
            paint(painter, index, canvas)
            if progress is not None:
                progress(index + 1)
    finally:
        with contextlib.suppress(RuntimeError):  # ended already by abort()
            painter.end()
    return pages


def to_pdf(
    path: str | Path,
    paper: Paper,
    pages: int,
    paint: PaintPage,
    *,
    title: str,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """`render` into a new PDF file; a cancelled or failed job leaves no half-written file."""
    target = Path(path)
    writer = pdf_writer(target, paper, title=title)
    try:
        return render(writer, paper, pages, paint, progress=progress, cancelled=cancelled)
    except InvdeskError:
        target.unlink(missing_ok=True)
        raise


def page_image(paper: Paper, paint: PaintPage, index: int = 0, *, dpi: int = 150) -> QImage:
    """One page as an image (a preview, a test that scans the bars back)."""
    canvas = Canvas(dpi, paper)
    image = QImage(
        round(canvas.dots(paper.width_mm)),
        round(canvas.dots(paper.height_mm)),
        QImage.Format.Format_RGB32,
    )
    dots_per_metre = round(dpi / MM_PER_INCH * 1000)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        paint(painter, index, canvas)
    finally:
        painter.end()
    return image


def _dpi(device: QPagedPaintDevice) -> int:
    return device.resolution() if isinstance(device, QPdfWriter) else device.logicalDpiX()


def _cannot_open(device: QPagedPaintDevice) -> str:
    if isinstance(device, QPdfWriter):
        return "The PDF file cannot be written: check the folder exists and you may write there."
    if isinstance(device, QPrinter):
        name = device.printerName() or "the printer"
        return f"{name} cannot be opened: check it is switched on and installed on this PC."
    return "The print target cannot be opened."


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
