"""Every report opens in Excel without a repair prompt: the parts Excel is strict about, checked
in the file itself (tests/xlsx_check.py), for a busy shop and for an empty one."""

from __future__ import annotations

import re
import zipfile

import pytest

from invdesk.reports import runner
from invdesk.reports.filters import ReportFilter
from tests import support, xlsx_check
from tests.integration.test_reports import MANAGER, PERIOD, shop  # noqa: F401 (fixture)

REPORTS = runner.report_names()


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_is_a_workbook_excel_opens_without_repair(shop, tmp_path, name):  # noqa: F811
    path = tmp_path / f"{name}.xlsx"
    runner.generate(shop, MANAGER, name, path, PERIOD)
    assert xlsx_check.problems(path) == []


def test_reports_with_no_rows_are_sound_too(db, tmp_path):
    """An empty period, warehouse or category gives sheets with a header and totals only."""
    support.warehouse(db, "MAIN")
    support.product(db, "A-1")
    for name in REPORTS:
        path = tmp_path / f"{name}.xlsx"
        runner.generate(db, MANAGER, name, path, ReportFilter(warehouse="MAIN"))
        assert xlsx_check.problems(path) == [], name


def _rewrite(src, dst, part, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = change(data.decode()).encode()
            zout.writestr(item, data)


def test_the_check_catches_what_excel_would_repair(shop, tmp_path):  # noqa: F811
    good = tmp_path / "full.xlsx"
    runner.generate(shop, MANAGER, "full", good, PERIOD)
    assert xlsx_check.problems(good) == []
    cases = {
        "xl/workbook.xml": (
            lambda x: x.replace('name="Movements"', 'name="Movements: all of them in one sheet"'),
            "longer than 31",
        ),
        "xl/worksheets/sheet2.xml": (
            lambda x: x.replace("<sheetViews>", '<dimension ref="A1:B2"/><sheetViews>'),
            "dimension A1:B2 but the cells span A1:J10",
        ),
        "xl/worksheets/sheet4.xml": (
            lambda x: re.sub(r'<autoFilter ref="[^"]+"', '<autoFilter ref="A5:Z99"', x),
            "autofilter A5:Z99 outside",
        ),
        "xl/worksheets/sheet11.xml": (  # Movements, with its SUM totals
            lambda x: re.sub(r"<f>SUM\(", "<f>HYPERLINK(", x, count=1),
            "calls ['HYPERLINK']",
        ),
        "xl/worksheets/sheet1.xml": (
            lambda x: re.sub(r'(<c r="A6") s="\d+"( t="inlineStr"><is><t>)', r"\1\2=1+1", x),
            "would read as a formula",
        ),
        "[Content_Types].xml": (
            lambda x: re.sub(r'<Override PartName="/xl/charts/chart1.xml"[^>]*/>', "", x),
            "xl/charts/chart1.xml is a chart with content type application/xml",
        ),
        "xl/charts/chart1.xml": (
            lambda x: re.sub(r"<f>'[^']+'!\$A", "<f>'No such sheet'!$A", x, count=1),
            "missing sheet 'No such sheet'",
        ),
        "xl/styles.xml": (
            lambda x: x.replace('<numFmt numFmtId="165" formatCode="0.0%"/>', ""),
            "uses number format 165, which is not registered",
        ),
    }
    for part, (change, expected) in cases.items():
        bad = tmp_path / "bad.xlsx"
        _rewrite(good, bad, part, change)
        found = xlsx_check.problems(bad)
        assert any(expected in p for p in found), (part, found)
