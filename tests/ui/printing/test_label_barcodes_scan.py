"""Every barcode on every label design and size scans back from the page as printed.

Each page is painted by the same code that writes the PDF and feeds a printer, into an image at
the printer's resolution (203 dpi for a label printer, 300 dpi for a sheet printer), and read
with zxing-cpp; a GS1 code must give back its GTIN, lot and expiry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import zxingcpp

from invdesk.domain.gs1 import parse_gs1
from invdesk.reports.labels.designs import (
    Code,
    LabelOptions,
    LocationLabel,
    LotLabel,
    ProductLabel,
)
from invdesk.reports.labels.jobs import job
from invdesk.reports.labels.sizes import STOCKS
from invdesk.ui.printing import label_painter

EAN = ProductLabel("CAB-001", "USB-C cable 2 m, braided", Decimal("9.90"), ("4006381333931",))
UPC = ProductLabel("TAPE-01", "Packing tape", Decimal("2.50"), ("036000291452",))
PLAIN = ProductLabel("WID-7/b", "A widget with a name far too long for one line of a label")
BIN = LocationLabel("MAIN", "A-01-03", "Aisle A, rack 1, shelf 3")
LOT = LotLabel("MILK-1", "Milk 1 l", "4006381333931", "L2412-B", date(2027, 12, 31))
LABELS = [EAN, UPC, PLAIN, BIN, LOT]

AUTO = {  # what each label carries by default: (zxing format, decoded text)
    EAN: ("EAN13", "4006381333931"),
    UPC: ("UPCA", "036000291452"),
    PLAIN: ("Code128", "WID-7/b"),
    BIN: ("Code128", "A-01-03"),
    LOT: ("DataMatrix", "(01)04006381333931(17)271231(10)L2412-B"),
}
QR = {**{label: ("QRCode", text) for label, (_, text) in AUTO.items()}, LOT: AUTO[LOT]}
QR[PLAIN] = ("QRCode", "WID-7/b")
QR[EAN] = ("QRCode", "4006381333931")
QR[UPC] = ("QRCode", "036000291452")
GS1_128 = {**AUTO, LOT: ("Code128", AUTO[LOT][1])}
CHOICES = {
    "auto": (LabelOptions(show_price=True), AUTO),
    "qr": (LabelOptions(code=Code.QR), QR),
    "gs1-128": (LabelOptions(code=Code.GS1_128), GS1_128),
}


def _read(image) -> list[tuple[str, str, str]]:
    found = zxingcpp.read_barcodes(image)
    upc = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.UPCA)
    out = [(b.format.name, b.text, b.symbology_identifier) for b in found]
    # zxing reports a UPC-A as the EAN-13 it also is, unless asked for UPC-A alone.
    for b in upc:
        out = [r for r in out if r[1] != b.text] + [("UPCA", b.text[-12:], b.symbology_identifier)]
    return out


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("size", STOCKS)
def test_every_barcode_on_every_label_scans_back(qapp, size, choice):
    options, expected = CHOICES[choice]
    stock = STOCKS[size]
    labels = job(LABELS, stock, options=options)
    dpi = 203 if stock.roll else 300
    read: list[tuple[str, str, str]] = []
    for page in range(labels.pages):
        read += _read(label_painter.page_image(labels, page, dpi=dpi))

    assert sorted((f, t) for f, t, _ in read) == sorted(expected[label] for label in LABELS)
    gs1 = [(text, aim) for _, text, aim in read if text.startswith("(01)")]
    assert len(gs1) == 1
    text, aim = gs1[0]
    assert aim in ("]C1", "]d2")  # FNC1 first: a GS1 code, not text that looks like one
    scan = parse_gs1(text)
    assert scan is not None
    assert (scan.gtin, scan.lot, scan.expiry) == ("04006381333931", "L2412-B", date(2027, 12, 31))


def test_a_sheet_started_at_position_5_leaves_the_first_four_labels_blank(qapp):
    stock = STOCKS["a4-3x8"]
    labels = job([EAN], stock, copies=2, start=5)
    image = label_painter.page_image(labels, 0, dpi=100)
    dots = 100 / 25.4

    def blank(position: int) -> bool:
        x, y = stock.cell(position)
        cell = image.copy(
            round(x * dots), round(y * dots),
            round(stock.label_width * dots), round(stock.label_height * dots),
        )  # fmt: skip
        return all(
            cell.pixelColor(i, j).lightness() > 250
            for i in range(0, cell.width(), 3)
            for j in range(0, cell.height(), 3)
        )

    assert [blank(p) for p in range(7)] == [True, True, True, True, False, False, True]


def test_the_pdf_itself_scans_when_rendered_by_poppler(qapp, tmp_path):
    """The PDF's vector bars, rasterised by another program (pdftoppm, as a print driver
    would), still scan: nothing depends on how Qt paints to an image."""
    import shutil
    import subprocess

    from PySide6.QtGui import QImage

    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils (.ci/run does)")

    labels = job(LABELS, STOCKS["a4-3x8"])
    label_painter.to_pdf(tmp_path / "labels.pdf", labels)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(tmp_path / "labels.pdf"),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    read = _read(QImage(str(tmp_path / "page.png")))
    assert sorted((f, t) for f, t, _ in read) == sorted(AUTO[label] for label in LABELS)
