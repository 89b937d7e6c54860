"""GS1 scans are read as scanners send them and as people type them; a plain SKU or EAN never is
one; a bad GS1 code is refused with a message a clerk can act on; a stock line carrying one gets
its GTIN, lot, dates, serial and count."""

from datetime import date

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.gs1 import GS, parse_gs1, plain_code
from invdesk.domain.stock import AdjustStock, IssueStock, Line, MoveStock, ReceiveStock
from invdesk.domain.stock_checks import (
    check_adjust,
    check_issue,
    check_lines,
    check_move,
    check_receive,
)

GTIN = "04006381333931"
LOT_SCAN = "]C1" + "01" + GTIN + "17271231" + "10LOT42"
SERIAL_SCAN = "]d2" + "01" + GTIN + "21SN1" + GS + "3001"


def test_the_gs1_128_acceptance_scan_reads_gtin_expiry_and_lot():
    scan = parse_gs1(LOT_SCAN)
    assert scan is not None
    assert (scan.gtin, scan.expiry, scan.lot) == (GTIN, date(2027, 12, 31), "LOT42")
    assert (scan.serial, scan.count, scan.sscc, scan.produced) == (None, None, None, None)


def test_the_datamatrix_acceptance_scan_reads_serial_and_count():
    scan = parse_gs1(SERIAL_SCAN)
    assert scan is not None
    assert (scan.gtin, scan.serial, scan.count) == (GTIN, "SN1", 1)


@pytest.mark.parametrize(
    "text",
    [
        "(01)04006381333931(17)271231(10)LOT42",  # as printed under the bars
        "(01) 04006381333931 (17) 271231 (10) LOT42",  # typed with spaces
        "]Q3" + "01" + GTIN + "17271231" + "10LOT42",
        GS + "01" + GTIN + "10LOT42" + GS + "17271231",  # no prefix, leading FNC1 sent as GS
        "01" + GTIN + "17271231" + "10LOT42",  # a scanner set to send no prefix at all
        "]C1" + "01" + GTIN + "17271231" + "10LOT42" + GS,  # a trailing GS is harmless
    ],
)
def test_every_form_a_scanner_or_a_person_sends_reads_the_same(text):
    scan = parse_gs1(text)
    assert scan is not None
    assert (scan.gtin, scan.lot, scan.expiry) == (GTIN, "LOT42", date(2027, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "4006381333931",  # EAN-13
        GTIN,  # GTIN-14
        "036000291452",  # UPC-A
        "96385074",  # EAN-8
        "0104006381333931",  # 01 + GTIN alone: could be a 16-digit SKU
        "0104006381333931ABCD",  # starts like GS1 but does not read whole as it
        "CAB-1",
        "SKU-2",
        "(A)-BOLT",
        "]E04006381333931",  # an EAN-13 with its symbology identifier: no GS1 data
        "",
    ],
)
def test_plain_codes_are_not_gs1(text):
    assert parse_gs1(text) is None


def test_day_00_of_an_expiry_means_the_end_of_the_month():
    scan = parse_gs1("(01)04006381333931(17)280200")
    assert scan is not None and scan.expiry == date(2028, 2, 29)


def test_production_date_sscc_and_count_of_a_pallet_label():
    scan = parse_gs1("]C1" + "00340123450000000000" + "02" + GTIN + "3712" + GS + "11260315")
    assert scan is not None
    assert (scan.sscc, scan.gtin, scan.count) == ("340123450000000000", GTIN, 12)
    assert scan.produced == date(2026, 3, 15)
    assert "SSCC 340123450000000000" in scan.describe()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("]C1" + "0104006381333932" + "10LOT42", "wrong check digit: it should end in 1"),
        ("(01)04006381333931(17)271331", "expiry date “271331” is not a date"),
        ("(01)04006381333931(11)270230", "production date 270230 is not a date"),
        ("]d2" + "01" + GTIN + "XY12", "no application identifier at “XY12”"),
        ("(01)0400638133393", "(01) GTIN “0400638133393” is not valid"),
    ],
)
def test_a_bad_gs1_code_is_refused_with_what_is_wrong(text, words):
    with pytest.raises(ValidationError) as caught:
        parse_gs1(text)
    assert words in caught.value.message


def test_a_stock_line_of_a_gs1_scan_gets_its_gtin_lot_and_expiry():
    (line,) = check_lines((Line(LOT_SCAN, 3),))
    assert (line.code, line.qty, line.lot, line.expiry) == (GTIN, 3, "LOT42", date(2027, 12, 31))


def test_a_serial_scan_is_one_unit_and_the_count_fills_an_absent_quantity():
    (serial,) = check_lines((Line(SERIAL_SCAN, None),))
    assert (serial.code, serial.qty, serial.serials) == (GTIN, 1, ("SN1",))
    (counted,) = check_lines((Line("(01)" + GTIN + "(30)24", ""),))
    assert counted.qty == 24
    (typed,) = check_lines((Line("(01)" + GTIN + "(30)24", 2),))
    assert typed.qty == 2  # a quantity given separately wins


def test_what_a_line_says_must_agree_with_its_scan():
    with pytest.raises(ValidationError) as caught:
        check_lines((Line("A-1", 1), Line(LOT_SCAN, 1, lot="LOT7")))
    assert caught.value.line == 1
    assert "code on line 2 says lot LOT42, the line says LOT7" in caught.value.message
    (same,) = check_lines((Line(LOT_SCAN, 1, lot="LOT42", expiry="2027-12-31"),))
    assert same.lot == "LOT42"
    with pytest.raises(ValidationError) as dated:
        check_lines((Line(LOT_SCAN, 1, expiry="2027-12-30"),))
    assert dated.value.field == "expiry"
    assert "says expiry 2027-12-31, the line says 2027-12-30" in dated.value.message


def test_a_gs1_code_without_a_gtin_names_no_product():
    with pytest.raises(ValidationError) as caught:
        check_issue(IssueStock("MAIN", (Line("(00)340123450000000000", 1),)))
    assert "names no product" in caught.value.message
    assert caught.value.field == "product"


def test_the_sscc_becomes_the_reference_unless_one_is_given():
    pallet = "(00)340123450000000000(02)" + GTIN + "(37)12(10)L1"
    checked = check_receive(ReceiveStock("main", (Line(pallet, None),)))
    assert checked.reference == "340123450000000000"
    assert checked.lines[0].qty == 12
    given = check_receive(ReceiveStock("main", (Line(pallet, None),), reference="PO-7"))
    assert given.reference == "PO-7"


def test_a_plain_line_keeps_its_fingerprint():
    plain = check_receive(ReceiveStock("main", (Line("4006381333931", 2),)))
    assert plain.lines[0].payload() == ["4006381333931", 2, None]
    old = ["MAIN", [["4006381333931", 2, None]], None]
    assert fingerprint("receive", plain.payload()) == fingerprint("receive", old)


def test_a_count_and_a_move_take_a_gs1_scan_too():
    adjust = check_adjust(AdjustStock(LOT_SCAN, "main", 5))
    assert (adjust.product, adjust.lot) == (GTIN, "LOT42")
    move = check_move(MoveStock(SERIAL_SCAN, "main", "A-1", "B-2", None))
    assert (move.product, move.qty, move.serials) == (GTIN, 1, ("SN1",))


def test_a_scanner_that_prefixes_every_code_still_gives_plain_codes():
    """Set to send AIM symbology identifiers, a scanner puts one before an EAN-13 too."""
    assert plain_code("]E04006381333931") == "4006381333931"
    assert plain_code("]C0CAB-1") == "CAB-1"
    assert plain_code("CAB-1") == "CAB-1" and plain_code(LOT_SCAN) == LOT_SCAN
    (line,) = check_lines((Line("]E04006381333931", 1),))
    assert line.code == "4006381333931"
