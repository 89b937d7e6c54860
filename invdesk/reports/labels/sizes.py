"""Label stock: single labels on a roll (one label a page) and sheets of labels (A4, Letter),
with the start position that lets a half-used sheet go through the printer again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from invdesk.domain.errors import ValidationError


@dataclass(frozen=True)
class LabelStock:
    """A kind of label stock; every length in millimetres. A roll is a sheet of one label."""

    key: str
    title: str
    label_width: float
    label_height: float
    page_width: float
    page_height: float
    columns: int = 1
    rows: int = 1
    left: float = 0.0
    top: float = 0.0
    column_pitch: float = 0.0
    """From one label's left edge to the next one's (label width plus the gap)."""
    row_pitch: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def roll(self) -> bool:
        return self.per_page == 1

    def cell(self, position: int) -> tuple[float, float]:
        """The top-left corner (mm from the page's) of label `position`, from 0, row by row."""
        row, column = divmod(position, self.columns)
        return (
            self.left + column * (self.column_pitch or self.label_width),
            self.top + row * (self.row_pitch or self.label_height),
        )


def _roll(key: str, title: str, width: float, height: float) -> LabelStock:
    return LabelStock(key, title, width, height, width, height)


STOCKS: dict[str, LabelStock] = {
    s.key: s
    for s in (
        _roll("62x29", "62 x 29 mm (Brother DK-11209)", 62, 29),
        _roll("57x32", "57 x 32 mm", 57, 32),
        _roll("102x51", "102 x 51 mm (4 x 2 in, Zebra)", 102, 51),
        # Avery L7159 / J8159: 24 labels of 63.5 x 33.9 mm, no gap between rows.
        LabelStock(
            "a4-3x8", "A4 sheet, 3 x 8 (Avery L7159)", 63.5, 33.9, 210, 297,
            columns=3, rows=8, left=7.25, top=12.9, column_pitch=66.0, row_pitch=33.9,
        ),
        # Avery 5160: 30 labels of 2 5/8 x 1 in.
        LabelStock(
            "letter-3x10", "Letter sheet, 3 x 10 (Avery 5160)", 66.7, 25.4, 215.9, 279.4,
            columns=3, rows=10, left=4.8, top=12.7, column_pitch=69.85, row_pitch=25.4,
        ),
    )
}  # fmt: skip
DEFAULT_STOCK = "62x29"


def stock_named(key: str) -> LabelStock:
    """The stock called `key` (e.g. "62x29", "a4-3x8"); ValidationError names the known ones."""
    found = STOCKS.get(key.strip().lower())
    if found is None:
        raise ValidationError(
            f"There is no label size “{key}”. Sizes: {', '.join(STOCKS)}.", field="size"
        )
    return found


@dataclass(frozen=True)
class Placement:
    """Where one label goes: its page (from 0) and top-left corner on it (mm)."""

    page: int
    x: float
    y: float


def check_start(stock: LabelStock, start: int) -> None:
    """`start` is the first free label of the first sheet, from 1, counted row by row."""
    if not 1 <= start <= stock.per_page:
        raise ValidationError(
            f"The start position must be from 1 to {stock.per_page} on {stock.title} "
            f"(got {start}).",
            field="start",
        )


def page_count(stock: LabelStock, labels: int, start: int = 1) -> int:
    """Pages needed for `labels` labels printed from position `start` of the first sheet."""
    check_start(stock, start)
    used = start - 1 + labels
    return max(1, -(-used // stock.per_page))


def placements(stock: LabelStock, labels: int, start: int = 1) -> Iterator[Placement]:
    """The page and corner of each of `labels` labels, the first one at position `start`."""
    check_start(stock, start)
    for index in range(start - 1, start - 1 + labels):
        page, position = divmod(index, stock.per_page)
        x, y = stock.cell(position)
        yield Placement(page, x, y)
