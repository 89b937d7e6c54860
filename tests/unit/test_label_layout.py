"""Label sizes, start positions, the barcode a product gets, and the ZPL a label printer gets."""

from __future__ import annotations

from datetime import date

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.reports.labels import zpl
from invdesk.reports.labels.designs import (
    Code,
    LabelOptions,
    LocationLabel,
    LotLabel,
    ProductLabel,
    SymbolBox,
)
from invdesk.reports.labels.jobs import job
from invdesk.reports.labels.sizes import STOCKS, page_count, stock_named
from invdesk.reports.labels.symbols import Symbology, product_symbology

A4 = STOCKS["a4-3x8"]
ROLL = STOCKS["62x29"]


@pytest.mark.parametrize(
    ("barcodes", "expected"),
    [
        (("4006381333931",), (Symbology.EAN13, "4006381333931")),
        (("036000291452",), (Symbology.UPCA, "036000291452")),
        (("INTERNAL-7", "036000291452"), (Symbology.UPCA, "036000291452")),
        ((), (Symbology.CODE128, "SKU-1")),
        (("12345",), (Symbology.CODE128, "SKU-1")),  # not a GTIN: the SKU, not a blank
    ],
)
def test_a_product_label_carries_its_ean_or_upc_else_a_code_128_of_its_sku(barcodes, expected):
    assert product_symbology("SKU-1", barcodes) == expected


def test_a_sku_code_128_cannot_carry_becomes_a_qr_code_never_a_blank():
    assert product_symbology("KÄSE-1", ()) == (Symbology.QR, "KÄSE-1")


def test_pages_count_from_the_start_position_of_a_half_used_sheet():
    assert page_count(A4, 24, start=1) == 1
    assert page_count(A4, 24, start=2) == 2
    assert page_count(A4, 20, start=5) == 1
    assert job([ProductLabel("A", "a")], A4, copies=21, start=5).pages == 2
    assert page_count(ROLL, 7) == 7


def test_the_second_sheet_starts_at_the_top_left():
    labels = job([ProductLabel("A", "a")], A4, copies=3, start=24)
    assert [(x, y) for x, y, _ in labels.page(0)] == [A4.cell(23)]
    assert [(x, y) for x, y, _ in labels.page(1)] == [A4.cell(0), A4.cell(1)]


@pytest.mark.parametrize(
    ("copies", "start", "field"), [(0, 1, "copies"), (10_001, 1, "copies"), (1, 0, "start"),
                                   (1, 25, "start")]
)  # fmt: skip
def test_bad_copies_or_start_positions_are_refused(copies, start, field):
    with pytest.raises(ValidationError) as refused:
        job([ProductLabel("A", "a")], A4, copies=copies, start=start)
    assert refused.value.field == field


def test_an_unknown_size_names_the_known_ones():
    with pytest.raises(ValidationError, match="62x29, 57x32"):
        stock_named("4x6")


def test_a_lot_label_refuses_a_gtin_with_a_wrong_check_digit():
    with pytest.raises(ValidationError, match="not a valid GTIN"):
        job([LotLabel("M", "Milk", "4006381333932", "L1")], ROLL).check()


def test_every_element_stays_on_its_label():
    for stock in STOCKS.values():
        labels = job(
            [ProductLabel("A", "a", None, ("4006381333931",)), LocationLabel("W", "A-1"),
             LotLabel("M", "m", "4006381333931", "L1", date(2027, 1, 31))],
            stock, options=LabelOptions(code=Code.AUTO, show_price=True),
        )  # fmt: skip
        for index in range(labels.count):
            for e in labels.elements(index):
                bottom = e.y + e.height + (e.caption_size * 1.3 if isinstance(e, SymbolBox) else 0)
                assert e.x >= 0 and e.x + e.width <= stock.label_width + 1e-9, (stock.key, e)
                assert e.y >= 0 and bottom <= stock.label_height + 0.5, (stock.key, e)


def test_zpl_uses_the_printers_own_barcodes_and_prints_copies_with_pq():
    labels = job(
        [ProductLabel("CAB-1", "Cable ^1 ~x", None, ("4006381333931",)),
         ProductLabel("W_1", "Widget"), LocationLabel("MAIN", "A-01"),
         LotLabel("M", "Milk", "4006381333931", "L1", date(2027, 12, 31))],
        ROLL, copies=3,
    )  # fmt: skip
    text = zpl.zpl(labels)
    formats = text.split("^XZ\n")[:-1]
    assert len(formats) == 4 and all(f.startswith("^XA^CI28^PW496^LL232") for f in formats)
    assert all(f.endswith("^PQ3,0,1,Y") for f in formats)
    assert "^BEN," in formats[0] and "^FD400638133393^FS" in formats[0]  # 12 digits + printer's
    assert "Cable _5E1 _7Ex" in formats[0]  # ^ and ~ escaped: text cannot end a command
    assert "^BCN," in formats[1] and "^FDW_5F1^FS" in formats[1]
    assert "^FDA-01^FS" in formats[2]
    assert "^BXN," in formats[3] and "^FD_10104006381333931172712311" + "0L1^FS" in formats[3]


def test_zpl_refuses_sheets_and_odd_resolutions():
    with pytest.raises(ValidationError, match="label size"):
        zpl.zpl(job([ProductLabel("A", "a")], A4))
    with pytest.raises(ValidationError, match="dpi"):
        zpl.zpl(job([ProductLabel("A", "a")], ROLL), dpi=150)
