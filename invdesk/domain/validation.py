"""Input rules shared by every front end: quantities, money and text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from invdesk.domain.errors import ValidationError

# One line of one operation. Larger figures are typing mistakes (a barcode scanned into the
# quantity field), and keep every counter product far from 64-bit overflow.
MAX_QTY = 1_000_000
# Stock counter ceiling for one product in one warehouse; checked when stock is added.
MAX_ON_HAND = 1_000_000_000
MONEY_PLACES = 4
MAX_MONEY = Decimal("1000000")
_MONEY_STEP = Decimal(1).scaleb(-MONEY_PLACES)


def _whole_number(value: object, label: str, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{label} must be a whole number.", field=field)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise ValidationError(f"{label} must be a whole number, not {value}.", field=field)
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise ValidationError(
                f"{label} must be a whole number, not “{shown}”.", field=field
            ) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(f"{label} must be a whole number, not {text}.", field=field)
        return int(number)
    raise ValidationError(f"{label} must be a whole number.", field=field)


def parse_whole_number(
    value: object, *, label: str, field: str, minimum: int = 1, maximum: int | None = None
) -> int:
    """A whole number within [minimum, maximum], for counts that are not stock quantities
    (seconds, record numbers): parse_quantity's MAX_QTY would be the wrong bound for them."""
    number = _whole_number(value, label, field)
    if number < minimum:
        raise ValidationError(
            f"{label} must be at least {minimum:,} (got {number:,}).", field=field
        )
    if maximum is not None and number > maximum:
        raise ValidationError(f"{label} {number:,} is too large: at most {maximum:,}.", field=field)
    return number


def parse_quantity(value: object, *, label: str = "Quantity", field: str = "qty") -> int:
    """A positive whole number of units, at most MAX_QTY."""
    qty = _whole_number(value, label, field)
    if qty <= 0:
        raise ValidationError(f"{label} must be at least 1 (got {qty}).", field=field)
    if qty > MAX_QTY:
        raise ValidationError(f"{label} {qty:,} is too large: at most {MAX_QTY:,}.", field=field)
    return qty


def parse_count(value: object, *, label: str = "Counted quantity", field: str = "counted") -> int:
    """A stock count: zero or more whole units, at most MAX_ON_HAND."""
    qty = _whole_number(value, label, field)
    if qty < 0:
        raise ValidationError(f"{label} cannot be negative (got {qty}).", field=field)
    if qty > MAX_ON_HAND:
        raise ValidationError(f"{label} {qty:,} is too large.", field=field)
    return qty


def parse_money(value: object, *, label: str = "Amount", field: str = "amount") -> Decimal:
    """A non-negative amount with at most four decimal places; never a float."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(f"{label} must be an amount such as 12.50.", field=field)
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(
            f"{label} must be an amount such as 12.50, not “{value}”.", field=field
        ) from None
    if not amount.is_finite():
        raise ValidationError(f"{label} must be an amount such as 12.50.", field=field)
    if amount < 0:
        raise ValidationError(f"{label} cannot be negative.", field=field)
    if amount > MAX_MONEY:
        raise ValidationError(f"{label} is too large: at most {MAX_MONEY:,}.", field=field)
    if amount != amount.quantize(_MONEY_STEP):
        raise ValidationError(f"{label} has more than {MONEY_PLACES} decimal places.", field=field)
    return amount.quantize(_MONEY_STEP)


# C0 controls, DEL and the C1 controls (U+0080-U+009F, e.g. CSI U+009B, a terminal escape).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def clean_text(
    value: object, *, label: str, field: str, max_len: int, required: bool = True
) -> str | None:
    """Trimmed text within max_len; None for an empty optional value."""
    if value is None:
        text = ""
    elif type(value) is str:
        text = value.strip()
    else:
        text = str(value).strip()
    if not text:
        if required:
            raise ValidationError(f"{label} cannot be empty.", field=field)
        return None
    if len(text) > max_len:
        raise ValidationError(
            f"{label} is too long: {len(text)} characters, at most {max_len}.", field=field
        )
    # Printable ASCII (a typed SKU or code) has no control character: no need for the search.
    if not (text.isascii() and text.isprintable()) and _CONTROL.search(text):
        raise ValidationError(f"{label} contains control characters.", field=field)
    return text


def clean_description(value: object, *, max_len: int) -> str | None:
    """A product's description: several lines allowed (tabs too), other control characters not;
    None for an empty one. Line ends are stored as "\\n" whichever system typed them."""
    text = "\n".join(line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n"))
    text = text.replace("\r", "\n").strip()
    if not text:
        return None
    if len(text) > max_len:
        raise ValidationError(
            f"Description is too long: {len(text):,} characters, at most {max_len:,}.",
            field="description",
        )
    if _CONTROL.search(text.replace("\n", " ").replace("\t", " ")):
        raise ValidationError("Description contains control characters.", field="description")
    return text


def required_text(value: object, *, label: str, field: str, max_len: int) -> str:
    text = clean_text(value, label=label, field=field, max_len=max_len)
    assert text is not None
    return text


def to_minor(amount: Decimal) -> int:
    """Money as an exact integer of 1/10,000 units, the form the database stores."""
    return int(amount.scaleb(MONEY_PLACES))


def from_minor(minor: int) -> Decimal:
    return Decimal(minor).scaleb(-MONEY_PLACES)


def parse_since(value: str, *, field: str = "since") -> datetime:
    """A date (local midnight) or an ISO date-time, as an aware UTC datetime."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"“{text}” is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM.", field=field
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # a date typed by a person means their local time
    return parsed.astimezone(UTC)


def parse_until(value: str, *, field: str = "until") -> datetime:
    """The exclusive end of a period given as its last day, included (the GUI's "until" too):
    a date means up to the end of that day (local time); a date-time is the end itself."""
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return parse_since(text, field=field)
    next_day = datetime.combine(day + timedelta(days=1), time())
    return next_day.astimezone().astimezone(UTC)  # local midnight, whatever DST did that day
