"""A1 references, the namespaces and Excel's limits, for the workbook checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
R_ID = f"{{{NS['r']}}}id"
MAX_ROW, MAX_COL = 1_048_576, 16_384
SHEET_NAME_MAX = 31
BAD_SHEET_CHARS = set("[]:*?/\\")
CELL_TEXT_MAX = 32_767
BUILTIN_NUMFMT_MAX = 163  # ids up to 163 are built in or reserved; ours must be registered
FUNCTIONS = {"SUM", "IFERROR", "SUBTOTAL"}
"""The functions our writers use; another one means user text ran as a formula."""
FORMULA_PREFIXES = ("=", "+", "-", "@")
OOXML = "application/vnd.openxmlformats-officedocument."
CONTENT_TYPES = {
    "officeDocument": OOXML + "spreadsheetml.sheet.main+xml",
    "worksheet": OOXML + "spreadsheetml.worksheet+xml",
    "styles": OOXML + "spreadsheetml.styles+xml",
    "sharedStrings": OOXML + "spreadsheetml.sharedStrings+xml",
    "theme": OOXML + "theme+xml",
    "drawing": OOXML + "drawing+xml",
    "chart": OOXML + "drawingml.chart+xml",
    "extended-properties": OOXML + "extended-properties+xml",
    "metadata/core-properties": "application/vnd.openxmlformats-package.core-properties+xml",
}
"""The content type a part must have, by the type of the relationship that points at it (a part
left to the generic application/xml default is not read as what it is)."""
CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")
DEFINED_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.\\]*$")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_cell(ref: str) -> tuple[int, int] | None:
    """(row, column) of A1 or $A$1, or None."""
    match = CELL.match(ref)
    if not match:
        return None
    row, col = int(match.group(2)), col_number(match.group(1))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first col, last row, last col) of A1:B2 or A1, or None if malformed."""
    parts = ref.split(":")
    if len(parts) > 2:
        return None
    cells = [parse_cell(p) for p in parts]
    if any(c is None for c in cells):
        return None
    (r1, c1), (r2, c2) = cells[0], cells[-1]  # type: ignore[misc]
    if r1 > r2 or c1 > c2:
        return None
    return r1, c1, r2, c2


def inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return (
        outer[0] <= inner[0] <= inner[2] <= outer[2]
        and outer[1] <= inner[1] <= inner[3] <= outer[3]
    )


def split_sheet_ref(text: str) -> tuple[str, str] | None:
    """'Sheet name'!$A$1:$B$2 or Sheet!A1 -> (sheet name, range)."""
    match = re.match(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$", text.strip())
    if not match:
        return None
    name = match.group(1).replace("''", "'") if match.group(1) else match.group(2)
    return name, match.group(3)


@dataclass
class Sheet:
    name: str
    part: str
    used: tuple[int, int, int, int] | None = None
    autofilter: str | None = None
    cells: dict[tuple[int, int], etree._Element] = field(default_factory=dict)


def fmt(area: tuple[int, int, int, int]) -> str:
    def letters(n: int) -> str:
        out = ""
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(65 + rem) + out
        return out

    return f"{letters(area[1])}{area[0]}:{letters(area[3])}{area[2]}"
