"""The pure rules of count sheets: ABC classes by value, when a class is due, what a line means."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from invdesk.domain.counts import (
    CountLineView,
    OpenCount,
    RecordCount,
    abc_classes,
    check_open,
    check_record,
    is_due,
)
from invdesk.domain.errors import ValidationError


def test_a_is_the_top_80_percent_of_issue_value_b_the_next_15_c_the_rest():
    values = {1: Decimal(500), 2: Decimal(250), 3: Decimal(100), 4: Decimal(60), 5: Decimal(90)}
    # Sorted: 1 (500, 0 % before), 2 (250, 50 %), 3 (100, 75 %), 5 (90, 85 %), 4 (60, 94 %).
    assert abc_classes(values) == {1: "A", 2: "A", 3: "A", 5: "B", 4: "B"}
    assert abc_classes({1: Decimal(95), 2: Decimal(4), 3: Decimal(1)}) == {1: "A", 2: "C", 3: "C"}


def test_products_that_issued_nothing_are_c():
    assert abc_classes({1: Decimal(10), 2: Decimal(0)}) == {1: "A", 2: "C"}
    assert abc_classes({7: Decimal(0)}) == {7: "C"}


@pytest.mark.parametrize(
    ("klass", "days", "due"),
    [("A", 29, False), ("A", 30, True), ("B", 90, False), ("B", 91, True), ("C", 364, False),
     ("C", 365, True)],
)  # fmt: skip
def test_a_class_is_due_after_its_interval(klass, days, due):
    today = date(2026, 12, 7)
    assert is_due(klass, date.fromordinal(today.toordinal() - days), today) is due
    assert is_due(klass, None, today)


def test_a_dash_is_the_default_location_and_codes_are_upper_case():
    checked = check_open(OpenCount("main", zone="a", locations=("-", "b-1")))
    assert (checked.warehouse, checked.zone, checked.locations) == ("MAIN", "A", (None, "B-1"))
    assert checked.scope() == "zone A; locations default, B-1"
    assert check_record(RecordCount("#7", "-", "SKU", "3")).location is None


def test_a_count_is_a_whole_number_of_zero_or_more_on_a_numbered_sheet():
    with pytest.raises(ValidationError, match="negative"):
        check_record(RecordCount(1, "-", "SKU", -1))
    with pytest.raises(ValidationError, match="count sheet is a number"):
        check_record(RecordCount("x", "-", "SKU", 1))


def test_a_line_not_yet_counted_has_no_variance():
    line = CountLineView(1, "S", "n", None, None, None, None, None, None, Decimal("2.5"))
    assert (line.variance, line.value) == (None, None)
    counted = line.__class__(**{**line.__dict__, "expected": 4, "counted": 1})
    assert (counted.variance, counted.value) == (-3, Decimal("-7.5"))
