"""Paints the pages of a label job: text with Qt's fonts, barcodes as vector bars."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPagedPaintDevice, QPainter

from invdesk.reports.labels.designs import Element, TextBox
from invdesk.reports.labels.jobs import LabelJob
from invdesk.ui.printing import output
from invdesk.ui.printing.barcode_painter import BLACK, paint_symbol

SMALLEST = 0.55
"""Text shrinks to this share of its design size before it is cut short with an ellipsis."""


def paper_of(job: LabelJob) -> output.Paper:
    return output.Paper(job.stock.page_width, job.stock.page_height, job.stock.title)


class LabelPainter:
    """`paint(painter, page, canvas)` for output.render: every label of one page of `job`."""

    def __init__(self, job: LabelJob, *, outlines: bool = False) -> None:
        self.job = job
        self.outlines = outlines
        """Draw every label's edge in grey (a preview: where on the sheet the labels go)."""

    def __call__(self, painter: QPainter, page: int, canvas: output.Canvas) -> None:
        if self.outlines:
            stock = self.job.stock
            painter.setPen(QColor(190, 190, 190))
            for position in range(stock.per_page):
                x, y = stock.cell(position)
                painter.drawRect(
                    QRectF(canvas.dots(x), canvas.dots(y), canvas.dots(stock.label_width),
                           canvas.dots(stock.label_height))
                )  # fmt: skip
        painter.setPen(BLACK)
        for x, y, elements in self.job.page(page):
            for element in elements:
                _paint(painter, element, x, y, canvas)


def _paint(painter: QPainter, element: Element, x: float, y: float, canvas: output.Canvas) -> None:
    box = QRectF(
        canvas.dots(x + element.x),
        canvas.dots(y + element.y),
        canvas.dots(element.width),
        canvas.dots(element.height),
    )
    if isinstance(element, TextBox):
        _text(painter, box, element.text, canvas.dots(element.size), element)
        return
    bars = paint_symbol(painter, element.symbol, box)
    if element.caption and element.caption_size:
        size = canvas.dots(element.caption_size)
        under = QRectF(box.left(), bars.bottom(), box.width(), size * 1.3)
        _text(painter, under, element.caption, size, None)


def _text(painter: QPainter, box: QRectF, text: str, size: float, spec: TextBox | None) -> None:
    """Fit `text` in `box`: shrink it down to SMALLEST of `size`, then cut it with an ellipsis."""
    bold = spec is not None and spec.bold
    lines = spec.lines if spec is not None else 1
    align = Qt.AlignmentFlag.AlignVCenter
    align |= (
        Qt.AlignmentFlag.AlignLeft if spec is not None and not spec.centred
        else Qt.AlignmentFlag.AlignHCenter
    )  # fmt: skip
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setBold(bold)
    pixels = max(1.0, size)
    while True:
        font.setPixelSize(max(1, round(pixels)))
        metrics = QFontMetricsF(font)
        if lines == 1:
            fits = metrics.horizontalAdvance(text) <= box.width()
        else:
            needed = metrics.boundingRect(box, int(Qt.TextFlag.TextWordWrap), text)
            fits = needed.height() <= box.height() + 0.5 and needed.width() <= box.width()
        if fits or pixels <= size * SMALLEST:
            break
        pixels *= 0.9
    painter.setFont(font)
    if lines == 1:
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
        painter.drawText(box, int(align), shown)
    else:
        painter.drawText(box, int(align | Qt.TextFlag.TextWordWrap), text)


def render(
    device: QPagedPaintDevice,
    job: LabelJob,
    *,
    progress: output.Progress | None = None,
    cancelled: output.IsCancelled | None = None,
) -> int:
    """Every page of `job` on `device` (a PDF writer or a printer set up by output)."""
    job.check()
    return output.render(
        device, paper_of(job), job.pages, LabelPainter(job), progress=progress, cancelled=cancelled
    )


def to_pdf(
    path: str | Path,
    job: LabelJob,
    *,
    progress: output.Progress | None = None,
    cancelled: output.IsCancelled | None = None,
) -> int:
    job.check()
    return output.to_pdf(
        path,
        paper_of(job),
        job.pages,
        LabelPainter(job),
        title="Labels",
        progress=progress,
        cancelled=cancelled,
    )


def page_image(job: LabelJob, page: int = 0, *, dpi: int = 150, outlines: bool = False) -> QImage:
    return output.page_image(paper_of(job), LabelPainter(job, outlines=outlines), page, dpi=dpi)
