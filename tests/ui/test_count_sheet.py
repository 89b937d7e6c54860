"""The count-sheet window: a clerk scans a location, then items, one after another; scanner keys
(timestamps 8 ms apart) delivered late in one lump still land at the location scanned before
them; a manager previews and posts from the same window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from invdesk.domain.counts import CountStatus, OpenCount
from invdesk.domain.security import Actor, Role
from invdesk.services.counts import sheets, variance
from invdesk.services.trust import verify
from invdesk.ui.dialogs.count_sheet import CountSheetWindow
from invdesk.ui.pages.counts import CountsPage
from invdesk.ui.scanning import ScanDetector
from tests import support
from tests.ui.conftest import CLERK
from tests.ui.keys import Typist

BOSS = Actor("boss", Role.MANAGER)


@pytest.fixture
def sheet(shop_db) -> int:
    """Bins A-01 and B-02 in MAIN; a count of P-001 and P-002 there."""
    with shop_db.engine.begin() as conn:
        for code in ("A-01", "B-02"):
            conn.execute(
                text(
                    "INSERT INTO location (warehouse_id, code, type, active, version) "
                    "VALUES (1, :code, 'storage', 1, 1)"
                ),
                {"code": code},
            )
    return sheets.open_count(shop_db, OpenCount("MAIN", products=("P-001", "P-002")), BOSS).id


@pytest.fixture
def scanner(qapp):
    """The app's scanner, handing scans to the count window (routing is test_scan_routing's)."""
    detector = ScanDetector()
    detector.install()
    yield detector
    detector.uninstall()


def _window(qtbot, db, sheet: int, actor: Actor = CLERK) -> CountSheetWindow:
    window = CountSheetWindow(db, actor, sheet)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.previewed):
        window.show()
    window.activateWindow()
    window.scan.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and window.scan.hasFocus())
    return window


def _counts(db, sheet: int) -> dict[tuple[str, str | None], int]:
    report = variance.variance(db, BOSS, sheet)
    return {(line.sku, line.location): line.counted for line in report.counted}


def test_scans_delivered_in_one_late_lump_count_at_the_location_scanned_before(
    qtbot, shop_db, sheet, scanner
):
    window = _window(qtbot, shop_db, sheet)
    scanner.scanned.connect(window.handle_scan)
    typist = Typist()

    # Five bursts, 8 ms apart inside each, all delivered before the GUI thread looks.
    for code in ("A-01", "4006381333931", "4006381333931", "B-02", "P-002"):
        typist.press(f"{code}\n", gap_ms=8)
    qtbot.waitUntil(
        lambda: window.pending() == 0 and len(_counts(shop_db, sheet)) == 2, timeout=20000
    )

    assert _counts(shop_db, sheet) == {("P-001", "A-01"): 2, ("P-002", "B-02"): 1}
    assert window.scan.text() == ""  # no scanner key reached the field
    assert window.location == "B-02"


def test_a_typed_code_counts_the_quantity_beside_it_and_a_case_counts_its_pack(
    qtbot, shop_db, sheet, scanner
):
    window = _window(qtbot, shop_db, sheet)
    scanner.scanned.connect(window.handle_scan)
    typist = Typist()
    window.qty.setValue(5)
    typist.press("P-002\n", gap_ms=150)  # a person typing: into the field, Enter counts it
    typist.press("14006381333938\n", gap_ms=8)  # a case of 12, scanned
    qtbot.waitUntil(
        lambda: window.pending() == 0 and len(_counts(shop_db, sheet)) == 2, timeout=20000
    )

    assert _counts(shop_db, sheet) == {("P-002", None): 5, ("P-001", None): 12}
    assert window.qty.value() == 1


def test_an_unknown_code_is_refused_and_the_next_scans_go_on(qtbot, shop_db, sheet, scanner):
    window = _window(qtbot, shop_db, sheet)
    scanner.scanned.connect(window.handle_scan)
    typist = Typist()
    for code in ("NOPE-404", "P-002"):
        typist.press(f"{code}\n", gap_ms=8)
    qtbot.waitUntil(
        lambda: window.pending() == 0 and len(_counts(shop_db, sheet)) == 1, timeout=20000
    )
    assert _counts(shop_db, sheet) == {("P-002", None): 1}


def test_a_manager_posts_from_the_window_and_a_sale_since_the_count_is_kept(qtbot, shop_db, sheet):
    window = _window(qtbot, shop_db, sheet, BOSS)
    assert window.post_button.isVisible()
    window.qty.setValue(8)
    window.take("P-001", 8)  # 10 expected at the default location
    qtbot.waitUntil(
        lambda: window.pending() == 0 and len(_counts(shop_db, sheet)) == 1, timeout=20000
    )
    support.stocked(shop_db, "P-001", 5)  # a delivery after the count

    with qtbot.waitSignal(window.posted) as posted:
        window.post()

    assert posted.args[0].units == -2
    assert support.on_hand(shop_db, "P-001") == (13, 0)
    (view,) = sheets.list_counts(shop_db, BOSS, sheet=sheet)
    assert view.status is CountStatus.POSTED
    qtbot.waitUntil(lambda: not window.scan.isEnabled())
    assert verify.verify(shop_db, BOSS) == []


def test_a_clerk_sees_no_post_button(qtbot, shop_db, sheet):
    window = _window(qtbot, shop_db, sheet, Actor("cleo", Role.CLERK))
    assert not window.post_button.isVisible()


def test_the_page_lists_sheets_and_opens_one(qtbot, shop_db, sheet):
    page = CountsPage(shop_db, BOSS)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.window_opened) as opened:
        page.open_selected()
    window = opened.args[0]
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    window.close()


def test_a_new_count_is_opened_off_the_gui_thread_and_a_refusal_shows_in_the_dialog(qtbot, shop_db):
    from invdesk.ui.pages.counts import NewCountDialog

    dialog = NewCountDialog(shop_db, BOSS)
    qtbot.addWidget(dialog)
    dialog.zone.setText("NO-SUCH-ZONE")
    dialog.open_count()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled())
    assert "NO-SUCH-ZONE" in dialog.status.text() and dialog.opened is None

    dialog.zone.clear()
    with qtbot.waitSignal(dialog.accepted):
        dialog.open_count()
    assert dialog.opened is not None and dialog.opened.status is CountStatus.OPEN
