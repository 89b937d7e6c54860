"""GS1 scans wherever a code is accepted, on both databases: the GTIN finds the product in any
stored length, a count fills the quantity, a pallet's SSCC becomes the reference, a bad scan is
refused on its line and changes nothing, and a stock file of GS1 codes imports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from invdesk.db.tables import lot_t
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.errors import InvdeskError, NotFound, ValidationError
from invdesk.domain.gs1 import GS
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services.catalog import products
from invdesk.services.importing.apply import ImportOptions, run_import
from invdesk.services.importing.files import ImportKind, read_table
from invdesk.services.reads import browse, dialog_lookups
from invdesk.services.stock import operations
from tests import support

ACTOR = support.ACTOR
UNIT_EAN = "4006381333931"
CASE_GTIN = "14006381333938"
GTIN = "0" + UNIT_EAN  # how a GS1 code carries the EAN-13
LOT_SCAN = "]C1" + "01" + GTIN + "17271231" + "10LOT42"
SSCC = "340123450000000000"


@pytest.fixture
def shop(db):
    support.warehouse(db, "MAIN")
    support.product(db, "CAB-1", barcodes=((UNIT_EAN, 1), (CASE_GTIN, 12)))
    support.product(db, "TAPE-1", barcodes=(("036000291452", 1),))
    support.product(db, "GUM-1", barcodes=(("96385074", 1),))
    support.product(db, "4006381333948")  # a shop that uses the EAN as its SKU
    return db


def test_a_gs1_scan_finds_its_product_by_the_gtin_in_any_stored_length(shop):
    scanned = dialog_lookups.resolve_code(shop, ACTOR, LOT_SCAN)
    assert (scanned.sku, scanned.code, scanned.pack_qty) == ("CAB-1", GTIN, 1)
    assert scanned.scan is not None and scanned.scan.lot == "LOT42"
    case = dialog_lookups.resolve_code(shop, ACTOR, "(01)" + CASE_GTIN + "(10)L1")
    assert (case.sku, case.pack_qty) == ("CAB-1", 12)
    assert dialog_lookups.resolve_code(shop, ACTOR, "(01)00036000291452").sku == "TAPE-1"
    assert dialog_lookups.resolve_code(shop, ACTOR, "(01)00000096385074").sku == "GUM-1"
    assert dialog_lookups.resolve_code(shop, ACTOR, "(01)04006381333948").sku == "4006381333948"
    assert dialog_lookups.resolve_code(shop, ACTOR, GTIN).sku == "CAB-1"  # a bare GTIN-14 too
    assert dialog_lookups.resolve_code(shop, ACTOR, "01" + GTIN).sku == "CAB-1"  # DataBar, bare
    assert browse.find_product(shop, ACTOR, LOT_SCAN).sku == "CAB-1"
    with pytest.raises(NotFound):
        dialog_lookups.resolve_code(shop, ACTOR, "(01)04012345678901")


def test_a_plain_code_is_looked_up_as_before(shop):
    assert dialog_lookups.resolve_code(shop, ACTOR, UNIT_EAN).code == UNIT_EAN
    assert dialog_lookups.resolve_code(shop, ACTOR, "]E0" + UNIT_EAN).code == UNIT_EAN
    assert dialog_lookups.resolve_code(shop, ACTOR, "CAB-1").scan is None


def test_receipts_and_issues_by_gs1_count_move_the_units(shop):
    operations.receive(shop, ReceiveStock("MAIN", (Line("(01)" + GTIN + "(30)24", None),)), ACTOR)
    assert support.on_hand(shop, "CAB-1") == (24, 0)
    issued = operations.issue(
        shop, IssueStock("MAIN", (Line("]d2" + "01" + GTIN + "30" + "5" + GS, ""),)), ACTOR
    )
    assert issued.movements[0].qty == -5
    assert support.on_hand(shop, "CAB-1") == (19, 0)


def test_a_pallet_labels_sscc_is_kept_as_the_reference(shop):
    label = "]C1" + "00" + SSCC + "02" + GTIN + "3712" + GS
    result = operations.receive(shop, ReceiveStock("MAIN", (Line(label, None),)), ACTOR)
    (movement,) = result.movements
    assert (movement.sku, movement.qty, movement.reference) == ("CAB-1", 12, SSCC)


def test_a_bad_gs1_scan_is_refused_on_its_line_and_changes_nothing(shop):
    lines = (Line("CAB-1", 1), Line("]C1" + "01" + "04006381333932" + "10L1", 1))
    with pytest.raises(ValidationError) as caught:
        operations.receive(shop, ReceiveStock("MAIN", lines), ACTOR)
    assert caught.value.line == 1
    assert "check digit" in caught.value.message
    assert support.ledger_count(shop) == 0


def test_a_stock_file_of_gs1_codes_imports_their_counts(shop, tmp_path):
    path = tmp_path / "delivery.csv"
    rows = ["barcode,warehouse,qty", f"(01){GTIN}(30)6,MAIN,", "(01)00036000291452,MAIN,2"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    options = ImportOptions(stock_mode="receive")
    result = run_import(shop, ACTOR, ImportKind.STOCK, read_table(path), options)
    assert result.applied == 2
    assert support.on_hand(shop, "CAB-1") == (6, 0)
    assert support.on_hand(shop, "TAPE-1") == (2, 0)


MILK_GTIN = "05901234123457"  # EAN-13 5901234123457 on file
PHONE_GTIN = "04012345678901"


@pytest.fixture
def tracked_shop(db):
    db.clock = lambda: datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    support.warehouse(db, "MAIN")
    for sku, tracking, ean in (("MILK", "lot", MILK_GTIN[1:]), ("PHONE", "serial", PHONE_GTIN[1:])):
        command = CreateProduct(
            sku, sku, "Food", cost="1.00", price="2.00", barcodes=((ean, 1),), tracking=tracking
        )
        products.create_product(db, command, SYSTEM)
    return db


def test_the_gs1_128_acceptance_scan_is_received_and_issued_by_its_lot(tracked_shop):
    scan = "]C1" + "01" + MILK_GTIN + "17271231" + "10LOT42"
    received = operations.receive(tracked_shop, ReceiveStock("MAIN", (Line(scan, 6),)), ACTOR)
    assert [(m.sku, m.lot, m.qty) for m in received.movements] == [("MILK", "LOT42", 6)]
    with tracked_shop.read() as conn:
        expiry = conn.execute(select(lot_t.c.expiry).where(lot_t.c.number == "LOT42")).scalar()
    assert expiry == date(2027, 12, 31)
    operations.receive(
        tracked_shop,
        ReceiveStock("MAIN", (Line("MILK", 4, lot="LOT7", expiry="2027-01-31"),)),
        ACTOR,
    )
    issued = operations.issue(tracked_shop, IssueStock("MAIN", (Line(scan, 2),)), ACTOR)
    assert [(m.lot, m.qty) for m in issued.movements] == [
        ("LOT42", -2)
    ]  # the scanned lot, not FEFO
    assert support.quants(tracked_shop, "MILK") == {(None, "LOT42"): 4, (None, "LOT7"): 4}


def test_the_datamatrix_acceptance_scan_is_received_and_issued_by_its_serial(tracked_shop):
    scans = ["]d2" + "01" + PHONE_GTIN + "21" + serial + GS + "3001" for serial in ("SN1", "SN2")]
    lines = tuple(Line(scan, None) for scan in scans)
    operations.receive(tracked_shop, ReceiveStock("MAIN", lines), ACTOR)
    assert support.on_hand(tracked_shop, "PHONE") == (2, 0)
    operations.issue(tracked_shop, IssueStock("MAIN", (Line(scans[0], None),)), ACTOR)
    assert support.on_hand(tracked_shop, "PHONE") == (1, 0)
    with pytest.raises(InvdeskError):  # SN1 has left: it cannot go out twice
        operations.issue(tracked_shop, IssueStock("MAIN", (Line(scans[0], None),)), ACTOR)
