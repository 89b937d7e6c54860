"""A printed document as plain data: a heading block, parties, a table and closing notes.

The painter in `ui/printing` lays out any Document on A4 or Letter; the builders next to this
module only decide what the document says, so they are tested without Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from invdesk.domain.catalog import WarehouseView
from invdesk.domain.company import CompanyView
from invdesk.reports.labels.symbols import MAX_CODE128


class Align(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"


@dataclass(frozen=True)
class DocColumn:
    """A table column. Most columns are as wide as their widest cell (a SKU, a serial number
    must never be cut); `wrap` columns (a product name) share what is left by `weight` and wrap
    their text. A `tick` column holds an empty box on every line for a picker's mark."""

    header: str
    weight: float = 1.0
    align: Align = Align.LEFT
    tick: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class DocRow:
    """One table line; `group_start` draws a rule above it (a new bin on a pick list); a
    `total` line is printed bold under the others."""

    cells: tuple[str, ...]
    group_start: bool = False
    total: bool = False


@dataclass(frozen=True)
class Party:
    """A name with its address, under a heading ("From", "To"); `address` is lines of text."""

    heading: str
    name: str
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    kind: str
    """What it is, as printed big at the top: "Pick list", "Packing slip", "Transfer note"."""
    number: str
    """The order, transfer or batch it is about, printed next to the kind."""
    barcode: str | None
    """A Code 128 of the number for a scanner at the packing bench; None when it cannot be."""
    issuer: Party | None
    fields: tuple[tuple[str, str], ...]
    parties: tuple[Party, ...]
    columns: tuple[DocColumn, ...]
    rows: tuple[DocRow, ...]
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    generated_at: datetime | None = None
    generated_by: str = ""

    @property
    def title(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def lines(self) -> int:
        """Table lines, not counting a totals line."""
        return sum(1 for row in self.rows if not row.total)

    def column_texts(self, header: str) -> list[str]:
        """The cells of one column, by its header (for tests and plain-text output)."""
        index = [c.header for c in self.columns].index(header)
        return [row.cells[index] for row in self.rows]


def code128(value: str) -> str | None:
    """`value` if a Code 128 can carry it on a page (plain ASCII, not too long), else None."""
    ok = value.isascii() and value.isprintable() and 0 < len(value) <= MAX_CODE128
    return value if ok else None


def address_lines(address: str | None) -> tuple[str, ...]:
    """A stored address (lines or commas) as printed lines."""
    if not address:
        return ()
    parts = address.splitlines() if "\n" in address else address.split(",")
    return tuple(p.strip() for p in parts if p.strip())


LOT_HEADER = "Lot / expiry"


def lot_and_expiry(lot: str | None, expiry: date | None) -> str:
    """A lot with its expiry date under it (one column: a serial number is long enough)."""
    if lot is None:
        return ""
    return lot if expiry is None else f"{lot}\n{day(expiry)}"


def day(value: date | datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def count(value: int) -> str:
    return f"{value:,}"


def issuer_of(company: CompanyView, site: WarehouseView) -> Party:
    """Who a document is from: the company's details once an admin has set them, else the
    warehouse's own name and address."""
    if not company.name:
        return Party("", site.name, address_lines(site.address))
    reach = " · ".join(x for x in (company.phone, company.email) if x)
    extra = (*([reach] if reach else []), *([f"Tax id {company.tax_id}"] if company.tax_id else []))
    return Party("", company.name, (*address_lines(company.address), *extra))
