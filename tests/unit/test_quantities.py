"""Quantities and stock counts as a clerk types them: whole units only, within sane bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.validation import (
    MAX_ON_HAND,
    MAX_QTY,
    parse_count,
    parse_quantity,
    parse_whole_number,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (1, 1),
        ("7", 7),
        ("  7 ", 7),
        ("3.0", 3),
        (3.0, 3),
        (Decimal("12"), 12),
        (MAX_QTY, MAX_QTY),
        (str(MAX_QTY), MAX_QTY),
    ],
)
def test_quantity_accepts_whole_numbers_in_any_spelling(typed, expected):
    qty = parse_quantity(typed)

    assert qty == expected
    assert type(qty) is int


@pytest.mark.parametrize(
    "typed",
    [
        0,
        "0",
        -1,
        "-1",
        1.5,
        "1.5",
        "2.50",
        Decimal("2.5"),
        "abc",
        "",
        "   ",
        None,
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        "nan",
        "Infinity",
        10**12,
        str(10**12),
        MAX_QTY + 1,
        [3],
    ],
)
def test_quantity_refuses_anything_but_a_positive_whole_number_within_bounds(typed):
    with pytest.raises(ValidationError) as caught:
        parse_quantity(typed)

    assert caught.value.field == "qty"
    assert caught.value.exit_code == 2


def test_quantity_message_quotes_what_was_typed():
    with pytest.raises(ValidationError, match="whole number, not “abc”"):
        parse_quantity("abc")


def test_quantity_message_says_zero_is_too_small():
    with pytest.raises(ValidationError, match=r"at least 1 \(got 0\)"):
        parse_quantity("0")


def test_quantity_message_names_the_limit_for_an_absurd_figure():
    with pytest.raises(ValidationError, match="too large: at most 1,000,000"):
        parse_quantity(10**12)


def test_quantity_message_uses_the_callers_label_and_field():
    with pytest.raises(ValidationError, match=r"^Time to live must be at least 1") as caught:
        parse_quantity("0", label="Time to live", field="ttl")

    assert caught.value.field == "ttl"


def test_quantity_message_shortens_a_long_pasted_text():
    with pytest.raises(ValidationError) as caught:
        parse_quantity("x" * 500)

    assert len(caught.value.message) < 100


@pytest.mark.parametrize(("typed", "expected"), [(0, 0), ("0", 0), (" 12 ", 12), ("5.0", 5)])
def test_count_allows_zero_and_whole_numbers(typed, expected):
    assert parse_count(typed) == expected


def test_count_allows_the_on_hand_ceiling_but_not_more():
    assert parse_count(MAX_ON_HAND) == MAX_ON_HAND
    with pytest.raises(ValidationError, match="too large"):
        parse_count(MAX_ON_HAND + 1)


@pytest.mark.parametrize("typed", [-1, "-1", "1.5", "abc", "", None, True, float("nan")])
def test_count_refuses_negative_fractional_and_non_numbers(typed):
    with pytest.raises(ValidationError) as caught:
        parse_count(typed)

    assert caught.value.field == "counted"


def test_count_message_says_a_negative_count_is_impossible():
    with pytest.raises(ValidationError, match=r"cannot be negative \(got -3\)"):
        parse_count("-3")


def test_a_whole_number_that_is_not_a_quantity_may_exceed_max_qty():
    """Seconds and record numbers: MAX_QTY bounds stock quantities only."""
    assert parse_whole_number("7776000", label="TTL", field="ttl") == 7_776_000
    assert parse_whole_number(10**12, label="Number", field="n", maximum=2**63 - 1) == 10**12


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", r"^TTL must be at least 1 \(got 0\)\.$"),
        ("-5", r"^TTL must be at least 1 \(got -5\)\.$"),
        ("11", r"^TTL 11 is too large: at most 10\.$"),
        ("2.5", r"^TTL must be a whole number, not 2\.5\.$"),
        ("soon", r"^TTL must be a whole number, not “soon”\.$"),
    ],
)
def test_a_whole_number_outside_its_bounds_is_refused_naming_them(typed, message):
    with pytest.raises(ValidationError, match=message) as caught:
        parse_whole_number(typed, label="TTL", field="ttl", maximum=10)

    assert caught.value.field == "ttl"
