"""Turning an import file's rows into field values: variant rows inherit their product's fields
(Shopify continuation rows carry only the Handle and the variant columns), names get the option
values ("Classic Tee - M / Red"), HTML descriptions become text, statuses become active or not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from invdesk.services.importing.fields import Matched
from invdesk.services.importing.files import Table

# A variant row may leave these empty: they come from the first row of its product group.
INHERITED = ("name", "category", "type", "description", "active", "unit")
OPTIONS = ("option1", "option2", "option3")
# Shopify's one variant of a product without options.
_NO_OPTION = "default title"
_ACTIVE = {"active", "published", "publish", "true", "yes", "y", "1", "enabled", "on"}
_INACTIVE = {
    "draft", "archived", "private", "pending", "false", "no", "n", "0", "-1", "disabled",
    "inactive", "off", "unpublished",
}  # fmt: skip
# Woo's parent rows: the variations beneath them are the products that hold stock.
PARENT_ROW_TYPES = {"variable", "grouped"}


@dataclass(frozen=True)
class FileRow:
    """A data row's spreadsheet number and its values by field key (inherited ones filled in)."""

    number: int
    values: dict[str, Any]
    group: str | None = None


def rows_of(table: Table, matched: Matched) -> Iterator[FileRow]:
    """Non-empty rows with each field's cell; rows of a product group inherit its first row's
    product fields where their own cells are empty."""
    first_of_group: dict[str, dict[str, Any]] = {}
    for i, cells in enumerate(table.rows):
        if not any(v not in (None, "") for v in cells):
            continue
        values = {
            key: (cells[index] if index < len(cells) else None)
            for key, index in matched.columns.items()
        }
        group = _text(values.get("variant_of")) or None
        if group is not None:
            first = first_of_group.setdefault(group, values)
            for key in INHERITED:
                if values.get(key) in (None, "") and key in first:
                    values[key] = first[key]
        yield FileRow(table.first_row_number + i, values, group)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def option_values(values: dict[str, Any]) -> list[str]:
    found = [_text(values.get(key)) for key in OPTIONS]
    return [v for v in found if v and v.casefold() != _NO_OPTION]


def variant_name(values: dict[str, Any]) -> Any:
    """The product's name followed by its option values: "Classic Tee - M / Red"."""
    name, options = values.get("name"), option_values(values)
    if not options or name in (None, ""):
        return name
    return f"{_text(name)} - {' / '.join(options)}"


def why_no_sku(row: FileRow) -> str:
    """Why a grouped row without a SKU is skipped, in the words of the file."""
    options = option_values(row.values)
    if options:
        return (
            f"Variant {' / '.join(options)} of {row.group} has no SKU; give it one in the "
            "shop to import it."
        )
    priced = any(row.values.get(k) not in (None, "") for k in ("price", "barcodes", "qty"))
    if priced:
        return f"{row.group} has no SKU; give it one in the shop to import it."
    return f"No SKU: an extra row of {row.group} (an image or a note), not a product."


def parse_active(value: Any) -> bool | None:
    """True/False from a status cell (active, draft, archived, TRUE, 1, -1...); None if unknown."""
    text = _text(value).casefold()
    if not text:
        return True
    if text in _ACTIVE:
        return True
    if text in _INACTIVE:
        return False
    return None


def category_text(values: dict[str, Any], preset: str | None) -> str:
    """The category cell (else the product type) as text; a WooCommerce cell lists several
    categories separated by commas, of which the first is the product's."""
    text = _text(values.get("category")) or _text(values.get("type"))
    if preset == "woocommerce" and "," in text:
        text = text.split(",", 1)[0].strip()
    return text


class _Text(HTMLParser):
    """Text of an HTML fragment, with a line break where a block or <br> ends."""

    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def plain_description(value: Any) -> str | None:
    """A description cell as text: Shopify's "Body (HTML)" loses its tags, keeps its lines."""
    text = _text(value)
    if "<" not in text or ">" not in text:
        return text or None
    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line) or None
