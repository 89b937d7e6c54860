"""Money (exact, four places), free text (trimmed, bounded, no control characters) and dates."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.validation import (
    MAX_MONEY,
    clean_text,
    from_minor,
    parse_money,
    parse_since,
    required_text,
    to_minor,
)

# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.50", Decimal("12.5")),
        (" 9.90 ", Decimal("9.9")),
        ("0", Decimal(0)),
        (7, Decimal(7)),
        ("1.2345", Decimal("1.2345")),
        (Decimal("3.10"), Decimal("3.1")),
        ("1000000", MAX_MONEY),
    ],
)
def test_money_accepts_amounts_with_up_to_four_places(typed, expected):
    amount = parse_money(typed)

    assert amount == expected
    assert amount.as_tuple().exponent == -4  # always four places, as stored


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(0.1, "0.1000"), (9.9, "9.9000"), (1.2345, "1.2345"), (3.05, "3.0500")],
)
def test_money_from_a_float_is_the_decimal_the_float_was_written_as(typed, expected):
    # Decimal(0.1) would be 0.1000000000000000055511151231257827...; the clerk typed 0.1.
    assert str(parse_money(typed)) == expected


def test_money_is_stored_as_exact_minor_units():
    amount = parse_money("9.9")

    assert to_minor(amount) == 99_000
    assert from_minor(to_minor(amount)) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.23456", "more than 4 decimal places"),
        (0.00001, "more than 4 decimal places"),
        ("-0.01", "cannot be negative"),
        (-5, "cannot be negative"),
        ("1000000.0001", "too large"),
        ("1e9", "too large"),
        ("abc", "amount such as 12.50"),
        ("", "amount such as 12.50"),
        ("1,50", "amount such as 12.50"),
        (None, "amount such as 12.50"),
        (True, "amount such as 12.50"),
        (float("nan"), "amount such as 12.50"),
        (float("inf"), "amount such as 12.50"),
        ("NaN", "amount such as 12.50"),
    ],
)
def test_money_refuses_bad_amounts_with_a_reason(typed, message):
    with pytest.raises(ValidationError, match=message) as caught:
        parse_money(typed, label="Price", field="price")

    assert caught.value.message.startswith("Price ")
    assert caught.value.field == "price"


# --- text ----------------------------------------------------------------------------------


def test_text_is_trimmed():
    assert clean_text("  cable  ", label="Name", field="name", max_len=10) == "cable"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_required_text_refuses_empty(typed):
    with pytest.raises(ValidationError, match=r"^Name cannot be empty") as caught:
        required_text(typed, label="Name", field="name", max_len=10)

    assert caught.value.field == "name"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_optional_text_turns_empty_into_none(typed):
    assert clean_text(typed, label="Ref", field="ref", max_len=10, required=False) is None


def test_text_at_the_limit_is_accepted_and_one_more_character_is_not():
    assert clean_text("x" * 10, label="Name", field="name", max_len=10) == "x" * 10
    with pytest.raises(ValidationError, match="too long: 11 characters, at most 10"):
        clean_text("x" * 11, label="Name", field="name", max_len=10)


def test_text_length_is_counted_after_trimming():
    assert clean_text("  " + "x" * 10 + "  ", label="Name", field="name", max_len=10) == "x" * 10


@pytest.mark.parametrize("typed", ["a\nb", "a\tb", "a\x00b", "a\x1b[31mb", "a\rb"])
def test_text_refuses_control_characters(typed):
    with pytest.raises(ValidationError, match="contains control characters"):
        clean_text(typed, label="Name", field="name", max_len=100)


@pytest.mark.parametrize("typed", ["a\x7fb", "a\x9b31mb", "a\x85b"])
def test_text_refuses_del_and_c1_control_characters(typed):
    with pytest.raises(ValidationError, match="contains control characters"):
        clean_text(typed, label="Name", field="name", max_len=100)


def test_text_keeps_accents_and_other_scripts():
    assert clean_text("Café Ünïcode 東京", label="Name", field="name", max_len=50) == (
        "Café Ünïcode 東京"
    )


# --- dates ---------------------------------------------------------------------------------


@pytest.fixture
def five_hours_behind_utc():
    """The local time zone is UTC-5 (a POSIX TZ string needs no tz database)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "XYZ+5"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_since_a_date_means_local_midnight_in_utc(five_hours_behind_utc):
    assert parse_since("2000-01-01") == datetime(2000, 1, 1, 5, 0, tzinfo=UTC)


def test_since_a_local_date_time_is_converted_to_utc(five_hours_behind_utc):
    assert parse_since("2026-03-04T10:30") == datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


def test_since_an_explicit_offset_is_respected():
    assert parse_since(" 2026-03-04T10:30+02:00 ") == datetime(2026, 3, 4, 8, 30, tzinfo=UTC)
    assert parse_since("2026-03-04T10:30Z") == datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


def test_since_is_always_timezone_aware_utc():
    parsed = parse_since("2026-03-04")

    assert parsed.tzinfo is not None
    assert parsed.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("typed", ["notadate", "", "2026-13-01", "01/02/2026", "yesterday"])
def test_since_refuses_what_is_not_a_date(typed):
    with pytest.raises(ValidationError, match="is not a date; use YYYY-MM-DD") as caught:
        parse_since(typed, field="until")

    assert caught.value.field == "until"
