"""Structural checks of an .xlsx file: what Excel refuses (or "repairs" with a prompt) and
LibreOffice and openpyxl forgive. We cannot run Excel in CI, so the parts are read as XML.

`problems(path)` returns a list of sentences, empty when the file passes. What it checks:
the package (content types name every part, relationships point at parts that exist, every part
is well-formed XML), the workbook (sheet names: at most 31 characters, none of []:*?/\\, not
quoted, unique ignoring case; defined names: valid names over existing sheets and valid ranges),
every sheet (rows and cells in order without repeats, the dimension equal to the used range, the
autofilter and merged cells inside it, columns in order, frozen panes valid, numbers finite,
text within Excel's limits, formulas only in the totals row, only known functions, over cells
of the sheet and never their own cell (a circular reference warning), text that looks like a
formula stored as text), styles (every index in range,
number formats built in or registered, counts agreeing), shared strings (counts agreeing, every
index in range) and charts (every series and category range on an existing sheet, inside its
used range).
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

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


class Checker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        self.errors: list[str] = []
        self.xml: dict[str, etree._Element] = {}
        self.types: dict[str, str | None] = {}

    def fail(self, text: str) -> None:
        self.errors.append(text)

    def part(self, name: str) -> etree._Element | None:
        return self.xml.get(name)

    # --- package -------------------------------------------------------------------------------

    def parse_all(self) -> None:
        for name in sorted(self.names):
            if name.endswith("/"):
                continue
            if name.endswith((".xml", ".rels", ".vml")):
                try:
                    self.xml[name] = etree.fromstring(self.zip.read(name))
                except etree.XMLSyntaxError as error:
                    self.fail(f"{name} is not well-formed XML: {error}")

    def content_types(self) -> None:
        root = self.part("[Content_Types].xml")
        if root is None:
            self.fail("[Content_Types].xml is missing")
            return
        defaults = {
            d.get("Extension").lower(): d.get("ContentType") for d in root.findall("ct:Default", NS)
        }
        overrides = {
            o.get("PartName").lstrip("/"): o.get("ContentType")
            for o in root.findall("ct:Override", NS)
        }
        self.types = {
            name: overrides.get(name, defaults.get(name.rsplit(".", 1)[-1].lower()))
            for name in self.names
        }
        for name in overrides.keys() - self.names:
            self.fail(f"content types name /{name}, which the package lacks")
        for name in self.names - {"[Content_Types].xml"}:
            if name.endswith("/"):
                continue
            ext = name.rsplit(".", 1)[-1].lower()
            if name not in overrides and ext not in defaults:
                self.fail(f"{name} has no content type")

    def relationships(self) -> None:
        for rels_name, root in self.xml.items():
            if not rels_name.endswith(".rels"):
                continue
            folder = posixpath.dirname(posixpath.dirname(rels_name))
            ids = set()
            for rel in root.findall("rel:Relationship", NS):
                rid = rel.get("Id")
                if rid in ids:
                    self.fail(f"{rels_name}: relationship id {rid} twice")
                ids.add(rid)
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                full = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                if full not in self.names:
                    self.fail(f"{rels_name}: {rid} points at {full}, which does not exist")
                    continue
                kind = (rel.get("Type") or "").split("/relationships/")[-1]
                expected = CONTENT_TYPES.get(kind)
                if expected is not None and self.types.get(full) != expected:
                    self.fail(f"{full} is a {kind} with content type {self.types.get(full)}")

    def rels_of(self, part: str) -> dict[str, str]:
        folder, base = posixpath.split(part)
        root = self.part(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, str] = {}
        if root is None:
            return out
        for rel in root.findall("rel:Relationship", NS):
            target = rel.get("Target")
            out[rel.get("Id")] = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
        return out

    # --- workbook ------------------------------------------------------------------------------

    def sheets(self) -> list[Sheet]:
        root = self.part("xl/workbook.xml")
        if root is None:
            self.fail("xl/workbook.xml is missing")
            return []
        rels = self.rels_of("xl/workbook.xml")
        out, seen = [], set()
        for node in root.findall("m:sheets/m:sheet", NS):
            name = node.get("name")
            if not name or len(name) > SHEET_NAME_MAX:
                self.fail(f"sheet name {name!r} is empty or longer than {SHEET_NAME_MAX}")
            if BAD_SHEET_CHARS & set(name or ""):
                self.fail(f"sheet name {name!r} has one of []:*?/\\")
            if (name or "").startswith("'") or (name or "").endswith("'"):
                self.fail(f"sheet name {name!r} starts or ends with an apostrophe")
            if (name or "").lower() in seen:
                self.fail(f"sheet name {name!r} is used twice (Excel ignores case)")
            seen.add((name or "").lower())
            part = rels.get(node.get(R_ID) or "")
            if part is None:
                self.fail(f"sheet {name!r} has no part")
                continue
            out.append(Sheet(name or "", part))
        if not out:
            self.fail("the workbook has no sheet")
        return out

    def defined_names(self, sheets: dict[str, Sheet]) -> None:
        """Names valid; over existing sheets and well-formed ranges; a sheet's filter database
        the same range as its autofilter."""
        root = self.part("xl/workbook.xml")
        if root is None:
            return
        seen = set()
        for node in root.findall("m:definedNames/m:definedName", NS):
            name = node.get("name") or ""
            local = node.get("localSheetId")
            key = (name.lower(), local)
            if key in seen:
                self.fail(f"defined name {name} twice in one scope")
            seen.add(key)
            if not DEFINED_NAME.match(name) or parse_cell(name.upper()) is not None:
                self.fail(f"defined name {name!r} is not a valid name")
            if local is not None and not (0 <= int(local) < len(sheets)):
                self.fail(f"defined name {name} is local to sheet {local}, which does not exist")
            for ref in (node.text or "").split(","):
                parsed = split_sheet_ref(ref)
                if parsed is None:
                    self.fail(f"defined name {name} = {ref!r} is not a sheet range")
                    continue
                sheet, cells = parsed
                if sheet not in sheets:
                    self.fail(f"defined name {name} refers to missing sheet {sheet!r}")
                elif parse_range(cells) is None and not re.match(r"^\$\d+:\$\d+$", cells):
                    self.fail(f"defined name {name} has a malformed range {cells!r}")
                elif name == "_xlnm._FilterDatabase":
                    auto = sheets[sheet].autofilter
                    if auto is None or parse_range(cells) != parse_range(auto):
                        self.fail(f"{sheet!r}: filter database {cells} but autofilter {auto}")

    # --- styles and strings --------------------------------------------------------------------

    def styles(self) -> tuple[int, set[int]]:
        """Number of cell formats, and the ones that store text with a quote prefix."""
        root = self.part("xl/styles.xml")
        if root is None:
            self.fail("xl/styles.xml is missing")
            return 0, set()
        custom = {}
        for fmt in root.findall("m:numFmts/m:numFmt", NS):
            fid = int(fmt.get("numFmtId"))
            if fid in custom:
                self.fail(f"number format {fid} registered twice")
            if fid <= BUILTIN_NUMFMT_MAX:
                self.fail(f"number format {fid} is registered in the built-in range")
            custom[fid] = fmt.get("formatCode")
        counts = {}
        for group, child in (("fonts", "font"), ("fills", "fill"), ("borders", "border"),
                             ("cellStyleXfs", "xf"), ("cellXfs", "xf")):  # fmt: skip
            node = root.find(f"m:{group}", NS)
            if node is None:
                counts[group] = 0
                continue
            n = len(node.findall(f"m:{child}", NS))
            if node.get("count") is not None and int(node.get("count")) != n:
                self.fail(f"styles: {group} count {node.get('count')} but {n} entries")
            counts[group] = n
        quoted = set()
        for i, xf in enumerate(root.findall("m:cellXfs/m:xf", NS)):
            fid = int(xf.get("numFmtId", "0"))
            if fid > BUILTIN_NUMFMT_MAX and fid not in custom:
                self.fail(f"cell format {i} uses number format {fid}, which is not registered")
            for attr, group in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders"),
                                ("xfId", "cellStyleXfs")):  # fmt: skip
                value = xf.get(attr)
                if value is not None and not (0 <= int(value) < max(1, counts[group])):
                    self.fail(f"cell format {i}: {attr} {value} out of range")
            if xf.get("quotePrefix") in ("1", "true"):
                quoted.add(i)
        return counts["cellXfs"], quoted

    def shared_strings(self) -> list[str]:
        root = self.part("xl/sharedStrings.xml")
        if root is None:
            return []
        items = root.findall("m:si", NS)
        texts = ["".join(si.itertext()) for si in items]
        unique = root.get("uniqueCount")
        if unique is not None and int(unique) != len(items):
            self.fail(f"shared strings: uniqueCount {unique} but {len(items)} strings")
        count = root.get("count")
        if count is not None and int(count) < len(items):
            self.fail(f"shared strings: count {count} is below the {len(items)} strings")
        for text in texts:
            if len(text) > CELL_TEXT_MAX:
                self.fail(f"a shared string is longer than {CELL_TEXT_MAX} characters")
        return texts

    # --- sheets --------------------------------------------------------------------------------

    def sheet(self, sheet: Sheet, n_xfs: int, quoted: set[int], strings: list[str]) -> int:
        """Check one worksheet; returns how many shared-string references it has."""
        root = self.part(sheet.part)
        where = f"sheet {sheet.name!r}"
        if root is None:
            self.fail(f"{where}: part {sheet.part} missing")
            return 0
        last_row, refs = 0, 0
        rows = root.findall("m:sheetData/m:row", NS)
        for row in rows:
            r = int(row.get("r"))
            if r <= last_row:
                self.fail(f"{where}: row {r} out of order or repeated")
            last_row = r
            last_col = 0
            for c in row.findall("m:c", NS):
                pos = parse_cell(c.get("r") or "")
                if pos is None or pos[0] != r:
                    self.fail(f"{where}: cell {c.get('r')} is not in row {r}")
                    continue
                if pos[1] <= last_col:
                    self.fail(f"{where}: cell {c.get('r')} out of order or repeated")
                last_col = pos[1]
                sheet.cells[pos] = c
                style = int(c.get("s", "0"))
                if not 0 <= style < max(1, n_xfs):
                    self.fail(f"{where}: cell {c.get('r')} has style {style} of {n_xfs}")
                refs += self.cell(where, c, strings, style in quoted)
        if sheet.cells:
            rs = [p[0] for p in sheet.cells]
            cs = [p[1] for p in sheet.cells]
            sheet.used = (min(rs), min(cs), max(rs), max(cs))
        self.sheet_ranges(where, root, sheet)
        self.formulas(where, sheet)
        return refs

    def cell(self, where: str, c: etree._Element, strings: list[str], quoted: bool) -> int:
        kind = c.get("t", "n")
        value = c.find("m:v", NS)
        formula = c.find("m:f", NS)
        ref = c.get("r")
        if kind == "s":
            if value is None or not value.text or not value.text.isdigit():
                self.fail(f"{where}: {ref} is a shared string without an index")
                return 0
            index = int(value.text)
            if index >= len(strings):
                self.fail(f"{where}: {ref} refers to shared string {index} of {len(strings)}")
                return 1
            text = strings[index]
            if formula is None and text.startswith(FORMULA_PREFIXES) and not quoted:
                self.fail(f"{where}: {ref} text {text[:30]!r} would read as a formula on edit")
            return 1
        if kind == "inlineStr":
            text = "".join(c.find("m:is", NS).itertext()) if c.find("m:is", NS) is not None else ""
            if len(text) > CELL_TEXT_MAX:
                self.fail(f"{where}: {ref} holds more than {CELL_TEXT_MAX} characters")
            if text.startswith(FORMULA_PREFIXES) and not quoted:
                self.fail(f"{where}: {ref} text {text[:30]!r} would read as a formula on edit")
        elif kind == "n" and value is not None and value.text is not None:
            try:
                number = float(value.text)
            except ValueError:
                self.fail(f"{where}: {ref} number {value.text!r} is not a number")
            else:
                if not math.isfinite(number):
                    self.fail(f"{where}: {ref} holds {value.text}, which Excel cannot store")
        elif kind == "b" and value is not None and value.text not in ("0", "1"):
            self.fail(f"{where}: {ref} boolean {value.text!r}")
        elif kind == "str" and formula is None:
            self.fail(f"{where}: {ref} is a formula result without a formula")
        elif kind not in ("n", "b", "e", "str", "d"):
            self.fail(f"{where}: {ref} has unknown type {kind}")
        return 0

    def sheet_ranges(self, where: str, root: etree._Element, sheet: Sheet) -> None:
        dim = root.find("m:dimension", NS)
        used = sheet.used
        if dim is not None:
            ref = dim.get("ref") or ""
            parsed = parse_range(ref)
            if parsed is None:
                self.fail(f"{where}: dimension {ref!r} is malformed")
            elif used is not None and parsed != used:
                self.fail(f"{where}: dimension {ref} but the cells span {fmt(used)}")
        bounds = used or (1, 1, 1, 1)
        auto = root.find("m:autoFilter", NS)
        if auto is not None:
            sheet.autofilter = auto.get("ref")
            parsed = parse_range(auto.get("ref") or "")
            if parsed is None or not inside(parsed, bounds):
                self.fail(f"{where}: autofilter {auto.get('ref')} outside the cells {fmt(bounds)}")
        merged: list[tuple[int, int, int, int]] = []
        for node in root.findall("m:mergeCells/m:mergeCell", NS):
            parsed = parse_range(node.get("ref") or "")
            if parsed is None or not inside(parsed, bounds):
                self.fail(f"{where}: merged cells {node.get('ref')} outside the cells")
                continue
            for other in merged:
                if not (parsed[2] < other[0] or other[2] < parsed[0] or
                        parsed[3] < other[1] or other[3] < parsed[1]):  # fmt: skip
                    self.fail(f"{where}: merged cells {node.get('ref')} overlap others")
            merged.append(parsed)
        last = 0
        for col in root.findall("m:cols/m:col", NS):
            lo, hi = int(col.get("min")), int(col.get("max"))
            if not (1 <= lo <= hi <= MAX_COL) or lo <= last:
                self.fail(f"{where}: column range {lo}-{hi} invalid or overlapping")
            last = hi
            width = col.get("width")
            if width is not None and not (0 <= float(width) <= 255):
                self.fail(f"{where}: column width {width} outside 0-255")
        for pane in root.findall("m:sheetViews/m:sheetView/m:pane", NS):
            top_left = pane.get("topLeftCell")
            if top_left is not None and parse_cell(top_left) is None:
                self.fail(f"{where}: frozen pane at {top_left!r}")
            for axis in ("xSplit", "ySplit"):
                if pane.get(axis) is not None and float(pane.get(axis)) < 0:
                    self.fail(f"{where}: pane {axis} {pane.get(axis)}")

    def formulas(self, where: str, sheet: Sheet) -> None:
        if sheet.used is None:
            return
        for (row, _col), c in sheet.cells.items():
            formula = c.find("m:f", NS)
            if formula is None:
                continue
            text = formula.text or ""
            if row != sheet.used[2]:
                self.fail(f"{where}: formula in {c.get('r')} outside the totals row: {text!r}")
            names = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", text))
            if names - FUNCTIONS:
                self.fail(f"{where}: {c.get('r')} calls {sorted(names - FUNCTIONS)}: {text!r}")
            if text.startswith("="):
                self.fail(f"{where}: {c.get('r')} formula text starts with '=' (Excel repairs)")
            for ref in re.findall(r"\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?", text):
                parsed = parse_range(ref)
                if parsed is None or not inside(parsed, sheet.used):
                    self.fail(f"{where}: {c.get('r')} refers to {ref} outside the cells")
                elif inside((row, _col, row, _col), parsed):
                    # Excel opens with a circular reference warning.
                    self.fail(f"{where}: {c.get('r')} refers to itself (circular): {text!r}")

    # --- charts --------------------------------------------------------------------------------

    def charts(self, sheets: dict[str, Sheet]) -> None:
        for name, root in self.xml.items():
            if not re.match(r"xl/charts/chart\d+\.xml$", name):
                continue
            refs = root.findall(".//c:f", NS)
            if not root.findall(".//c:ser", NS):
                self.fail(f"{name}: a chart without series")
            for node in refs:
                parsed = split_sheet_ref(node.text or "")
                if parsed is None:
                    self.fail(f"{name}: reference {node.text!r} is not a sheet range")
                    continue
                sheet_name, cells = parsed
                sheet = sheets.get(sheet_name)
                area = parse_range(cells)
                if sheet is None:
                    self.fail(f"{name}: refers to missing sheet {sheet_name!r}")
                elif area is None:
                    self.fail(f"{name}: malformed range {cells!r}")
                elif sheet.used is None or not inside(area, sheet.used):
                    self.fail(f"{name}: {node.text} is outside the cells of {sheet_name!r}")

    def run(self) -> list[str]:
        self.parse_all()
        self.content_types()
        self.relationships()
        sheets = self.sheets()
        by_name = {s.name: s for s in sheets}
        n_xfs, quoted = self.styles()
        strings = self.shared_strings()
        refs = sum(self.sheet(s, n_xfs, quoted, strings) for s in sheets)
        self.defined_names(by_name)
        sst = self.part("xl/sharedStrings.xml")
        if sst is not None and sst.get("count") is not None and int(sst.get("count")) != refs:
            self.fail(f"shared strings: count {sst.get('count')} but {refs} cells use them")
        self.charts(by_name)
        return self.errors


def fmt(area: tuple[int, int, int, int]) -> str:
    def letters(n: int) -> str:
        out = ""
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(65 + rem) + out
        return out

    return f"{letters(area[1])}{area[0]}:{letters(area[3])}{area[2]}"


def problems(path: str | Path) -> list[str]:
    """Everything in the file that Excel would refuse or repair; empty when it is sound."""
    checker = Checker(Path(path))
    try:
        return checker.run()
    finally:
        checker.zip.close()
