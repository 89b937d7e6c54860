"""Locations (bins) of a warehouse as commands and views: add, edit, putaway, what each holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
