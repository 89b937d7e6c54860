"""Paints the pages of a laid-out document: heading, table with its header on every page, tick
boxes, notes, signature lines, and a footer with "page x of y"."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from invdesk.reports.documents.model import Align, Document
from invdesk.ui.printing import output
from invdesk.ui.printing.barcode_painter import BLACK, paint_symbol
from invdesk.ui.printing.document_layout import (
    BAR_HEIGHT,
    BODY,
    CELL_PAD,
    FIELD_LABEL,
    GAP,
    HEAD,
    HEADER_RIGHT,
    MARGIN,
    MODULE,
    NUMBER,
    PARTY_GAP,
    SMALL,
    TITLE,
    WRAP,
    Layout,
    field_rows,
    font,
    issuer_height,
    line_height,
    parties_height,
    party_width,
    text_height,
    title_height,
)

GREY = QColor(90, 90, 90)
RULE = QColor(160, 160, 160)
SHADE = QColor(232, 232, 232)
TICK_BOX = 4.0
_ALIGN = {
    Align.LEFT: Qt.AlignmentFlag.AlignLeft,
    Align.RIGHT: Qt.AlignmentFlag.AlignRight,
    Align.CENTER: Qt.AlignmentFlag.AlignHCenter,
}


class DocumentPainter:
    """`paint(painter, page, canvas)` for output.render: one page of a laid-out document."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.document: Document = layout.document

    def __call__(self, painter: QPainter, index: int, canvas: output.Canvas) -> None:
        # Everything is painted as on the PDF's grid (the one the layout was measured on) and
        # scaled to the device, so a preview or a 300 dpi printer wraps text exactly as the
        # layout did; only the barcode is painted in the device's own dots (whole-dot bars).
        self.painter, self.device = painter, canvas
        self.canvas = output.Canvas(output.PDF_DPI, canvas.paper)
        page = self.layout.pages[index]
        painter.save()
        scale = canvas.dpi / output.PDF_DPI
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        try:
            y = MARGIN + (self._head() if index == 0 else self._continued())
            if page.rows:
                y = self._table(y, page.rows)
            if page.tail:
                self._tail(y)
            self._footer(index)
        finally:
            painter.restore()

    # Drawing helpers, in millimetres ------------------------------------------------------

    def _rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        dots = self.canvas.dots
        return QRectF(dots(x), dots(y), dots(w), dots(h))

    def _text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        color: QColor = BLACK,
    ) -> None:
        self.painter.setFont(font(size, bold=bold))
        self.painter.setPen(color)
        flags = int(align | Qt.AlignmentFlag.AlignTop) | WRAP
        self.painter.drawText(self._rect(x, y, w, h), flags, text)

    def _line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.2) -> None:
        dots = self.canvas.dots
        self.painter.setPen(QPen(RULE, dots(width)))
        self.painter.drawLine(QLineF(dots(x1), dots(y1), dots(x2), dots(y2)))

    # Parts of a page ------------------------------------------------------------------------

    def _head(self) -> float:
        doc, layout = self.document, self.layout
        width = layout.content_width
        if doc.issuer is not None:
            self._text(MARGIN, MARGIN, width - HEADER_RIGHT, 8, doc.issuer.name, HEAD, bold=True)
            y = MARGIN + line_height(HEAD)
            for line in doc.issuer.address:
                self._text(MARGIN, y, width - HEADER_RIGHT, 6, line, BODY, color=GREY)
                y += line_height(BODY)
        right = MARGIN + width - HEADER_RIGHT
        right_align = Qt.AlignmentFlag.AlignRight
        self._text(right, MARGIN, HEADER_RIGHT, 10, doc.kind, TITLE, bold=True, align=right_align)
        y = MARGIN + line_height(TITLE)
        self._text(right, y, HEADER_RIGHT, 7, doc.number, NUMBER, align=right_align)
        y += line_height(NUMBER)
        if layout.barcode is not None and not layout.barcode_wide:
            self._barcode(right + HEADER_RIGHT, y + 1.5, HEADER_RIGHT, from_right=True)
        y = MARGIN + max(issuer_height(doc), title_height(layout)) + GAP
        if layout.barcode_wide:
            self._barcode(MARGIN, y, width)
            y += BAR_HEIGHT + line_height(SMALL) + GAP
        y = self._fields(y) + GAP
        if doc.parties:
            y = self._parties(y) + GAP
        return y - MARGIN

    def _barcode(self, x: float, y: float, room: float, *, from_right: bool = False) -> None:
        """The Code 128 at MODULE per bar where there is room (thinner down to what fits),
        with its text under it; `from_right`: `x` is the right edge (the title block's)."""
        symbol = self.layout.barcode
        assert symbol is not None
        width = min(room, (symbol.columns + 2 * symbol.quiet_zone) * MODULE)
        left = x - width if from_right else x
        to_device = self.painter.transform()
        self.painter.save()
        self.painter.resetTransform()  # bars snap to whole dots of the device itself
        bars = paint_symbol(
            self.painter, symbol, to_device.mapRect(self._rect(left, y, width, BAR_HEIGHT))
        )
        self.painter.restore()
        covered = to_device.inverted()[0].mapRect(bars)
        dots = self.canvas.dots_per_mm
        self._text(covered.left() / dots, y + BAR_HEIGHT, covered.width() / dots, 5, symbol.data,
                   SMALL, color=GREY, align=Qt.AlignmentFlag.AlignHCenter)  # fmt: skip

    def _fields(self, y: float) -> float:
        half = self.layout.content_width / 2
        label = FIELD_LABEL
        heights = field_rows(self.document, self.layout.content_width)
        for n, (name, value) in enumerate(self.document.fields):
            x = MARGIN + (n % 2) * half
            row = y + sum(heights[: n // 2])
            height = heights[n // 2]
            self._text(x, row, label, height, name, BODY, color=GREY)
            self._text(x + label, row, half - label - 2, height + 1, value, BODY, bold=True)
        return y + sum(heights)

    def _parties(self, y: float) -> float:
        parties = self.document.parties
        width = party_width(self.document, self.layout.content_width)
        height = parties_height(self.document, self.layout.content_width)
        for n, party in enumerate(parties):
            x = MARGIN + n * (width + PARTY_GAP)
            self.painter.setBrush(Qt.BrushStyle.NoBrush)
            self._line(x, y, x + width, y, 0.3)
            row = y + CELL_PAD
            self._text(x, row, width, 5, party.heading.upper(), SMALL, bold=True, color=GREY)
            row += line_height(SMALL)
            self._text(x, row, width, 7, party.name, HEAD, bold=True)
            row += line_height(HEAD)
            for line in party.address:
                tall = text_height(line, BODY, width)
                self._text(x, row, width, tall + 1, line, BODY)
                row += tall
        return y + height

    def _continued(self) -> float:
        text = f"{self.document.title} (continued)"
        self._text(MARGIN, MARGIN, self.layout.content_width, 8, text, HEAD, bold=True)
        return self.layout.continued_height

    def _table(self, y: float, rows: range) -> float:
        layout, doc = self.layout, self.document
        right = MARGIN + layout.content_width
        self.painter.fillRect(self._rect(MARGIN, y, layout.content_width, layout.header_height),
                              QBrush(SHADE))  # fmt: skip
        x = MARGIN
        for column, width in zip(doc.columns, layout.widths, strict=True):
            self._text(x + CELL_PAD, y + CELL_PAD, width - 2 * CELL_PAD, layout.header_height,
                       column.header, SMALL, bold=True, align=_ALIGN[column.align])  # fmt: skip
            x += width
        y += layout.header_height
        for index in rows:
            row, height = doc.rows[index], layout.row_heights[index]
            if row.group_start and index != rows.start:
                self._line(MARGIN, y, right, y, 0.35)
            x = MARGIN
            for column, width, text in zip(doc.columns, layout.widths, row.cells, strict=True):
                if column.tick and not row.total:
                    self._tick_box(x + (width - TICK_BOX) / 2, y + CELL_PAD)
                else:
                    self._text(x + CELL_PAD, y + CELL_PAD, width - 2 * CELL_PAD, height, text,
                               BODY, bold=row.total, align=_ALIGN[column.align])  # fmt: skip
                x += width
            y += height
            self._line(MARGIN, y, right, y, 0.1)
        return y

    def _tick_box(self, x: float, y: float) -> None:
        self.painter.setPen(QPen(BLACK, self.canvas.dots(0.25)))
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawRect(self._rect(x, y, TICK_BOX, TICK_BOX))

    def _tail(self, y: float) -> None:
        width = self.layout.content_width
        y += GAP
        for note in self.document.notes:
            height = text_height(note, BODY, width)
            self._text(MARGIN, y, width, height + 1, note, BODY)
            y += height
        if not self.document.signatures:
            return
        y += GAP + 6
        share = width / len(self.document.signatures)
        for n, label in enumerate(self.document.signatures):
            x = MARGIN + n * share
            self._line(x, y, x + share - 8, y, 0.25)
            self._text(x, y + 0.8, share - 8, 5, label, SMALL, color=GREY)

    def _footer(self, index: int) -> None:
        doc, layout = self.document, self.layout
        y = layout.paper.height_mm - MARGIN - line_height(SMALL)
        width = layout.content_width
        self._line(MARGIN, y - 1.5, MARGIN + width, y - 1.5, 0.1)
        printed = doc.generated_at.strftime("%Y-%m-%d %H:%M UTC") if doc.generated_at else ""
        by = f" by {doc.generated_by}" if doc.generated_by else ""
        pages = f"Page {index + 1} of {len(layout.pages)}"
        centre, right = Qt.AlignmentFlag.AlignHCenter, Qt.AlignmentFlag.AlignRight
        self._text(MARGIN, y, width / 3, 5, doc.title, SMALL, color=GREY)
        self._text(MARGIN + width / 3, y, width / 3, 5, f"Printed {printed}{by}", SMALL,
                   color=GREY, align=centre)  # fmt: skip
        self._text(MARGIN + 2 * width / 3, y, width / 3, 5, pages, SMALL, color=GREY, align=right)
