"""Count sheets: their commands checked once, the ABC schedule, and what a counted line means.

A count sheet books differences, never absolute numbers: each counted line remembers what the
system held when it was counted (`expected`) and the newest ledger row then (`position`); posting
books counted - expected, so whatever moved after the count (a sale) stays booked.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock_checks import warehouse_code
from invdesk.domain.tracking import location_code, lot_number
from invdesk.domain.validation import clean_text, parse_count

DEFAULT_LOCATION = "-"
"""What a clerk types (or a script passes) for the warehouse's default location."""
CODE_MAX = 200  # a GS1 element string is longer than any SKU or barcode
SCOPE_MAX = 500
ISSUE_WINDOW_DAYS = 365
"""ABC classes are made from the value of the issues of the last year."""
ABC_SHARES = (Decimal("0.80"), Decimal("0.95"))
"""A: the products making the top 80 % of that value; B: the next 15 %; C: the rest."""
ABC_DAYS = {"A": 30, "B": 91, "C": 365}
"""How often each class is counted: monthly, quarterly, yearly."""


class CountStatus(enum.StrEnum):
    OPEN = "open"
    POSTED = "posted"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OpenCount:
    """What to count in a warehouse: everything, a zone (a location and the ones inside it),
    some locations and/or products (both: those products in those locations), or the products
    the ABC schedule says are due."""

    warehouse: str
    zone: str | None = None
    locations: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    abc: bool = False


@dataclass(frozen=True)
class CheckedOpen:
    warehouse: str
    zone: str | None
    locations: tuple[str | None, ...]
    """Location codes; None is the default location."""
    products: tuple[str, ...]
    abc: bool

    def scope(self) -> str:
        """The sheet's scope as people read it in lists."""
        parts = []
        if self.zone:
            parts.append(f"zone {self.zone}")
        if self.locations:
            shown = ", ".join(code or "default" for code in self.locations)
            parts.append(f"locations {shown}")
        if self.products:
            parts.append(f"products {', '.join(self.products)}")
        if self.abc:
            parts.append("ABC items due")
        text = "; ".join(parts) or "whole warehouse"
        return text if len(text) <= SCOPE_MAX else text[: SCOPE_MAX - 1] + "…"


def check_open(cmd: OpenCount) -> CheckedOpen:
    locations = tuple(where(code) for code in cmd.locations)
    products = []
    for code in cmd.products:
        text = clean_text(code, label="SKU or barcode", field="product", max_len=CODE_MAX)
        assert text is not None
        products.append(text)
    zone = location_code(cmd.zone, field="zone")
    return CheckedOpen(warehouse_code(cmd.warehouse), zone, locations, tuple(products), cmd.abc)


def where(code: object) -> str | None:
    """A location as typed: None for the default location (`-` or nothing)."""
    if code is None or str(code).strip() in ("", DEFAULT_LOCATION):
        return None
    return location_code(code)


def sheet_number(value: object) -> int:
    try:
        number = int(str(value).strip().removeprefix("#"))
    except ValueError:
        number = 0
    if number <= 0:
        raise ValidationError(f"A count sheet is a number, not {value!r}.", field="sheet")
    return number


@dataclass(frozen=True)
class RecordCount:
    """A clerk's count of one item at one location. `add`: a scan of one more (the quantity
    adds to what is counted so far); otherwise the quantity replaces it."""

    sheet: object
    location: str | None
    code: str
    qty: object
    lot: str | None = None
    add: bool = False


@dataclass(frozen=True)
class CheckedRecord:
    sheet: int
    location: str | None
    code: str
    qty: int
    lot: str | None
    add: bool


def check_record(cmd: RecordCount) -> CheckedRecord:
    code = clean_text(cmd.code, label="SKU or barcode", field="product", max_len=CODE_MAX)
    assert code is not None
    return CheckedRecord(
        sheet_number(cmd.sheet),
        where(cmd.location),
        code,
        parse_count(cmd.qty),
        lot_number(cmd.lot),
        cmd.add,
    )


@dataclass(frozen=True)
class PostCount:
    """Post a sheet. `uncounted_zero`: lines nobody counted are booked as found empty; otherwise
    they change nothing. The request id makes a retried post book once (by default the sheet's
    own, so a retry without one is safe too)."""

    sheet: object
    request_id: str | None = None
    uncounted_zero: bool = False


def abc_classes(values: Mapping[int, Decimal]) -> dict[int, str]:
    """Each product's class from the value of its issues: A while the products before it (by
    value, highest first) hold less than 80 % of the total, B below 95 %, C after (and for
    products that issued nothing)."""
    total = sum((v for v in values.values() if v > 0), Decimal(0))
    classes: dict[int, str] = {}
    before = Decimal(0)
    for product, value in sorted(values.items(), key=lambda item: (-item[1], item[0])):
        if value <= 0 or total == 0:
            classes[product] = "C"
            continue
        share = before / total
        classes[product] = "A" if share < ABC_SHARES[0] else "B" if share < ABC_SHARES[1] else "C"
        before += value
    return classes


def is_due(klass: str, last_counted: date | None, today: date) -> bool:
    """Whether a product of this class is due for a count (never counted: due)."""
    return last_counted is None or (today - last_counted).days >= ABC_DAYS[klass]


@dataclass(frozen=True)
class CountSheetView:
    id: int
    warehouse: str
    status: CountStatus
    scope: str
    opened_by: str
    opened_at: datetime
    posted_by: str | None
    posted_at: datetime | None
    lines: int
    counted: int


@dataclass(frozen=True)
class CountLineView:
    """A line as the variance report shows it. `moved_after`: the product moved in the ledger
    after this line was counted (posting keeps that movement); `recount`: it moved between the
    sheet's opening and the count, so the shelf may have been caught mid-change."""

    id: int
    sku: str
    product_name: str
    location: str | None
    lot: str | None
    expected: int | None
    counted: int | None
    counted_by: str | None
    counted_at: datetime | None
    avg_cost: Decimal
    moved_after: bool = False
    recount: bool = False
    posted_delta: int | None = None
    on_hand: int | None = None
    """The quant's on hand now (what "uncounted = zero" would write off)."""

    @property
    def variance(self) -> int | None:
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected

    @property
    def value(self) -> Decimal | None:
        variance = self.variance
        return None if variance is None else variance * self.avg_cost


@dataclass(frozen=True)
class VarianceReport:
    sheet: CountSheetView
    counted: tuple[CountLineView, ...]
    uncounted: tuple[CountLineView, ...]

    @property
    def units(self) -> int:
        return sum(line.variance or 0 for line in self.counted)

    @property
    def value(self) -> Decimal:
        return sum((line.value or Decimal(0) for line in self.counted), Decimal(0))


@dataclass(frozen=True)
class PostedCount:
    sheet: int
    request_id: str
    movements: int
    units: int
    replayed: bool = False
