"""A label job: which labels, how many of each, on what stock, from which start position.

Pure: the GUI, the CLI and ZPL output all ask a job for its pages and what goes where on each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from invdesk.domain.errors import ValidationError
from invdesk.reports.labels.designs import Element, Label, LabelOptions, layout
from invdesk.reports.labels.sizes import LabelStock, check_start, page_count, placements

MAX_COPIES = 10_000
MAX_LABELS = 100_000  # a job past this is a mistake (a quantity typed into the copies field)


@dataclass(frozen=True)
class LabelJob:
    """`labels` each printed `copies` times (in order: all copies of the first, then the next)."""

    labels: tuple[Label, ...]
    stock: LabelStock
    options: LabelOptions = field(default_factory=LabelOptions)
    copies: int = 1
    start: int = 1
    _layouts: dict[Label, list[Element]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        check_copies(self.copies)
        check_start(self.stock, self.start)
        if not self.labels:
            raise ValidationError("Nothing to print: choose at least one label.", field="labels")
        if self.count > MAX_LABELS:
            raise ValidationError(
                f"{self.count:,} labels is more than one job prints (at most {MAX_LABELS:,}).",
                field="copies",
            )

    @property
    def count(self) -> int:
        return len(self.labels) * self.copies

    @property
    def pages(self) -> int:
        return page_count(self.stock, self.count, self.start)

    def label_at(self, index: int) -> Label:
        return self.labels[index // self.copies]

    def elements(self, index: int) -> list[Element]:
        """The layout of label `index` (from 0); made once per distinct label (a receipt of 40
        units repeats one label 40 times)."""
        label = self.labels[index // self.copies]
        found = self._layouts.get(label)
        if found is None:
            stock = self.stock
            found = layout(label, stock.label_width, stock.label_height, self.options)
            self._layouts[label] = found
        return found

    def runs(self) -> list[tuple[int, int]]:
        """(first label index, how many) for each run of one label printed again and again."""
        out: list[tuple[int, int]] = []
        for which, label in enumerate(self.labels):
            if out and self.labels[which - 1] == label:
                first, count = out[-1]
                out[-1] = (first, count + self.copies)
            else:
                out.append((which * self.copies, self.copies))
        return out

    def check(self) -> None:
        """Lay out every distinct label once, so a label that cannot be printed (a lot name
        GS1 refuses) fails before the first page goes to a printer."""
        for first, _count in self.runs():
            self.elements(first)

    def page(self, number: int) -> Iterator[tuple[float, float, list[Element]]]:
        """The labels of page `number` (from 0): each one's corner (mm) and elements."""
        per_page = self.stock.per_page
        skip = self.start - 1 if number == 0 else 0
        first = max(0, number * per_page - (self.start - 1))
        last = min(self.count, (number + 1) * per_page - (self.start - 1))
        spots = placements(self.stock, last - first, 1 + skip)
        for index, spot in zip(range(first, last), spots, strict=True):
            yield spot.x, spot.y, self.elements(index)


def check_copies(copies: int) -> None:
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(
            f"Copies must be a whole number from 1 to {MAX_COPIES:,} (got {copies}).",
            field="copies",
        )


def job(
    labels: Sequence[Label],
    stock: LabelStock,
    *,
    options: LabelOptions | None = None,
    copies: int = 1,
    start: int = 1,
) -> LabelJob:
    return LabelJob(tuple(labels), stock, options or LabelOptions(), copies, start)
