"""What goes on a label and where: product, shelf/bin and lot labels laid out in millimetres.

A layout is a few text boxes and one barcode box; the Qt painter and the ZPL writer both draw
from it, so a PDF, a sheet printer and a Zebra print the same label.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invdesk.domain.barcodes import gtin_forms, is_valid_gtin
from invdesk.domain.errors import ValidationError
from invdesk.reports.labels.symbols import Symbol, Symbology, encode, product_symbology


class Design(enum.StrEnum):
    PRODUCT = "product"
    LOCATION = "location"
    LOT = "lot"


class Code(enum.StrEnum):
    """The barcode a design carries: `auto` is the design's own choice."""

    AUTO = "auto"
    QR = "qr"
    GS1_128 = "gs1-128"
    GS1_DATAMATRIX = "gs1-datamatrix"


@dataclass(frozen=True)
class ProductLabel:
    sku: str
    name: str
    price: Decimal | None = None
    barcodes: tuple[str, ...] = ()
    """Its unit barcodes (pack size 1), first the one to print."""


@dataclass(frozen=True)
class LocationLabel:
    warehouse: str
    code: str
    name: str | None = None


@dataclass(frozen=True)
class LotLabel:
    sku: str
    name: str
    gtin: str
    lot: str
    expiry: date | None = None


Label = ProductLabel | LocationLabel | LotLabel


@dataclass(frozen=True)
class LabelOptions:
    code: Code = Code.AUTO
    show_price: bool = False


@dataclass(frozen=True)
class TextBox:
    """Text in a box (mm from the label's corner); `size` is the largest letter height in mm,
    which the painter shrinks until the text fits in `lines` lines."""

    x: float
    y: float
    width: float
    height: float
    text: str
    size: float
    bold: bool = False
    centred: bool = False
    lines: int = 1


@dataclass(frozen=True)
class SymbolBox:
    x: float
    y: float
    width: float
    height: float
    symbol: Symbol
    caption: str | None = None
    """The human-readable text under linear bars (digits, SKU, the GS1 fields), `caption_size`
    mm high, in the space just under the box."""
    caption_size: float = 0.0


Element = TextBox | SymbolBox
MARGIN = 2.0


def gs1_data(gtin: str, lot: str, expiry: date | None) -> str:
    """The element string of a lot label, fixed-length fields first so no FNC1 separates them."""
    if not is_valid_gtin(gtin):
        raise ValidationError(f"{gtin} is not a valid GTIN for a lot label.", field="gtin")
    text = f"(01){gtin.zfill(14)}"
    if expiry is not None:
        text += f"(17){expiry:%y%m%d}"
    return f"{text}(10){lot}"


def lot_gtin(barcodes: tuple[str, ...]) -> str | None:
    """The GTIN a lot label names: the product's first barcode that is one."""
    return next((code for code in barcodes if gtin_forms(code)), None)


def symbol_for(label: Label, options: LabelOptions) -> Symbol:
    """The one barcode of `label`; never none (a product without a barcode gets its SKU)."""
    if isinstance(label, LotLabel):
        data = gs1_data(label.gtin, label.lot, label.expiry)
        kind = Symbology.GS1_128 if options.code is Code.GS1_128 else Symbology.GS1_DATAMATRIX
        return encode(kind, data)
    if isinstance(label, LocationLabel):
        if options.code is Code.QR:
            return encode(Symbology.QR, label.code)
        return encode(*_code128_or_qr(label.code))
    if options.code is Code.QR:
        return encode(Symbology.QR, label.barcodes[0] if label.barcodes else label.sku)
    return encode(*product_symbology(label.sku, label.barcodes))


def _code128_or_qr(text: str) -> tuple[Symbology, str]:
    return product_symbology(text, ())


def layout(label: Label, width: float, height: float, options: LabelOptions) -> list[Element]:
    """The elements of `label` on a label of `width` x `height` mm."""
    symbol = symbol_for(label, options)
    if isinstance(label, LocationLabel):
        return _location(label, symbol, width, height)
    lines = _lines(label, options)
    if symbol.linear:
        return _linear(lines, symbol, width, height)
    return _square(lines, symbol, width, height)


def _lines(label: ProductLabel | LotLabel, options: LabelOptions) -> list[str]:
    if isinstance(label, LotLabel):
        expiry = [f"Exp {label.expiry.isoformat()}"] if label.expiry else []
        return [label.name, f"Lot {label.lot}", *expiry, f"SKU {label.sku}"]
    info = f"SKU {label.sku}"
    if options.show_price and label.price is not None:
        info += f"   {label.price:.2f}"
    return [label.name, info]


def _caption(symbol: Symbol) -> str:
    return symbol.data


def _linear(lines: list[str], symbol: Symbol, width: float, height: float) -> list[Element]:
    """Name and details above, the bars across the label, their text under them."""
    m = min(MARGIN, height * 0.07)
    inner = width - 2 * m
    name_h = min(4.5, height * 0.15)
    info_h = min(3.5, height * 0.11)
    caption_h = min(3.0, height * 0.1)
    y = m
    out: list[Element] = [TextBox(m, y, inner, name_h * 1.25, lines[0], name_h, bold=True)]
    y += name_h * 1.3
    for line in lines[1:]:
        out.append(TextBox(m, y, inner, info_h * 1.25, line, info_h))
        y += info_h * 1.3
    bars_h = height - m - caption_h * 1.2 - y - 0.5
    out.append(SymbolBox(m, y + 0.5, inner, bars_h, symbol, _caption(symbol), caption_h))
    return out


def _square(lines: list[str], symbol: Symbol, width: float, height: float) -> list[Element]:
    """A QR or DataMatrix on the left, as tall as the label allows; the text beside it."""
    m = min(MARGIN, height * 0.07)
    side = min(height - 2 * m, width * 0.45)
    out: list[Element] = [SymbolBox(m, (height - side) / 2, side, side, symbol)]
    x = m + side + m
    inner = width - x - m
    name_h = min(4.5, height * 0.14)
    info_h = min(3.5, height * 0.11)
    out.append(TextBox(x, m, inner, name_h * 2.5, lines[0], name_h, bold=True, lines=2))
    y = m + name_h * 2.6
    for line in lines[1:]:
        out.append(TextBox(x, y, inner, info_h * 1.3, line, info_h))
        y += info_h * 1.4
    return out


def _location(label: LocationLabel, symbol: Symbol, width: float, height: float) -> list[Element]:
    """The code in letters big enough to read from the aisle, the bars under it."""
    m = min(MARGIN, height * 0.07)
    inner = width - 2 * m
    code_h = height * 0.3
    out: list[Element] = [
        TextBox(m, m, inner, code_h * 1.2, label.code, code_h, bold=True, centred=True)
    ]
    y = m + code_h * 1.25
    detail = f"{label.warehouse}  {label.name or ''}".strip()
    info_h = min(3.0, height * 0.1)
    if not symbol.linear:
        side = height - y - m
        out.append(SymbolBox(m, y, side, side, symbol))
        out.append(TextBox(m + side + m, y, inner - side - m, info_h * 2.5, detail, info_h))
        return out
    out.append(TextBox(m, y, inner, info_h * 1.25, detail, info_h, centred=True))
    y += info_h * 1.4
    out.append(SymbolBox(m, y, inner, height - m - y, symbol))
    return out
