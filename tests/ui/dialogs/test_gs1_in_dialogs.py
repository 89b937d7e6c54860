"""GS1 scans into the stock dialogs, as a scanner types them (keys 6 ms apart by their timestamps,
delivered in one late lump, FNC1 as GS or Ctrl+]): the lot, expiry and serial land on the line,
each serial scan adds one unit, and the Lot, Expiry and Serials columns appear only when a line
needs them, so a shop without lots sees the dialogs it always saw."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from invdesk.db.tables import product_t
from invdesk.ui.dialogs import IssueDialog, ReceiveDialog
from invdesk.ui.dialogs.lines import TRACKING_COLUMNS, Column
from invdesk.ui.drafts import DraftStore
from invdesk.ui.scanning import ScanDetector, route_scan
from tests import support
from tests.ui.dialogs.shop import CLERK, UNIT_EAN, post
from tests.ui.keys import Typist

GTIN = "0" + UNIT_EAN
LOT_SCAN = "]C1" + "01" + GTIN + "17271231" + "10LOT42"
LOT_SCAN_2 = "]C1" + "01" + GTIN + "17280630" + "10LOT43"


def serial_scan(serial: str, gs: str = "\x1d") -> str:
    return "]d2" + "01" + GTIN + "21" + serial + gs + "3001"


def track(db, sku: str, tracking: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(product_t).where(product_t.c.sku == sku).values(tracking=tracking))


@pytest.fixture
def scanner(qtbot):
    detector = ScanDetector()
    detector.install()
    detector.scanned.connect(route_scan)
    yield detector
    detector.uninstall()
    detector.deleteLater()


def _open(qtbot, cls, db):
    dialog = cls(db, CLERK, warehouse="MAIN")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.scan.hasFocus())
    return dialog


def _hidden(dialog) -> dict[Column, bool]:
    return {c: dialog.table.isColumnHidden(list(dialog.columns).index(c)) for c in TRACKING_COLUMNS}


def _cell(dialog, row, column):
    return dialog.model.data(dialog.model.index(row, list(dialog.columns).index(column)))


def test_a_shop_without_lots_sees_no_lot_expiry_or_serial_column(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop)
    dialog.handle_scan(UNIT_EAN)
    dialog.handle_scan("SKU-2")
    assert _hidden(dialog) == dict.fromkeys(TRACKING_COLUMNS, True)
    assert dialog.command().lines[0].lot is None  # a plain line, as before


def test_a_gs1_lot_scan_fills_lot_and_expiry_and_repeats_count_on_its_line(qtbot, shop, scanner):
    track(shop, "CAB-1", "lot")
    dialog = _open(qtbot, ReceiveDialog, shop)
    typist = Typist()

    typist.press(LOT_SCAN + "\n", gap_ms=6, widget=dialog.scan)
    typist.press(LOT_SCAN + "\n", gap_ms=6, widget=dialog.scan)
    typist.press(LOT_SCAN_2 + "\n", gap_ms=6, widget=dialog.scan)

    assert dialog.scan.text() == ""  # nothing of the scans was typed into the field
    assert dialog.model.rowCount() == 2
    assert [_cell(dialog, 0, c) for c in (Column.LOT, Column.EXPIRY, Column.QTY)] == [
        "LOT42",
        "2027-12-31",
        "2",
    ]
    assert _cell(dialog, 1, Column.LOT) == "LOT43"
    hidden = _hidden(dialog)
    assert not hidden[Column.LOT] and not hidden[Column.EXPIRY] and hidden[Column.SERIALS]
    assert "lot LOT43, expires 2028-06-30" in dialog.status.text()
    line = dialog.command().lines[0]
    assert (line.product, line.qty, line.lot, line.expiry) == (GTIN, 2, "LOT42", "2027-12-31")
    assert dialog.can_post()


def test_a_receipt_of_a_lot_tracked_product_waits_for_its_lot(qtbot, shop):
    track(shop, "CAB-1", "lot")
    dialog = _open(qtbot, ReceiveDialog, shop)
    dialog.handle_scan(UNIT_EAN)
    assert not dialog.can_post()
    assert "tracked by lot" in dialog.lines_error.text()
    assert not _hidden(dialog)[Column.LOT]
    dialog.model.setData(dialog.model.index(0, list(dialog.columns).index(Column.LOT)), "L-7")
    assert dialog.can_post()
    issue = _open(qtbot, IssueDialog, shop)
    issue.handle_scan(UNIT_EAN)  # an issue picks a lot itself (first expiry first out)
    assert "tracked by lot" not in issue.lines_error.text()


@pytest.mark.parametrize("gs", ["\x1d", "⌃"], ids=["gs-character", "ctrl-bracket"])
def test_each_serial_scan_adds_that_serial_and_one_unit(qtbot, shop, scanner, gs):
    track(shop, "CAB-1", "serial")
    dialog = _open(qtbot, ReceiveDialog, shop)
    typist = Typist()

    for serial in ("SN1", "SN2", "SN1"):
        typist.press(serial_scan(serial, gs) + "\n", gap_ms=6, widget=dialog.scan)

    assert dialog.model.rowCount() == 1
    assert _cell(dialog, 0, Column.SERIALS) == "SN1, SN2"
    assert _cell(dialog, 0, Column.QTY) == "2"
    assert "Serial SN1 of CAB-1 is on line 1 already" in dialog.status.text()
    assert not _hidden(dialog)[Column.SERIALS] and _hidden(dialog)[Column.LOT]
    assert dialog.command().lines[0].serials == ("SN1", "SN2")
    assert dialog.can_post()


def test_a_plain_serial_label_after_the_product_is_that_units_serial(qtbot, shop):
    track(shop, "CAB-1", "serial")
    dialog = _open(qtbot, ReceiveDialog, shop)
    dialog.handle_scan(UNIT_EAN)
    assert "0 of 1 scanned" in dialog.lines_error.text()
    dialog.handle_scan("SN-0001")
    dialog.handle_scan(UNIT_EAN)
    dialog.handle_scan("SN-0002")
    assert dialog.model.lines[0].serials == ["SN-0001", "SN-0002"]
    assert _cell(dialog, 0, Column.QTY) == "2"
    assert dialog.can_post()


def test_gs1_typed_into_the_scan_field_without_a_detector(qtbot, shop):
    """The printed form typed by hand, and a scanner with the detector off: GS reaches the
    field as Ctrl+] and stays in the code."""
    dialog = _open(qtbot, ReceiveDialog, shop)
    qtbot.keyClicks(dialog.scan, "(01)04006381333931(17)270200(10)LOT9")
    qtbot.keyClick(dialog.scan, "\r")
    scan = "]C1" + "01" + GTIN + "10LOT8" + "⌃" + "17271231"
    Typist().press(scan + "\n", gap_ms=6, widget=dialog.scan)
    lines = dialog.model.lines
    assert (lines[0].lot_text, lines[0].expiry_text) == ("LOT9", date(2027, 2, 28).isoformat())
    assert (lines[1].lot_text, lines[1].expiry_text) == ("LOT8", "2027-12-31")


def test_a_bad_gs1_scan_is_refused_and_adds_nothing(qtbot, shop):
    dialog = _open(qtbot, ReceiveDialog, shop)
    dialog.handle_scan("]C1" + "0104006381333932" + "10L1")
    assert dialog.model.rowCount() == 0
    assert "wrong check digit" in dialog.status.text()
    assert dialog.scan.property("scan_state") == "unknown"


def test_a_draft_keeps_lots_and_serials(qtbot, shop, tmp_path):
    track(shop, "CAB-1", "serial")
    dialog = _open(qtbot, ReceiveDialog, shop)
    dialog.handle_scan(serial_scan("SN1"))
    dialog.handle_scan(serial_scan("SN2"))
    dialog.drafts = DraftStore(tmp_path)
    dialog.save_draft()
    (draft,) = DraftStore(tmp_path).load(dialog.draft().database, CLERK.username)
    again = ReceiveDialog(shop, CLERK, draft=draft)
    qtbot.addWidget(again)
    assert again.model.lines[0].serials == ["SN1", "SN2"]
    assert again.command().lines == dialog.command().lines


def test_scanned_lots_and_serials_are_posted_as_scanned(qtbot, any_shop):
    """On both databases: what the scans put on the lines is what the ledger books."""
    track(any_shop, "CAB-1", "lot")
    dialog = _open(qtbot, ReceiveDialog, any_shop)
    for scan in (LOT_SCAN, LOT_SCAN, LOT_SCAN_2):
        dialog.handle_scan(scan)
    post(qtbot, dialog)
    assert dialog.posted_result is not None
    booked = [(m.lot, m.qty) for m in dialog.posted_result.movements]
    assert booked == [("LOT42", 2), ("LOT43", 1)]
    assert support.quants(any_shop, "CAB-1")[(None, "LOT42")] == 2
