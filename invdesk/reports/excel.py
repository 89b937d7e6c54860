"""Excel writing for reports: streamed (write-only) sheets with a title block, styled header,
frozen panes, autofilter, number formats, widths and a totals row of real formulas.

Cells are written through one styled template cell per column, reused for every row (openpyxl
serialises a row as soon as it is appended), so a million-row sheet streams at the speed of plain
values while keeping its formats.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# Re-exported: raised here when the person stops a report.
from invdesk.domain.errors import Cancelled as Cancelled
from invdesk.reports import print_setup
from invdesk.reports.fastrows import RowStreamer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
PROGRESS_EVERY = 5000
SHEET_NAME_MAX = 31

_HEADER_FILL = PatternFill("solid", start_color="FF1F4E78", end_color="FF1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFFFF")
_TOTAL_FONT = Font(bold=True)
_TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
_TITLE_FONT = Font(bold=True, size=14, color="FF1F4E78")
_NOTE_FONT = Font(italic=True, color="FF595959")


class Kind(enum.StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    PERCENT = "percent"


FORMATS = {
    Kind.TEXT: "General",
    Kind.INT: "#,##0",
    Kind.NUMBER: "#,##0.00",
    Kind.MONEY: "#,##0.00",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.PERCENT: "0.0%",
}
DEFAULT_WIDTHS = {
    Kind.TEXT: 18,
    Kind.INT: 11,
    Kind.NUMBER: 12,
    Kind.MONEY: 14,
    Kind.DATE: 12,
    Kind.DATETIME: 17,
    Kind.PERCENT: 9,
}


@dataclass(frozen=True)
class Column:
    """One column. `total` is "sum" for a SUM formula, or a formula template over other totals,
    e.g. "=IFERROR({units}/{average},0)" naming columns by key."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: float | None = None
    total: str | None = None


@dataclass
class Sheet:
    """A sheet to write: rows are produced lazily (they may stream from the database)."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    notes: Sequence[str] = ()
    chart: Callable[[Any, SheetInfo], None] | None = None
    rows_written: int = field(default=0, init=False)


@dataclass(frozen=True)
class SheetInfo:
    """Where a written sheet's data landed, for charts that refer to it."""

    worksheet: Any
    first_row: int
    last_row: int
    columns: Sequence[Column]

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns, 1) if c.key == key)


@dataclass(frozen=True)
class Meta:
    """The title block shared by every sheet: filters, when and by whom."""

    filters: str
    generated_at: datetime
    generated_by: str


Progress = Callable[[int], None]
IsCancelled = Callable[[], bool]


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def text_cell(ws: Any, value: str, **style: Any) -> Any:
    """A cell holding `value` as text, never as a formula (Excel shows it as typed).

    Text that a spreadsheet would run (=, +, -, @ first) is stored as a string with the
    quote-prefix style, so it stays text even when someone edits the cell later.
    """
    cell = _styled(ws, None, **style)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def new_workbook() -> Any:
    return Workbook(write_only=True)


def unique_name(workbook: Any, name: str) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:SHEET_NAME_MAX]
    taken = set(workbook.sheetnames)
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return candidate


def _styled(ws: Any, value: Any, **style: Any) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def write_sheet(
    workbook: Any,
    sheet: Sheet,
    meta: Meta,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> SheetInfo:
    """Stream one sheet into a write-only workbook; returns where its data rows are."""
    ws = workbook.create_sheet(unique_name(workbook, sheet.name))
    columns = list(sheet.columns)
    widths = [col.width or DEFAULT_WIDTHS[col.kind] for col in columns]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup.prepare(ws, sum(widths), sheet.title, meta.generated_at, HEADER_ROW)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.sheet_view.showGridLines = True
    when = meta.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    ws.append([text_cell(ws, sheet.title, font=_TITLE_FONT)])
    ws.append([text_cell(ws, f"Filters: {meta.filters}", font=_NOTE_FONT)])
    ws.append([text_cell(ws, f"Generated {when} by {meta.generated_by}", font=_NOTE_FONT)])
    notes = " ".join(sheet.notes)
    ws.append([text_cell(ws, notes, font=_NOTE_FONT)] if notes else [])
    ws.append(
        [
            text_cell(
                ws,
                c.header,
                font=_HEADER_FONT,
                fill=_HEADER_FILL,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            )
            for c in columns
        ]
    )
    styles = [_styled(ws, None, number_format=FORMATS[c.kind]).style_id for c in columns]
    quoted = [_styled(ws, None, quotePrefix=True).style_id for _ in columns]
    streamer = RowStreamer(ws, styles, quoted, FORMULA_PREFIXES)
    streamer.start()
    count = 0
    try:
        for row in sheet.rows:
            ws.append(row if isinstance(row, list | tuple) else list(row))
            count += 1
            if count % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled("The report was cancelled.")
                if progress is not None:
                    progress(count)
    finally:
        streamer.stop()
    sheet.rows_written = count
    last = FIRST_DATA_ROW + count - 1
    ws.append(_totals_row(ws, columns, last))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(last, HEADER_ROW)}"
    print_setup.finish(ws, len(columns), max(last, HEADER_ROW) + 1)
    info = SheetInfo(ws, FIRST_DATA_ROW, last, columns)
    if sheet.chart is not None and count > 0:
        sheet.chart(workbook, info)
    if progress is not None:
        progress(count)
    return info


def _totals_row(ws: Any, columns: Sequence[Column], last: int) -> list[Any]:
    totals_row = last + 1
    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns, 1)}
    cells: list[Any] = []
    for i, col in enumerate(columns):
        letter = letters[col.key]
        if col.total == "sum":
            # With no data rows the totals row is the first data row: a SUM there would sum
            # itself, a circular reference Excel warns about on opening.
            value: Any = (
                f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{last})" if last >= FIRST_DATA_ROW else 0
            )
        elif col.total:
            value = col.total.format(**{k: f"{v}{totals_row}" for k, v in letters.items()})
        elif i == 0:
            value = "Total"
        else:
            value = None
        fmt = FORMATS[col.kind] if col.total else "General"
        cells.append(_styled(ws, value, font=_TOTAL_FONT, border=_TOTAL_BORDER, number_format=fmt))
    return cells


def save(
    workbook: Any,
    path: str | Path,
    sheets: Iterable[Sheet],
    meta: Meta,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Write every sheet and save; on failure or cancel no partial file is left. Returns rows."""
    target = Path(path)
    total = 0
    try:
        for sheet in sheets:
            done = total

            def report(n: int, done: int = done) -> None:
                if progress is not None:
                    progress(done + n)

            write_sheet(workbook, sheet, meta, progress=report, cancelled=cancelled)
            total += sheet.rows_written
        if not workbook.worksheets:
            workbook.create_sheet("Empty")
        workbook.save(target)
    except BaseException:
        _abandon(workbook)
        target.unlink(missing_ok=True)
        raise
    return total


def _abandon(workbook: Any) -> None:
    """Finish and delete the temporary files of a workbook that will not be saved, so no
    half-written XML stream is left for the garbage collector to trip over."""
    for ws in workbook.worksheets:
        with suppress(Exception):
            if not ws.closed:
                ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with suppress(Exception):
                writer.cleanup()
