"""Reading import files (.xlsx, .csv) into a header and rows; a workbook that would expand past
a bound (a "zip bomb") is refused from its zip directory before any part is parsed."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invdesk.domain.errors import ValidationError

MAX_ROWS = 200_000
# A workbook of MAX_ROWS rows of 40 columns expands to about 250 MB of sheet XML; real sheets
# compress 5-30 times, so a part that expands over 100 times and past 1 MB is not a spreadsheet.
MAX_XLSX_EXPANDED = 256 * 1024 * 1024
MAX_XLSX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024


class ImportKind(enum.StrEnum):
    PRODUCTS = "products"
    STOCK = "stock"
    SUPPLIERS = "suppliers"


@dataclass(frozen=True)
class Table:
    """A file's header and data rows (cells as text or None), with its content hash."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    sha256: str
    first_row_number: int = 2
    """The spreadsheet row number of rows[0] (the header is the row before it)."""


def read_table(path: str | Path) -> Table:
    """Read the first sheet of an .xlsx, or a .csv (UTF-8, comma/semicolon/tab separated)."""
    target = Path(path)
    try:
        content = target.read_bytes()
    except OSError as error:
        raise ValidationError(
            f"Cannot read {target.name}: {error.strerror}.", field="file"
        ) from None
    digest = hashlib.sha256(content).hexdigest()
    suffix = target.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(content, target.name)
    elif suffix in (".csv", ".txt"):
        raw = _csv_rows(content, target.name)
    else:
        raise ValidationError(f"{target.name} is not an .xlsx or .csv file.", field="file")
    start = next((i for i, row in enumerate(raw) if any(_filled(v) for v in row)), None)
    if start is None:
        raise ValidationError(f"{target.name} is empty.", field="file")
    headers = tuple(str(v).strip() if _filled(v) else "" for v in raw[start])
    body = [
        tuple(_cell(v) for v in row) + (None,) * (len(headers) - len(row))
        for row in raw[start + 1 :]
    ]
    if len(body) > MAX_ROWS:
        raise ValidationError(
            f"{target.name} has {len(body):,} rows; import at most {MAX_ROWS:,} at a time.",
            field="file",
        )
    return Table(target.name, headers, tuple(body), digest, start + 2)


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def check_xlsx_size(content: bytes, name: str) -> None:
    """Refuse a workbook whose parts, as its zip directory declares them, expand past
    MAX_XLSX_EXPANDED in all or MAX_XLSX_RATIO times their stored size: parsing one keeps a
    PC busy for minutes. Nothing is decompressed to find out."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ValidationError(f"{name} is not a readable .xlsx workbook.", field="file") from None
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_EXPANDED:
        raise ValidationError(
            f"{name} would expand to {total / 1e6:,.0f} MB when opened, more than the "
            f"{MAX_XLSX_EXPANDED / 1e6:,.0f} MB an import may use; split it or save it as .csv.",
            field="file",
        )
    for part in parts:
        stored = max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and part.file_size / stored > MAX_XLSX_RATIO:
            raise ValidationError(
                f"{name} is not a normal workbook: its part {part.filename} expands "
                f"{part.file_size / stored:,.0f} times ({stored:,} bytes to "
                f"{part.file_size / 1e6:,.0f} MB). Save it again from the spreadsheet, or as .csv.",
                field="file",
            )


def _xlsx_rows(content: bytes, name: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    check_xlsx_size(content, name)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(f"{name} is not a readable .xlsx workbook.", field="file") from None
    try:
        sheet = workbook.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(content: bytes, name: str) -> list[tuple[Any, ...]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [tuple(row) for row in csv.reader(io.StringIO(text), dialect)]
