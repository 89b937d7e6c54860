"""Checks of one worksheet: rows and cells, ranges, cell values and formulas."""

from __future__ import annotations

import math
import re

from lxml import etree

from tests.xlsx_check.refs import (
    CELL_TEXT_MAX,
    FORMULA_PREFIXES,
    FUNCTIONS,
    MAX_COL,
    NS,
    Sheet,
    fmt,
    inside,
    parse_cell,
    parse_range,
)


class SheetChecks:
    """Mixed into the Checker: `fail` and `part` come from it."""

    def fail(self, text: str) -> None:
        raise NotImplementedError

    def part(self, name: str) -> etree._Element | None:
        raise NotImplementedError

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
