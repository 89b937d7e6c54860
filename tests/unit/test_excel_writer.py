"""The streamed sheet writer, read back: layout, formats, totals formulas, escaping, cancel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from invdesk.reports import excel as x
from invdesk.services.importing.fields import match_headers, normalize_header
from invdesk.services.importing.files import ImportKind

META = x.Meta("all warehouses", datetime(2026, 5, 1, 8, 30, tzinfo=UTC), "ann")
COLUMNS = [
    x.Column("name", "Name"),
    x.Column("qty", "Qty", x.Kind.INT, total="sum"),
    x.Column("value", "Value", x.Kind.MONEY, total="sum"),
    x.Column("share", "Share", x.Kind.PERCENT, total="=IFERROR({qty}/{value},0)"),
    x.Column("at", "At", x.Kind.DATETIME),
    x.Column("day", "Day", x.Kind.DATE),
]


def write(tmp_path, rows, **kwargs):
    path = tmp_path / "t.xlsx"
    sheet = x.Sheet("Sheet: one/two", "My report", COLUMNS, rows, notes=("A note.",))
    count = x.save(x.new_workbook(), path, [sheet], META, **kwargs)
    return path, count


def test_a_sheet_has_a_title_block_header_formats_and_totals(tmp_path):
    at = datetime(2026, 4, 3, 14, 5, tzinfo=UTC)
    rows = [
        ["Bolt", 3, Decimal("1.25"), 0.5, at, date(2026, 4, 3)],
        ["Nut", 4, 2.5, None, None, None],
    ]
    path, count = write(tmp_path, rows)
    assert count == 2
    ws = load_workbook(path).active
    assert ws.title == "Sheet_ one_two"
    assert [ws[f"A{r}"].value for r in range(1, 5)] == [
        "My report",
        "Filters: all warehouses",
        "Generated 2026-05-01 08:30 UTC by ann",
        "A note.",
    ]
    assert [c.value for c in ws[5]] == ["Name", "Qty", "Value", "Share", "At", "Day"]
    assert ws["A5"].font.b and ws["A5"].fill.fgColor.rgb == "FF1F4E78"
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref == "A5:F7"
    assert ws["B6"].value == 3 and ws["B6"].number_format == "#,##0"
    assert ws["C6"].value == 1.25 and ws["C6"].number_format == "#,##0.00"
    assert ws["D6"].number_format == "0.0%"
    assert (
        ws["E6"].value == datetime(2026, 4, 3, 14, 5)
        and ws["E6"].number_format == "yyyy-mm-dd hh:mm"
    )
    assert ws["F6"].value == datetime(2026, 4, 3) and ws["F6"].number_format == "yyyy-mm-dd"
    assert [c.value for c in ws[8]][:4] == [
        "Total",
        "=SUM(B6:B7)",
        "=SUM(C6:C7)",
        "=IFERROR(B8/C8,0)",
    ]
    assert ws["B8"].font.b
    assert ws.column_dimensions["A"].width == 18


@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_text_that_would_run_as_a_formula_is_stored_as_text(tmp_path, text):
    path, _ = write(tmp_path, [[text, 1, 1, None, None, None]])
    ws = load_workbook(path).active
    assert ws["A6"].value == text
    assert ws["A6"].data_type == "s" and ws["A6"].quotePrefix


def test_an_empty_sheet_still_has_its_totals_row_without_a_circular_sum(tmp_path):
    """With no data rows the totals row is row 6: SUM(B6:B6) there would sum itself, and Excel
    warns of a circular reference on opening."""
    path, count = write(tmp_path, [])
    ws = load_workbook(path).active
    assert count == 0
    assert ws["A6"].value == "Total" and ws["B6"].value == 0


def test_progress_is_reported_and_cancel_removes_the_file(tmp_path):
    rows = ([f"p{i}", i, i, None, None, None] for i in range(12_000))
    seen = []
    path, count = write(tmp_path, rows, progress=seen.append)
    assert count == 12_000 and seen[:2] == [5000, 10000] and seen[-1] == 12_000
    with pytest.raises(x.Cancelled):
        write(
            tmp_path,
            ([f"p{i}", i, i, None, None, None] for i in range(12_000)),
            cancelled=lambda: True,
        )
    assert not path.exists()


def test_control_characters_are_dropped_not_fatal(tmp_path):
    path, _ = write(tmp_path, [["bad\x01name", 1, 1, None, None, None]])
    assert load_workbook(path).active["A6"].value == "badname"


def test_headers_match_by_name_ignoring_case_spaces_and_punctuation():
    assert normalize_header(" Item-Code ") == "itemcode"
    matched = match_headers(
        ImportKind.PRODUCTS, ("Item Code", "DESCRIPTION", "Group", "EAN", "Colour")
    )
    assert matched.columns == {"sku": 0, "name": 1, "category": 2, "barcodes": 3}
    assert matched.unknown == ("Colour",) and matched.missing == ()
    mapped = match_headers(
        ImportKind.STOCK,
        ("Artikel", "Lager", "Menge"),
        {"artikel": "sku", "Lager": "warehouse", "Menge": "qty"},
    )
    assert mapped.columns == {"sku": 0, "warehouse": 1, "qty": 2}
    assert match_headers(ImportKind.STOCK, ("sku",)).missing == ("warehouse", "qty")


def _cells(path):
    ws = load_workbook(path).worksheets[0]
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, c.quotePrefix)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


def _style_id(ws, **style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    for key, value in style.items():
        setattr(cell, key, value)
    return cell.style_id


def test_streamed_rows_read_back_as_openpyxls_own_write_only_cells(tmp_path):
    """RowStreamer replaces two private hooks of openpyxl's write-only sheet (the version is capped
    in pyproject.toml): what it writes must read back as openpyxl's public WriteOnlyCell would."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from invdesk.reports.fastrows import RowStreamer

    formats = ["General", "#,##0", "#,##0.00", "yyyy-mm-dd hh:mm", "yyyy-mm-dd", "General"]
    rows = [
        ["plain", 3, 2.5, datetime(2026, 5, 1, 8, 30, tzinfo=UTC), date(2026, 5, 1), True],
        ["=SUM(A1)", -7, Decimal("1.25"), datetime(2026, 1, 2, 3, 4, 5), date(2025, 12, 31), False],
        [" spaced ", 0, 0.1, None, None, "@x"],
        ["", None, 1e20, None, None, "-1"],
    ]
    streamed, public = tmp_path / "streamed.xlsx", tmp_path / "public.xlsx"

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("S")
    styles = [_style_id(ws, number_format=f) for f in formats]
    quoted = [_style_id(ws, quotePrefix=True) for _ in formats]
    ws.append(["Header"])  # as write_sheet does: the sheet's writer exists once a row is written
    streamer = RowStreamer(ws, styles, quoted, x.FORMULA_PREFIXES)
    streamer.start()
    for row in rows:
        ws.append(row)
    streamer.stop()
    workbook.save(streamed)

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("S")
    ws.append(["Header"])
    for row in rows:
        cells = []
        for value, fmt in zip(row, formats, strict=True):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            if value == "":
                value = None  # an empty text is no cell, as openpyxl writes no empty string
            text = isinstance(value, str)
            quote = text and value.startswith(x.FORMULA_PREFIXES)
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = fmt
            if quote:
                cell.data_type = "s"  # as text, not a formula
                cell.quotePrefix = True
                cell.number_format = "General"
            cells.append(cell)
        ws.append(cells)
    workbook.save(public)

    assert _cells(streamed) == _cells(public)


def test_a_narrow_sheet_prints_portrait_with_an_escaped_footer(tmp_path):
    path = tmp_path / "t.xlsx"
    sheet = x.Sheet("S", "Bolts & nuts", COLUMNS[:2], [["Bolt", 1]])
    x.save(x.new_workbook(), path, [sheet], META)
    ws = load_workbook(path).active
    assert ws.page_setup.orientation == "portrait"
    assert ws.oddFooter.left.text == "Bolts && nuts"  # a lone & would start a footer code
    assert ws.oddFooter.center.text == "2026-05-01 08:30 UTC"
    assert ws.print_area == "'S'!$A$1:$B$7"
