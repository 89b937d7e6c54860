"""Export any table view to .xlsx or .csv as shown: the model's columns, display text and order.

For a paged model pass `rows`, an iterable of row value lists (the "fetch all rows for export"
hook), so the export covers every row and not only those fetched so far.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

from invdesk.reports.excel import FORMULA_PREFIXES, Column, Kind, Sheet
from invdesk.reports.excel import save as save_workbook

Display = Qt.ItemDataRole.DisplayRole
SAMPLE_ROWS = 500


def model_headers(model: QAbstractItemModel) -> list[str]:
    return [
        str(model.headerData(c, Qt.Orientation.Horizontal, Display) or "")
        for c in range(model.columnCount())
    ]


def model_rows(model: QAbstractItemModel) -> Iterator[list[Any]]:
    """Rows as the view shows them (after any proxy's filter and sort), as display text."""
    for r in range(model.rowCount(QModelIndex())):
        yield [model.data(model.index(r, c), Display) for c in range(model.columnCount())]


def _number(value: Any) -> Any:
    """Shown text such as "1,250" or "12.50" back to a number, so Excel can sum it."""
    if not isinstance(value, str):
        return value
    text = value.replace(",", "").strip()
    if not text or text.startswith(("+",)) or text.count(".") > 1:
        return value
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return value


def export_model(
    model: QAbstractItemModel,
    path: str,
    rows: Iterable[Sequence[Any]] | None = None,
    *,
    title: str = "Export",
    by: str = "",
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the model (or `rows`) to .xlsx or .csv by the file's suffix; returns rows written.

    Numbers shown as text ("1,250") become numbers in Excel. Text that a spreadsheet would run as
    a formula is escaped in both formats.
    """
    headers = model_headers(model)
    source: Iterable[Sequence[Any]] = model_rows(model) if rows is None else rows
    target = Path(path)
    if target.suffix.lower() == ".csv":
        return _write_csv(target, headers, source)
    from datetime import UTC, datetime

    from invdesk.reports.excel import Meta, new_workbook

    columns = [Column(f"c{i}", h or f"Column {i + 1}", Kind.TEXT) for i, h in enumerate(headers)]
    # Column kinds from the first rows; the rest stream through without being held in memory.
    converted = (list(map(_number, row)) for row in source)
    head = list(islice(converted, SAMPLE_ROWS))
    kinds = _kinds(head, len(columns))
    columns = [
        Column(c.key, c.header, k, total="sum" if k is Kind.INT else None)
        for c, k in zip(columns, kinds, strict=True)
    ]
    sheet = Sheet("Export", title, columns, chain(head, converted))
    meta = Meta("as shown in the table", datetime.now(UTC), by or "invdesk")
    return save_workbook(
        new_workbook(), target, [sheet], meta, progress=progress, cancelled=cancelled
    )


def _kinds(rows: list[list[Any]], width: int) -> list[Kind]:
    kinds = []
    for c in range(width):
        values = [row[c] for row in rows if row[c] not in (None, "")]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kinds.append(Kind.INT)
        elif values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            kinds.append(Kind.NUMBER)
        else:
            kinds.append(Kind.TEXT)
    return kinds


def csv_safe(value: Any) -> str:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) and not _is_negative(text) else text


def _is_negative(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _write_csv(target: Path, headers: list[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with target.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_safe(h) for h in headers])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])
            count += 1
    return count
