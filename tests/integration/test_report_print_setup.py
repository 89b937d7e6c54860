"""Every report sheet prints sensibly: one page wide, landscape when wide, the header row on every
page, a footer with the report, its date and the page number (read back with openpyxl)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.reports import runner
from invdesk.reports.excel import HEADER_ROW
from invdesk.reports.print_setup import PORTRAIT_MAX_WIDTH
from invdesk.services.stock import operations
from tests import support
from tests.fixtures.databases import migrated_sqlite
from tests.integration.test_reports import MANAGER

# The print setup is the Excel writer's, the same whatever the database: one small SQLite shop.


@pytest.fixture
def shop(sqlite_template, tmp_path):
    with Database.open(migrated_sqlite(sqlite_template, tmp_path / "shop.db")) as db:
        support.warehouse(db, "MAIN")
        support.product(db, "A-1", cost="2.00")
        support.product(db, "B-2", cost="5.00", category="Office")
        lines = (Line("A-1", 40, "2.50"), Line("B-2", 12, "4.00"))
        operations.receive(db, ReceiveStock("MAIN", lines), SYSTEM)
        operations.issue(db, IssueStock("MAIN", (Line("A-1", 5),)), SYSTEM)
        yield db


def _width(ws) -> float:
    return sum(
        ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)
    )


def test_every_report_sheet_has_a_print_setup(shop, tmp_path):
    path = tmp_path / "full.xlsx"
    runner.generate(shop, MANAGER, "full", path)
    workbook = load_workbook(path)
    assert set(runner.REPORTS) == set(runner.FULL_ORDER)  # "full" holds every report's sheets
    assert len(workbook.worksheets) >= 10
    for ws in workbook.worksheets:
        title = ws["A1"].value
        setup = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        wide = _width(ws) > PORTRAIT_MAX_WIDTH
        assert setup.orientation == ("landscape" if wide else "portrait"), ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
        # The print area is the whole table: every column, down to the totals row.
        last_column = get_column_letter(ws.max_column)
        assert ws.print_area == f"'{ws.title}'!$A$1:${last_column}${ws.max_row}", ws.title
        footer = ws.oddFooter
        assert footer.left.text == title.replace("&", "&&"), ws.title
        assert footer.center.text.startswith("2026-"), ws.title
        assert footer.right.text == "Page &P of &N", ws.title


def test_the_wide_valuation_sheet_prints_landscape_with_its_value_columns(shop, tmp_path):
    path = tmp_path / "valuation.xlsx"
    runner.generate(shop, MANAGER, "valuation", path)
    ws = load_workbook(path)["Stock on hand"]
    assert ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[-2:] == ["Avg cost", "Value"]
    assert ws.print_area.endswith(f"${get_column_letter(len(header))}${ws.max_row}")


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_value_columns_on_the_first_page(shop, tmp_path):
    """The complaint in the issue: printed through LibreOffice, Value went to a second page."""
    path = tmp_path / "valuation.xlsx"
    runner.generate(shop, MANAGER, "valuation", path)
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "valuation.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")
    detail = next(p for p in pages if "Stock on hand and valuation" in p)
    assert "Avg cost" in detail and "Value" in detail and "A-1" in detail
