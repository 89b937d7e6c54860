"""ZPL II for Zebra-compatible label printers, from the same layout the PDF is painted from.

Barcodes use the printer's own commands (^BE EAN-13, ^BU UPC-A, ^BC Code 128 and GS1-128, ^BX
DataMatrix, ^BQ QR), so the printer makes the bars at its own resolution; text uses the scalable
font 0. One format per run of one label, repeated with ^PQ, so 500 copies are one short format.
"""

from __future__ import annotations

import math

from invdesk.domain.errors import ValidationError
from invdesk.reports.labels.designs import Element, SymbolBox, TextBox
from invdesk.reports.labels.jobs import LabelJob
from invdesk.reports.labels.symbols import Symbology

DPI_CHOICES = (203, 300, 600)
DEFAULT_DPI = 203
_SPECIAL = "^~_"


def check_dpi(dpi: int) -> None:
    if dpi not in DPI_CHOICES:
        raise ValidationError(
            f"A ZPL printer prints at {', '.join(map(str, DPI_CHOICES))} dpi (got {dpi}).",
            field="dpi",
        )


def zpl(job: LabelJob, *, dpi: int = DEFAULT_DPI) -> str:
    """The whole job as ZPL: one ^XA...^XZ format per run of one label, ^PQ copies.
    Refuses sheet stock: a label printer feeds one label at a time."""
    check_dpi(dpi)
    if not job.stock.roll:
        raise ValidationError(
            f"ZPL is for label printers: choose a label size, not {job.stock.title}.",
            field="size",
        )
    dots = dpi / 25.4
    width, height = round(job.stock.label_width * dots), round(job.stock.label_height * dots)
    formats = []
    for first, count in job.runs():
        body = "".join(_element(e, dots) for e in job.elements(first))
        formats.append(f"^XA^CI28^PW{width}^LL{height}^LH0,0\n{body}^PQ{count},0,1,Y^XZ\n")
    return "".join(formats)


def _text(value: str) -> str:
    """Field data with ^, ~ and _ as hex escapes (^FH_), so no text can end a command."""
    return "".join(f"_{ord(c):02X}" if c in _SPECIAL else c for c in value)


def _element(element: Element, dots: float) -> str:
    x, y = round(element.x * dots), round(element.y * dots)
    w, h = round(element.width * dots), round(element.height * dots)
    if isinstance(element, TextBox):
        return _text_field(x, y, w, element.size * dots, element.text, element)
    return _symbol(element, x, y, w, h, dots)


def _text_field(x: int, y: int, w: int, size: float, text: str, spec: TextBox | None) -> str:
    lines = spec.lines if spec is not None else 1
    centred = spec is None or spec.centred
    font = max(10, round(size))
    return (
        f"^FO{x},{y}^A0N,{font},{font}^FB{w},{lines},0,{'C' if centred else 'L'},0"
        f"^FH_^FD{_text(text)}^FS\n"
    )


def _symbol(box: SymbolBox, x: int, y: int, w: int, h: int, dots: float) -> str:
    symbol = box.symbol
    across = symbol.columns + 2 * symbol.quiet_zone
    if symbol.linear:
        module = max(1, min(10, math.floor(w / across)))
        left = x + (w - symbol.columns * module) // 2
        head = f"^BY{module},3,{h}^FO{left},{y}"
        field = _linear(symbol.symbology, symbol.data, h)
        caption = ""
        if box.caption and box.caption_size:
            caption = _text_field(x, y + h + 2, w, box.caption_size * dots, box.caption, None)
        return f"{head}{field}\n{caption}"
    module = max(1, min(10, math.floor(min(w, h) / (symbol.rows + 2 * symbol.quiet_zone))))
    left = x + (w - symbol.columns * module) // 2
    top = y + (h - symbol.rows * module) // 2
    if symbol.symbology is Symbology.GS1_DATAMATRIX:
        # _1 is FNC1: first, it marks the code as GS1; the lot (variable length) comes last.
        data = "".join(c for c in symbol.data if c not in "()")
        return f"^FO{left},{top}^BXN,{module},200,,,,_^FD_1{data}^FS\n"
    return f"^FO{left},{top}^BQN,2,{module}^FH_^FDMA,{_text(symbol.data)}^FS\n"


def _linear(kind: Symbology, data: str, h: int) -> str:
    if kind is Symbology.EAN13:
        return f"^BEN,{h},N,N^FD{data[:12]}^FS"  # the printer adds the check digit
    if kind is Symbology.UPCA:
        return f"^BUN,{h},N,N,Y^FD{data[:11]}^FS"
    if kind is Symbology.GS1_128:
        # Mode D: the printer starts with FNC1 and drops the parentheses from the bars.
        return f"^BCN,{h},N,N,N,D^FD{data}^FS"
    return f"^BCN,{h},N,N,N,A^FH_^FD{_text(data)}^FS"
