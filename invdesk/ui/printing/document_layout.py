"""Where everything of a printed document goes on A4 or Letter: measured once, in millimetres.

Text is measured with pixel-sized fonts at the PDF's resolution (output.PDF_DPI) and kept in
millimetres, so the pages come out the same on a PDF, a printer or a preview image, and the
page count is known before the first page is painted (for "page x of y").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from invdesk.reports.documents.model import Document
from invdesk.reports.labels.symbols import Symbol, Symbology, encode
from invdesk.ui.printing import output

A4 = output.Paper(210.0, 297.0, "A4")
LETTER = output.Paper(215.9, 279.4, "Letter")
PAPERS = {"a4": A4, "letter": LETTER}

MARGIN = 14.0
FOOTER = 8.0
GAP = 4.0
PT = 25.4 / 72  # millimetres per typographic point
BODY, SMALL, HEAD, TITLE, NUMBER = 9.5 * PT, 8 * PT, 11 * PT, 20 * PT, 13 * PT
CELL_PAD = 1.2
WRAP_MIN = 20.0
BAR_HEIGHT = 11.0
MODULE = 0.3  # the narrowest bar we aim for: a reliable scan off an office printer
MIN_MODULE = 0.19
HEADER_RIGHT = 88.0  # the width of the title and barcode block, top right
WRAP = int(Qt.TextFlag.TextWordWrap)
_DOTS_PER_MM = output.PDF_DPI / output.MM_PER_INCH


def font(size_mm: float, *, bold: bool = False, dots_per_mm: float = _DOTS_PER_MM) -> QFont:
    """A sans-serif font `size_mm` tall (as a point size is) on a device of `dots_per_mm`."""
    made = QFont()
    made.setStyleHint(QFont.StyleHint.SansSerif)
    made.setPixelSize(max(1, round(size_mm * dots_per_mm)))
    made.setBold(bold)
    return made


def text_height(text: str, size: float, width: float, *, bold: bool = False) -> float:
    """Millimetres `text` takes when wrapped to `width` millimetres."""
    if "\n" not in text and text_width(text, size, bold=bold) <= width:
        return line_height(size)  # the common case: one line, no wrapping to work out
    box = QRectF(0, 0, width * _DOTS_PER_MM, 1e6)
    return _metrics(size, bold).boundingRect(box, WRAP, text or " ").height() / _DOTS_PER_MM


def line_height(size: float) -> float:
    return _metrics(size, False).lineSpacing() / _DOTS_PER_MM


@lru_cache(maxsize=16)
def _metrics(size: float, bold: bool) -> QFontMetricsF:
    """One metrics object per font: made once, not once per cell (a 1,000-line list has 9,000)."""
    return QFontMetricsF(font(size, bold=bold))


@dataclass(frozen=True)
class Page:
    rows: range
    tail: bool
    """Whether the notes and signatures come on this page (the last one)."""


@dataclass
class Layout:
    """A document laid out on `paper`: column widths, row heights and pages (all millimetres)."""

    document: Document
    paper: output.Paper
    widths: list[float] = field(default_factory=list)
    header_height: float = 0.0
    row_heights: list[float] = field(default_factory=list)
    head_height: float = 0.0
    """The first page's heading: issuer, title, barcode, fields, parties."""
    barcode: Symbol | None = None
    barcode_wide: bool = False
    """Whether the barcode is too long for the title block and gets a strip of its own."""
    tail_height: float = 0.0
    pages: list[Page] = field(default_factory=list)

    @property
    def content_width(self) -> float:
        return self.paper.width_mm - 2 * MARGIN

    @property
    def body_bottom(self) -> float:
        return self.paper.height_mm - MARGIN - FOOTER

    @property
    def continued_height(self) -> float:
        """The slim heading of every page after the first."""
        return line_height(HEAD) + GAP


def lay_out(document: Document, paper: output.Paper) -> Layout:
    layout = Layout(document, paper)
    layout.widths = column_widths(document, layout.content_width)
    layout.header_height = (
        max(
            text_height(c.header, SMALL, w - 2 * CELL_PAD, bold=True)
            for c, w in zip(document.columns, layout.widths, strict=True)
        )
        + 2 * CELL_PAD
    )
    # Plain columns are as wide as their cells: a cell is as tall as its lines. Only the
    # wrapping columns are measured (a 1,000-line list then lays out in a fraction of a second).
    one_line = line_height(BODY)
    wrapping = [(n, w - 2 * CELL_PAD) for n, (c, w) in
                enumerate(zip(document.columns, layout.widths, strict=True)) if c.wrap]  # fmt: skip
    layout.row_heights = [
        max(
            one_line * max(1, max(cell.count("\n") + 1 for cell in row.cells)),
            *(text_height(row.cells[n], BODY, width) for n, width in wrapping),
        )
        + 2 * CELL_PAD
        for row in document.rows
    ]
    if document.barcode is not None:
        layout.barcode = encode(Symbology.CODE128, document.barcode)
        modules = layout.barcode.columns + 2 * layout.barcode.quiet_zone
        layout.barcode_wide = modules * MODULE > HEADER_RIGHT
    layout.head_height = _head_height(layout)
    layout.tail_height = _tail_height(layout)
    layout.pages = _paginate(layout)
    return layout


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return _metrics(size, bold).horizontalAdvance(text) / _DOTS_PER_MM


def column_widths(document: Document, room: float) -> list[float]:
    """Each plain column as wide as its widest cell or header. Each wrapping column gets at
    least its longest unbreakable part (an order's "WEB-1 × 3"), and they share what is left by
    weight. When the plain columns leave too little, they give up width in proportion (their
    longest cells are then cut short)."""
    pad = 2 * CELL_PAD + 0.5
    widths, floors = [], []
    for n, column in enumerate(document.columns):
        header = text_width(column.header, SMALL, bold=True)
        if column.wrap:
            words = [(w, r.total) for r in document.rows for w in r.cells[n].split()]
            widest = [text_width(w, BODY, bold=bold) for w, bold in words]
            floors.append(max([*widest, header, WRAP_MIN]) + pad)
            widths.append(0.0)
        else:
            floors.append(0.0)
            lines = [(t, r.total) for r in document.rows for t in r.cells[n].splitlines()]
            widest = [text_width(t, BODY, bold=bold) for t, bold in lines]
            widths.append(max([*widest, header]) + pad)
    plain = sum(widths)
    if plain + sum(floors) > room:
        scale = max(0.1, room - sum(floors)) / max(plain, 1.0)
        widths = [w * scale for w in widths]
        plain = sum(widths)
    shares = sum(c.weight for c in document.columns if c.wrap)
    spare = max(0.0, room - plain - sum(floors))
    if not shares:  # nothing wraps: every column gets a share of the spare room
        return [w + spare / len(widths) for w in widths]
    return [
        floor + spare * column.weight / shares if column.wrap else width
        for column, width, floor in zip(document.columns, widths, floors, strict=True)
    ]


def issuer_height(document: Document) -> float:
    if document.issuer is None:
        return 0.0
    return line_height(HEAD) + line_height(BODY) * len(document.issuer.address)


def title_height(layout: Layout) -> float:
    """The title block, top right: kind, number and (when short enough) the barcode."""
    height = line_height(TITLE) + line_height(NUMBER)
    if layout.barcode is not None and not layout.barcode_wide:
        height += 1.5 + BAR_HEIGHT + line_height(SMALL)
    return height


FIELD_LABEL = 24.0


def field_rows(document: Document, width: float) -> list[float]:
    """The height of each row of header fields (two fields a row, label then value); a long
    value (a transfer id) wraps and makes its row taller."""
    room = width / 2 - FIELD_LABEL - 2
    heights = [text_height(value, BODY, room, bold=True) for _name, value in document.fields]
    return [max(heights[n : n + 2]) for n in range(0, len(heights), 2)]


PARTY_GAP = 6.0


def party_width(document: Document, room: float) -> float:
    count = max(1, len(document.parties))
    return (room - PARTY_GAP * (count - 1)) / count


def parties_height(document: Document, room: float) -> float:
    """The From/To (or Supplier/Deliver to) blocks: heading, name, then the address lines, each
    wrapped to its block's width (a line of e-mail and phone may take two)."""
    if not document.parties:
        return 0.0
    width = party_width(document, room)
    tallest = max(
        sum(text_height(line, BODY, width) for line in p.address) for p in document.parties
    )
    return line_height(SMALL) + line_height(HEAD) + tallest + 2 * CELL_PAD


def _head_height(layout: Layout) -> float:
    document = layout.document
    height = max(issuer_height(document), title_height(layout)) + GAP
    if layout.barcode_wide:
        height += BAR_HEIGHT + line_height(SMALL) + GAP
    height += sum(field_rows(document, layout.content_width)) + GAP
    if document.parties:
        height += parties_height(document, layout.content_width) + GAP
    return height


def _tail_height(layout: Layout) -> float:
    document = layout.document
    width = layout.content_width
    height = GAP + sum(text_height(n, BODY, width) for n in document.notes)
    if document.signatures:
        height += GAP + 10.0
    return height


def _paginate(layout: Layout) -> list[Page]:
    """Rows go on while they fit; the table header repeats on each page; the notes and
    signatures go under the last row, or on a page of their own if they do not fit."""
    pages: list[Page] = []
    top = MARGIN + layout.head_height
    first = 0
    y = top + layout.header_height
    for index, height in enumerate(layout.row_heights):
        if y + height > layout.body_bottom and index > first:
            pages.append(Page(range(first, index), False))
            first = index
            y = MARGIN + layout.continued_height + layout.header_height
        y += height
    rows = range(first, len(layout.row_heights))
    if y + layout.tail_height <= layout.body_bottom:
        pages.append(Page(rows, True))
    else:
        pages.append(Page(rows, False))
        pages.append(Page(range(0), True))
    return pages
