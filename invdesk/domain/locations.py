"""Locations (bins) of a warehouse as commands and views: add, edit, putaway, what each holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from invdesk.domain.tracking import LocationType


@dataclass(frozen=True)
class AddLocation:
    """A new location: `code` unique in `warehouse` (stored upper case), optionally in a `zone`
    (another location of the same warehouse, by code)."""

    warehouse: str
    code: str
    name: str | None = None
    type: str | None = None
    zone: str | None = None


@dataclass(frozen=True)
class EditLocation:
    """Change a location; None leaves a field as it is, an empty `zone` takes it out of its zone.
    `active=False` is refused while the location holds stock."""

    warehouse: str
    code: str
    expected_version: int | None = None
    name: str | None = None
    type: str | None = None
    zone: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class LocationView:
    id: int
    warehouse: str
    code: str
    name: str | None
    type: LocationType
    zone: str | None
    active: bool
    version: int
    on_hand: int = 0
    """Units of every product and lot held there now."""


@dataclass(frozen=True)
class PutawayView:
    """Where receipts of `sku` into `warehouse` go; `location` None: the default location."""

    sku: str
    warehouse: str
    location: str | None


@dataclass(frozen=True)
class QuantView:
    """Stock of a product in a warehouse broken down by location and/or lot (a grain a listing
    asked for; a part not asked for is summed over and left None)."""

    sku: str
    product_name: str
    warehouse: str
    location: str | None
    lot: str | None
    expiry: date | None
    on_hand: int
    unit: str = "each"


@dataclass(frozen=True)
class GrainInUse:
    """What a warehouse has below its counters: any location, any lot on hand."""

    locations: bool
    lots: bool


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """ "A-2" before "A-10": runs of digits compare as numbers, the rest case-blind as text."""
    parts = re.findall(r"\d+|\D+", text.upper())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def walking_key(zone: str | None, code: str | None) -> tuple[Any, ...]:
    """Where a location comes on a walk through the warehouse: zone by zone, bins in the natural
    order of their codes (aisle, rack, shelf as their codes count up); the default location
    (stock in no bin) last, where a picker finishes."""
    if code is None:
        return (1, (), ())
    return (0, _natural(zone or ""), _natural(code))
