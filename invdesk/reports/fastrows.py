"""Streaming data rows straight to the worksheet XML, for openpyxl write-only sheets.

openpyxl turns every value into a Cell (type checks, style lookup, an exception per pre-built
cell) before lxml writes it; at a million rows that bookkeeping costs more than the XML. Here a
row becomes one lxml <row> element with the column's style id fixed in advance, written through
the sheet's own incremental writer, so the file is the one openpyxl would write.

The public write-only API (WriteOnlyCell) is the slow path measured above, so this replaces two
private hooks of the write-only sheet instead: openpyxl is capped to the 3.1 series in
pyproject.toml, and tests/unit/test_excel_writer.py checks that what is written here reads back
as openpyxl's own cells would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lxml.etree import Element, SubElement
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class RowStreamer:
    """Installed on a write-only sheet between `start()` and `stop()`: `ws.append(values)` then
    writes plain values with per-column styles. Text that a spreadsheet would run as a formula is
    written as text with the quote-prefix style."""

    def __init__(
        self,
        ws: Any,
        style_ids: Sequence[int],
        quoted_ids: Sequence[int],
        prefixes: tuple[str, ...],
    ) -> None:
        self.ws = ws
        self.letters = [get_column_letter(i) for i in range(1, len(style_ids) + 1)]
        self.styles = [str(s) for s in style_ids]
        self.quoted = [str(s) for s in quoted_ids]
        self.prefixes = prefixes
        self.epoch = ws.parent.epoch

    def start(self) -> None:
        # Instance attributes shadow the methods openpyxl's row generator calls for each row.
        self.ws._values_to_row = _passthrough
        self.ws._writer.write_row = self.write_row

    def stop(self) -> None:
        del self.ws._values_to_row
        del self.ws._writer.write_row

    def write_row(self, xf: Any, values: Sequence[Any], row_idx: int) -> None:
        r = str(row_idx)
        row = Element("row", r=r)
        for letter, style, quoted, value in zip(
            self.letters, self.styles, self.quoted, values, strict=True
        ):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                s = quoted if value.startswith(self.prefixes) else style
                c = SubElement(row, "c", r=letter + r, s=s, t="inlineStr")
                t = SubElement(SubElement(c, "is"), "t")
                if value[0].isspace() or value[-1].isspace():
                    t.set(_SPACE, "preserve")
                t.text = value
                continue
            if kind is bool:
                c = SubElement(row, "c", r=letter + r, s=style, t="b")
                SubElement(c, "v").text = "1" if value else "0"
                continue
            if kind is int or kind is float:
                text = repr(value)
            elif kind is Decimal:
                text = repr(float(value))
            elif isinstance(value, datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(UTC).replace(tzinfo=None)
                text = repr(to_excel(value, self.epoch))
            elif isinstance(value, date):
                text = repr(to_excel(value, self.epoch))
            else:
                value = str(getattr(value, "value", value))
                c = SubElement(row, "c", r=letter + r, s=style, t="inlineStr")
                SubElement(SubElement(c, "is"), "t").text = value
                continue
            c = SubElement(row, "c", r=letter + r, s=style)
            SubElement(c, "v").text = text
        xf.write(row)


def _passthrough(values: Any, _row_idx: int) -> Any:
    return values
