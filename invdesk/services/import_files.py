"""Reading import files (.xlsx, .csv) into header + rows, and matching headers to fields."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invdesk.domain.errors import ValidationError

MAX_ROWS = 200_000


class ImportKind(enum.StrEnum):
    PRODUCTS = "products"
    STOCK = "stock"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.PRODUCTS: (
        Field("sku", "SKU", True, ("sku", "item", "itemcode", "productcode", "code", "article")),
        Field("name", "Name", True, ("name", "product", "productname", "description", "title")),
        Field("category", "Category", True, ("category", "group", "department", "productgroup")),
        Field("unit", "Unit", False, ("unit", "uom", "unitofmeasure")),
        Field("price", "Price", False, ("price", "saleprice", "sellingprice", "retailprice")),
        Field("cost", "Cost", False, ("cost", "unitcost", "costprice", "purchaseprice")),
        Field(
            "barcodes", "Barcodes", False, ("barcode", "barcodes", "ean", "gtin", "upc", "ean13")
        ),
    ),
    ImportKind.STOCK: (
        Field("sku", "SKU or barcode", True, ("sku", "item", "itemcode", "productcode", "barcode")),
        Field("warehouse", "Warehouse", True, ("warehouse", "location", "store", "site", "wh")),
        Field("qty", "Quantity", True, ("qty", "quantity", "counted", "count", "onhand", "stock")),
        Field("unit_cost", "Unit cost", False, ("unitcost", "cost", "costprice")),
    ),
}


def normalize_header(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


@dataclass(frozen=True)
class Table:
    """A file's header and data rows (cells as text or None), with its content hash."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    sha256: str
    first_row_number: int = 2
    """The spreadsheet row number of rows[0] (the header is the row before it)."""


@dataclass(frozen=True)
class Matched:
    """Which column feeds each field; headers left over; required fields with no column."""

    columns: dict[str, int]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    suggestions: dict[str, str] = field(default_factory=dict)


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


def _xlsx_rows(content: bytes, name: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

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


def match_headers(
    kind: ImportKind, headers: tuple[str, ...], mapping: dict[str, str | None] | None = None
) -> Matched:
    """Columns by header name (case, spaces and punctuation ignored) or by `mapping`.

    `mapping` maps a file header to a field key (or None to ignore the column); it wins over the
    built-in names. Unknown headers are reported so the person can map them.
    """
    fields = FIELDS[kind]
    by_alias = {alias: f.key for f in fields for alias in (f.key, *f.aliases)}
    by_alias.update({normalize_header(f.label): f.key for f in fields})
    explicit = {normalize_header(k): v for k, v in (mapping or {}).items()}
    columns: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        norm = normalize_header(header)
        if not norm:
            continue
        if norm in explicit:
            key = explicit[norm]
            if key is None:
                continue
            if key not in {f.key for f in fields}:
                raise ValidationError(
                    f"“{key}” is not a field of a {kind} import.", field="mapping"
                )
        else:
            key = by_alias.get(norm)
        if key is None or key in columns:
            unknown.append(header)
            continue
        columns[key] = index
    missing = tuple(f.key for f in fields if f.required and f.key not in columns)
    return Matched(columns, tuple(unknown), missing)
