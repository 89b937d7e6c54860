"""Barcode symbols as dark modules: what a painter draws as rectangles and a ZPL writer names.

The encoding (check digits, Code 128 subsets, Reed-Solomon for matrix codes) is zxing-cpp's; we
keep only the dark runs of each row, so a painter can draw every bar as one vector rectangle at
the printer's own resolution instead of scaling a bitmap.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache

from invdesk.domain.barcodes import is_valid_gtin
from invdesk.domain.errors import ValidationError


class Symbology(enum.StrEnum):
    EAN13 = "ean13"
    UPCA = "upca"
    CODE128 = "code128"
    GS1_128 = "gs1-128"
    GS1_DATAMATRIX = "gs1-datamatrix"
    QR = "qr"

    @property
    def linear(self) -> bool:
        return self in _LINEAR

    @property
    def shown(self) -> str:
        return _TITLES[self]


_LINEAR = frozenset({Symbology.EAN13, Symbology.UPCA, Symbology.CODE128, Symbology.GS1_128})
_TITLES = {
    Symbology.EAN13: "EAN-13",
    Symbology.UPCA: "UPC-A",
    Symbology.CODE128: "Code 128",
    Symbology.GS1_128: "GS1-128",
    Symbology.GS1_DATAMATRIX: "GS1 DataMatrix",
    Symbology.QR: "QR",
}
QUIET_ZONE = {  # modules of white each side that a scanner needs (ISO/IEC and GS1 figures)
    Symbology.EAN13: 11,
    Symbology.UPCA: 9,
    Symbology.CODE128: 10,
    Symbology.GS1_128: 10,
    Symbology.GS1_DATAMATRIX: 1,
    Symbology.QR: 4,
}
MAX_CODE128 = 48  # beyond this a Code 128 no longer fits any label we print


@dataclass(frozen=True)
class Symbol:
    """One encoded barcode. `runs` are the dark runs (row, first module, length); a linear code
    has one row, each run being a bar as tall as the symbol is drawn."""

    symbology: Symbology
    data: str
    """What it encodes as a person reads it: the digits, the SKU, "(01)...(10)..."."""
    columns: int
    rows: int
    runs: tuple[tuple[int, int, int], ...]

    @property
    def quiet_zone(self) -> int:
        return QUIET_ZONE[self.symbology]

    @property
    def linear(self) -> bool:
        return self.symbology.linear


def encode(symbology: Symbology, data: str) -> Symbol:
    """The symbol for `data`. Raises ValidationError when the data cannot be put in that
    symbology (a wrong check digit, a character Code 128 lacks, a lot GS1 refuses)."""
    return _encode(symbology, data)


@lru_cache(maxsize=4096)  # a sheet of the same product repeats one symbol many times
def _encode(symbology: Symbology, data: str) -> Symbol:
    import zxingcpp  # loaded with the first label: the CLI's start stays quick

    formats = {
        Symbology.EAN13: zxingcpp.BarcodeFormat.EAN13,
        Symbology.UPCA: zxingcpp.BarcodeFormat.UPCA,
        Symbology.CODE128: zxingcpp.BarcodeFormat.Code128,
        Symbology.GS1_128: zxingcpp.BarcodeFormat.Code128,
        Symbology.GS1_DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
        Symbology.QR: zxingcpp.BarcodeFormat.QRCode,
    }
    gs1 = symbology in (Symbology.GS1_128, Symbology.GS1_DATAMATRIX)
    _check(symbology, data)
    try:
        if gs1:
            barcode = zxingcpp.create_barcode(data, formats[symbology], gs1=True)
        elif symbology is Symbology.QR and not data.isascii():
            # Told it is UTF-8 (an ECI), a phone reads "Ä" as "Ä", not as Shift JIS.
            barcode = zxingcpp.create_barcode(data, formats[symbology], ec_level="M", eci="UTF8")
        elif symbology is Symbology.QR:
            barcode = zxingcpp.create_barcode(data, formats[symbology], ec_level="M")
        else:
            barcode = zxingcpp.create_barcode(data, formats[symbology])
    except Exception as error:  # zxing-cpp raises its own ValueError/RuntimeError kinds
        raise ValidationError(
            f"“{data}” cannot be printed as {symbology.shown}: {error}", field="barcode"
        ) from None
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    rows, columns = image.shape or (0, 0)
    pixels = image.tobytes()
    # A linear code's bars all start in row 0 (EAN guard bars only reach further down).
    runs = _runs(pixels, columns, 1 if symbology.linear else rows)
    return Symbol(symbology, data, columns, 1 if symbology.linear else rows, tuple(runs))


def _runs(pixels: bytes, columns: int, rows: int) -> list[tuple[int, int, int]]:
    runs: list[tuple[int, int, int]] = []
    for row in range(rows):
        line = pixels[row * columns : (row + 1) * columns]
        start = -1
        for column, value in enumerate(line):
            if value < 128 and start < 0:
                start = column
            elif value >= 128 and start >= 0:
                runs.append((row, start, column - start))
                start = -1
        if start >= 0:
            runs.append((row, start, columns - start))
    return runs


def _check(symbology: Symbology, data: str) -> None:
    if not data:
        raise ValidationError("A barcode needs something to encode.", field="barcode")
    if symbology is Symbology.EAN13 and not (len(data) == 13 and is_valid_gtin(data)):
        raise ValidationError(f"{data} is not a valid EAN-13.", field="barcode")
    if symbology is Symbology.UPCA and not (len(data) == 12 and is_valid_gtin(data)):
        raise ValidationError(f"{data} is not a valid UPC-A.", field="barcode")
    if symbology is Symbology.CODE128 and (not data.isascii() or not data.isprintable()):
        raise ValidationError(
            f"“{data}” has characters a Code 128 cannot carry (plain ASCII only).",
            field="barcode",
        )
    if symbology is Symbology.CODE128 and len(data) > MAX_CODE128:
        raise ValidationError(
            f"“{data}” is too long for a Code 128 label: at most {MAX_CODE128} characters.",
            field="barcode",
        )


def product_symbology(sku: str, barcodes: tuple[str, ...]) -> tuple[Symbology, str]:
    """What a product label carries: its EAN-13 or UPC-A when it has one (the first of its unit
    barcodes), else a Code 128 of the SKU, and a QR of the SKU when even that cannot be (a SKU
    with characters beyond ASCII). Never nothing."""
    for code in barcodes:
        if is_valid_gtin(code) and len(code) == 13:
            return Symbology.EAN13, code
        if is_valid_gtin(code) and len(code) == 12:
            return Symbology.UPCA, code
    if sku.isascii() and sku.isprintable() and len(sku) <= MAX_CODE128:
        return Symbology.CODE128, sku
    return Symbology.QR, sku
