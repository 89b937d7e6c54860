"""Where and which: product tracking, location types, lot numbers, serials and dates as typed.

A product is tracked by nothing (stock is a number per warehouse and location), by lot (each unit
belongs to a lot with an optional expiry) or by serial (each unit is its own serial number). The
checks here turn what a clerk typed or a scanner sent into checked values, or raise the
ValidationError a person should see.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from invdesk.domain.errors import ValidationError
from invdesk.domain.validation import clean_text

LOT_MAX = 40
SERIAL_MAX = 40
LOCATION_CODE_MAX = 32
LOCATION_NAME_MAX = 100
# A shelf life longer than this is a typing error (ten years of days).
SHELF_LIFE_MAX_DAYS = 3650
EXPIRY_WARNING_DEFAULT_DAYS = 30


class Tracking(enum.StrEnum):
    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class LocationType(enum.StrEnum):
    STORAGE = "storage"
    RECEIVING = "receiving"
    SHIPPING = "shipping"
    QUARANTINE = "quarantine"


def tracking(value: object) -> Tracking:
    text = str(value or "none").strip().lower()
    try:
        return Tracking(text)
    except ValueError:
        raise ValidationError(
            f"Tracking must be none, lot or serial, not {value!r}.", field="tracking"
        ) from None


def location_type(value: object) -> LocationType:
    text = str(value or "storage").strip().lower()
    try:
        return LocationType(text)
    except ValueError:
        kinds = ", ".join(k.value for k in LocationType)
        raise ValidationError(
            f"A location type is one of {kinds}, not {value!r}.", field="type"
        ) from None


def lot_number(value: object, *, field: str = "lot") -> str | None:
    """A lot number as stored (stripped; None when empty). Lots are case-sensitive, as printed."""
    return clean_text(value, label="Lot", field=field, max_len=LOT_MAX, required=False)


def serial_number(value: object, *, field: str = "serial") -> str:
    text = clean_text(value, label="Serial number", field=field, max_len=SERIAL_MAX, required=True)
    assert text is not None
    return text


def location_code(value: object, *, field: str = "location") -> str | None:
    """A location code as stored: stripped, upper case, None when empty."""
    text = clean_text(
        value, label="Location code", field=field, max_len=LOCATION_CODE_MAX, required=False
    )
    return None if text is None else text.upper()


def day(value: object, *, label: str, field: str) -> date | None:
    """A date from a date, or text as YYYY-MM-DD; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()  # a spreadsheet's date cell
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"{label} must be a date as YYYY-MM-DD, not {value!r}.", field=field
        ) from None


def shelf_life(value: object) -> int | None:
    """A shelf life in whole days, or None (no shelf life)."""
    if value is None or value == "":
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"Shelf life must be a whole number of days, not {value!r}.", field="shelf_life"
        ) from None
    if not 1 <= days <= SHELF_LIFE_MAX_DAYS:
        raise ValidationError(
            f"Shelf life must be between 1 and {SHELF_LIFE_MAX_DAYS:,} days.", field="shelf_life"
        )
    return days
