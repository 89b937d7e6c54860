"""Labels are reachable from a receipt just posted, the Locations page and a product's rows."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from invdesk.domain.stock import Line, ReceiveStock
from invdesk.reports.labels.designs import LocationLabel, ProductLabel
from invdesk.services.stock import operations
from invdesk.ui.pages.locations import LocationsPage
from invdesk.ui.printing import label_actions
from tests import support
from tests.ui.conftest import CLERK


def _opened(qtbot, start):
    found = []
    with qtbot.waitCallback(timeout=10_000) as opened:
        start(lambda dialog: (found.append(dialog), opened(dialog)))
    qtbot.addWidget(found[0])
    return found[0]


def test_a_receipt_by_case_offers_one_label_per_unit_or_per_case(qtbot, shop_db, tmp_path):
    result = operations.receive(
        shop_db, ReceiveStock("MAIN", (Line("14006381333938", 2), Line("P-002", 3))), CLERK
    )  # two cases of 12 of P-001, three of P-002
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    parent = QWidget()
    qtbot.addWidget(parent)
    box = label_actions.offer_after_receipt(parent, shop_db, CLERK, result, settings)
    assert box is not None and "Received 27 units" in box.text()
    box.checkBox().setChecked(True)
    box.reject()
    assert label_actions.offer_after_receipt(parent, shop_db, CLERK, result, settings) is None

    dialog = _opened(
        qtbot,
        lambda done: label_actions.receipt(
            parent, shop_db, CLERK, result, settings=settings, opened=done
        ),
    )
    assert dialog.summary.text() == "27 labels on 27 page(s)"
    dialog.per.setCurrentIndex(dialog.per.findData("pack"))
    assert dialog.summary.text() == "5 labels on 5 page(s)"  # 2 cases + 3 units without a case
    assert {type(label) for label in dialog.labels()} == {ProductLabel}


def test_the_locations_page_prints_the_selected_bins(qtbot, shop_db, monkeypatch):
    for code in ("A-01", "A-02", "B-01"):
        support.location(shop_db, "MAIN", code)
    page = LocationsPage(shop_db, CLERK)
    qtbot.addWidget(page)
    page.warehouse.setCurrentIndex(page.warehouse.findData("MAIN"))
    page.refresh_rows()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.model.index(2, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert page.selected_codes() == ["A-01", "B-01"]

    real = label_actions.open_labels
    shown = []

    def spy(*args, **kwargs):
        kwargs["opened"] = shown.append
        return real(*args, **kwargs)

    monkeypatch.setattr(label_actions, "open_labels", spy)
    with qtbot.waitSignal(page.print_labels(selected_only=True).finished, timeout=10_000):
        pass
    qtbot.addWidget(shown[0])
    assert [label.code for label in shown[0].labels()] == ["A-01", "B-01"]
    assert all(isinstance(label, LocationLabel) for label in shown[0].labels())


def test_product_rows_right_click_offers_labels_for_every_selected_product(qtbot, window):
    from invdesk.ui.pages.products import ProductsPage
    from invdesk.ui.window_wiring import selected_skus

    page = window.open_page(ProductsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 3)
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.model.index(2, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert selected_skus(page.table) == ["P-001", "P-003"]


def test_a_traced_lot_prints_its_gs1_label(qtbot, shop_db, monkeypatch):
    from datetime import date

    from invdesk.reports.labels.designs import LotLabel
    from invdesk.services.catalog import products
    from invdesk.ui.pages.trace import TracePage
    from tests.lots import receive_lot, tracked_product

    tracked_product(shop_db, "MILK")
    products.add_barcode(shop_db, "MILK", "4006381333948", 1, CLERK)
    receive_lot(shop_db, "MILK", "MAIN", 6, "L7", date(2030, 6, 1))
    page = TracePage(shop_db, CLERK)
    qtbot.addWidget(page)
    assert not page.labels_button.isEnabled()
    page.show_lot("MILK", "L7")
    qtbot.waitUntil(page.labels_button.isEnabled)

    real, shown = label_actions.open_labels, []
    monkeypatch.setattr(
        label_actions, "open_labels", lambda *a, **k: real(*a, **{**k, "opened": shown.append})
    )
    with qtbot.waitSignal(page.print_labels().finished, timeout=10_000):
        pass
    assert shown[0].labels() == [
        LotLabel("MILK", "Product MILK", "4006381333948", "L7", date(2030, 6, 1))
    ]


def test_a_count_sheet_prints_its_products_and_its_locations(qtbot, shop_db, monkeypatch):
    from invdesk.domain.counts import OpenCount
    from invdesk.domain.security import Actor, Role
    from invdesk.services.counts import sheets
    from invdesk.ui.dialogs.count_sheet import CountSheetWindow

    support.location(shop_db, "MAIN", "A-01")
    boss = Actor("boss", Role.MANAGER)
    number = sheets.open_count(shop_db, OpenCount("MAIN", products=("P-001", "P-002")), boss).id
    window = CountSheetWindow(shop_db, CLERK, number)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.previewed):
        window.show()
    real, shown = label_actions.open_labels, []
    monkeypatch.setattr(
        label_actions, "open_labels", lambda *a, **k: real(*a, **{**k, "opened": shown.append})
    )
    with qtbot.waitSignal(window.product_labels().finished, timeout=10_000):
        pass
    assert sorted(label.sku for label in shown[0].labels()) == ["P-001", "P-002"]
    assert window.location_labels() is None  # nothing on the sheet is in a bin yet
