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

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from tests.xlsx_check.refs import (
    BAD_SHEET_CHARS,
    BUILTIN_NUMFMT_MAX,
    CELL_TEXT_MAX,
    CONTENT_TYPES,
    DEFINED_NAME,
    NS,
    R_ID,
    SHEET_NAME_MAX,
    Sheet,
    inside,
    parse_cell,
    parse_range,
    split_sheet_ref,
)
from tests.xlsx_check.sheets import SheetChecks


class Checker(SheetChecks):
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


def problems(path: str | Path) -> list[str]:
    """Everything in the file that Excel would refuse or repair; empty when it is sound."""
    checker = Checker(Path(path))
    try:
        return checker.run()
    finally:
        checker.zip.close()
