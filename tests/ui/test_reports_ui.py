"""The Reports page, the import dialog and table export, headless."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from invdesk.domain.security import Actor
from invdesk.services.importing import apply
from invdesk.services.importing.files import ImportKind
from invdesk.services.system.database import open_database
from invdesk.ui.export import export_model
from invdesk.ui.import_dialog import BAD, ImportDialog
from invdesk.ui.models.stock_levels import StockLevelModel
from invdesk.ui.pages.reports import ReportsPage
from tests import support, xlsx_check

MANAGER = Actor("manager")


@pytest.fixture
def db(shop_file_url):
    database = open_database(shop_file_url)
    support.warehouse(database, "MAIN")
    support.warehouse(database, "SHOP")
    for sku, qty in (("A-1", 1250), ("B-2", 30), ("C-3", 400)):
        support.product(database, sku)
        support.stocked(database, sku, qty=qty)
    yield database
    database.dispose()


def test_the_reports_page_writes_the_chosen_report_in_the_background(qtbot, db, tmp_path):
    page = ReportsPage(db, MANAGER)
    qtbot.addWidget(page)
    assert page.TITLE == "Reports"
    assert [page.warehouse.itemText(i) for i in range(page.warehouse.count())] == [
        "All",
        "MAIN",
        "SHOP",
    ]
    page.report.setCurrentIndex(page.report.findData("valuation"))
    page.warehouse.setCurrentIndex(page.warehouse.findData("MAIN"))
    path = tmp_path / "valuation.xlsx"
    with qtbot.waitSignal(page.report_written, timeout=30000) as signal:
        page.generate(str(path))
    assert signal.args == [str(path)]
    qtbot.waitUntil(lambda: page.generate_button.isEnabled())
    ws = load_workbook(path)["Stock on hand"]
    assert ws["F6"].value == 1250
    assert "Saved valuation.xlsx" in page.status.text()
    page.close()


def test_a_cancelled_report_says_so_and_leaves_no_file(qtbot, db, tmp_path):
    page = ReportsPage(db, MANAGER)
    qtbot.addWidget(page)
    page.report.setCurrentIndex(page.report.findData("full"))
    path = tmp_path / "full.xlsx"
    job = page.generate(str(path))
    job.cancel()
    qtbot.waitUntil(lambda: page.generate_button.isEnabled(), timeout=30000)
    if "Cancelled" in page.status.text():
        assert not path.exists()
    else:  # the job won the race and finished first; the file is then whole
        assert load_workbook(path).sheetnames
    page.close()


def test_the_reports_page_charts_units_per_warehouse(qtbot, db, tmp_path):
    page = ReportsPage(db, MANAGER)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.load_chart().finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: len(page.chart._curves) == 1)
    assert page.chart._curves[0][0] == "MAIN"
    assert page.chart.export_png(str(tmp_path / "c.png"))
    page.close()


def test_a_clerk_gets_a_clear_message_not_a_report(qtbot, db, tmp_path):
    from invdesk.domain.security import Role

    page = ReportsPage(db, Actor("clerk", Role.CLERK))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.report_failed, timeout=30000) as signal:
        page.generate(str(tmp_path / "x.xlsx"))
    assert "not allowed reports" in signal.args[0]
    page.close()


def test_the_import_dialog_marks_bad_rows_and_imports_the_valid_ones(qtbot, db, tmp_path, settings):
    path = tmp_path / "count.csv"
    path.write_text(
        "Artikel,Warehouse,Qty\nA-1,MAIN,7\nZZZ,MAIN,1\nB-2,MAIN,-3\n", encoding="utf-8"
    )
    dialog = ImportDialog(db, MANAGER, ImportKind.STOCK, settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.load_file(str(path))
    dialog.set_mapping("Artikel", "sku")
    with qtbot.waitSignal(dialog.check().finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview.errors == 2
    assert dialog.rows.rowCount() == 3
    bad_first = dialog.rows.item(0, 0)
    assert bad_first.background().color() == BAD
    assert "Unknown SKU" in dialog.rows.item(0, 2).text()
    dialog.valid_only.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=30000) as signal:
        dialog.run()
    assert signal.args[0].applied == 1
    assert support.on_hand(db, "A-1") == (7, 0)
    dialog.close()


def test_all_or_nothing_in_the_dialog_changes_nothing(qtbot, db, tmp_path, settings):
    path = tmp_path / "count.csv"
    path.write_text("sku,warehouse,qty\nA-1,MAIN,7\nZZZ,MAIN,1\n", encoding="utf-8")
    dialog = ImportDialog(db, MANAGER, ImportKind.STOCK, settings=settings)
    qtbot.addWidget(dialog)
    dialog.load_file(str(path))
    with qtbot.waitSignal(dialog.check().finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: dialog.preview is not None)
    with qtbot.waitSignal(dialog.run().finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: "nothing imported" in dialog.summary.text())
    assert support.on_hand(db, "A-1") == (1250, 0)
    dialog.close()


def test_export_writes_a_table_as_shown_to_xlsx_and_csv(qtbot, db, tmp_path):
    model = StockLevelModel(db, MANAGER)  # the Stock page's paged model, sorted in SQL
    model.sort(0, Qt.SortOrder.DescendingOrder)
    proxy = model
    assert export_model(proxy, str(tmp_path / "t.xlsx"), title="Stock") == 3
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in ws[5]][:6] == [
        "SKU",
        "Product",
        "Warehouse",
        "On hand",
        "Reserved",
        "Available",
    ]
    assert [c.value for c in ws[6]][:4] == ["C-3", "Product C-3", "MAIN", 400]
    assert ws["D7"].value == 30 and ws["D8"].value == 1250  # numbers, in the shown order
    assert ws["D9"].value == "=SUM(D6:D8)"
    assert xlsx_check.problems(tmp_path / "t.xlsx") == []
    assert export_model(proxy, str(tmp_path / "t.csv")) == 3
    with open(tmp_path / "t.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:4] == ["C-3", "Product C-3", "MAIN", "400"]
    assert rows[3][3] == "1,250"


def test_export_escapes_formulas_and_takes_a_row_iterator(tmp_path):
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["Name", "Qty"])
    model.appendRow([QStandardItem("=cmd|' /C calc'!A0"), QStandardItem("-5")])
    export_model(model, str(tmp_path / "e.csv"))
    text = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd" in text and ",-5" in text
    rows = ([f"@x{i}", i] for i in range(10))  # e.g. every row of a paged model
    assert export_model(model, str(tmp_path / "e.xlsx"), rows) == 10
    ws = load_workbook(tmp_path / "e.xlsx").active
    assert ws["A6"].value == "@x0" and ws["A6"].data_type == "s"
    assert ws["B15"].value == 9
    assert xlsx_check.problems(tmp_path / "e.xlsx") == []


def test_the_import_dialog_shows_progress_and_a_cancelled_import_changes_nothing(
    qtbot, db, tmp_path, settings
):
    from tests.ui.test_background import _Blocker

    path = tmp_path / "catalogue.csv"
    lines = ["sku,name,category"] + [f"N-{i:04d},New {i},Tools" for i in range(500)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = ImportDialog(db, MANAGER, ImportKind.PRODUCTS, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(str(path))
    with qtbot.waitSignal(dialog.check().finished, timeout=30000):
        assert dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
        assert dialog.progress.maximum() == 500
    assert dialog.progress.isHidden() and not dialog.cancel_button.isEnabled()
    assert dialog.preview is not None and dialog.preview.valid == 500

    dialog.pool.setMaxThreadCount(1)
    blocker = _Blocker()
    dialog.pool.start(blocker)  # the import waits behind it, so Cancel comes first
    job = dialog.run()
    dialog.cancel_button.click()
    blocker.release.set()
    with qtbot.waitSignal(job.finished, timeout=30000):
        pass
    assert dialog.summary.text() == "Cancelled; nothing was imported."
    again = apply.preview_import(db, MANAGER, ImportKind.PRODUCTS, dialog.table, dialog.options())
    assert again.counts() == {"create": 500}
    dialog.close()


SHOPIFY = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "shopify_products.csv"


def test_the_import_dialog_reads_a_shopify_export_into_the_chosen_warehouse(qtbot, db, settings):
    dialog = ImportDialog(db, MANAGER, ImportKind.PRODUCTS, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.load_file(str(SHOPIFY))
    assert dialog.mapping.rowCount() == 36  # every column, in a table that scrolls
    assert dialog.mapping_choice()["Variant SKU"] == "sku"
    dialog.warehouse.setCurrentIndex(dialog.warehouse.findData("MAIN"))
    dialog.create_categories.setChecked(True)
    with qtbot.waitSignal(dialog.check().finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert "New categories: Hats, Kitchen, Shirts & Tops." in dialog.summary.text()
    assert "no SKU" in dialog.rows.item(0, 2).text()  # the rows left out come first, with why
    with qtbot.waitSignal(dialog.imported, timeout=30000) as signal:
        dialog.run()
    assert (signal.args[0].applied, signal.args[0].stocked) == (5, 5)
    assert support.on_hand(db, "TEE-M-RED") == (7, 0)
    dialog.close()


def test_a_mapping_is_remembered_for_files_with_the_same_columns(qtbot, db, tmp_path, settings):
    path = tmp_path / "count.csv"
    path.write_text("Artikel,Lager,Menge\nA-1,MAIN,7\n", encoding="utf-8")
    first = ImportDialog(db, MANAGER, ImportKind.STOCK, settings=settings)
    qtbot.addWidget(first)
    first.load_file(str(path))
    for header, field in (("Artikel", "sku"), ("Lager", "warehouse"), ("Menge", "qty")):
        first.set_mapping(header, field)
    with qtbot.waitSignal(first.check().finished, timeout=30000):
        pass
    first.close()

    again = ImportDialog(db, MANAGER, ImportKind.STOCK, settings=settings)
    qtbot.addWidget(again)
    again.load_file(str(path))
    assert again.mapping_choice() == {"Artikel": "sku", "Lager": "warehouse", "Menge": "qty"}
    other = ImportDialog(db, Actor("someone else"), ImportKind.STOCK, settings=settings)
    qtbot.addWidget(other)
    other.load_file(str(path))
    assert other.mapping_choice()["Artikel"] is None  # another user's choice is their own
    again.close()
    other.close()
