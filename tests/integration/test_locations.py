"""Locations (bins) and putaway through the services, on SQLite and PostgreSQL: codes, zones,
optimistic locking, the audit trail, managers only, and no deactivation while stock is there."""

from __future__ import annotations

import json

import pytest

from invdesk.domain.audit import AuditFilter
from invdesk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from invdesk.domain.locations import AddLocation, EditLocation, GrainInUse
from invdesk.domain.security import Actor, Role
from invdesk.domain.tracking import LocationType
from invdesk.services.catalog import locations
from invdesk.services.reads import audit, grain
from tests import support
from tests.integration.placing import place

BOSS = Actor("boss", Role.MANAGER)
CLERK = Actor("clara", Role.CLERK)


@pytest.fixture
def shop(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "SKU-1")
    return db


def _edits(db, entity: str):
    return [
        (r.action, r.key, json.loads(r.details) if r.details else None)
        for r in audit.list_audit(db, BOSS, AuditFilter())
        if r.source == "edit" and r.entity == entity
    ]


def test_added_locations_are_listed_by_code_with_zone_type_and_units(shop):
    locations.add_location(shop, AddLocation("main", "zone-a", "Zone A"), BOSS)
    added = locations.add_location(
        shop, AddLocation("MAIN", " a-03-2 ", "Aisle A rack 3", "Quarantine", "ZONE-A"), BOSS
    )
    support.stocked(shop, "SKU-1", 7)
    place(shop, "SKU-1", "MAIN", "A-03-2", 5)

    listed = locations.list_locations(shop, "MAIN", CLERK)

    assert (added.code, added.type, added.zone, added.version) == (
        "A-03-2",
        LocationType.QUARANTINE,
        "ZONE-A",
        1,
    )
    assert [(v.code, v.zone, v.on_hand, v.active) for v in listed] == [
        ("A-03-2", "ZONE-A", 5, True),
        ("ZONE-A", None, 0, True),
    ]
    assert locations.list_locations(shop, "SHOP", CLERK) == []


def test_a_code_is_unique_in_its_warehouse_only(shop):
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)

    with pytest.raises(Conflict, match="already has a location A-1"):
        locations.add_location(shop, AddLocation("MAIN", "a-1"), BOSS)
    other = locations.add_location(shop, AddLocation("SHOP", "A-1"), BOSS)

    assert other.warehouse == "SHOP"


@pytest.mark.parametrize(
    ("code", "kind", "error"),
    [("", None, "cannot be empty"), ("A 1", None, "only letters"), ("A-1", "attic", "type")],
)
def test_a_bad_code_or_type_is_refused(shop, code, kind, error):
    with pytest.raises(ValidationError, match=error):
        locations.add_location(shop, AddLocation("MAIN", code, type=kind), BOSS)


def test_a_zone_must_be_a_location_of_the_same_warehouse_and_never_inside_itself(shop):
    locations.add_location(shop, AddLocation("SHOP", "FRONT"), BOSS)
    locations.add_location(shop, AddLocation("MAIN", "ZONE"), BOSS)
    locations.add_location(shop, AddLocation("MAIN", "BIN", zone="ZONE"), BOSS)

    with pytest.raises(NotFound, match="MAIN has no location “FRONT”"):
        locations.add_location(shop, AddLocation("MAIN", "A-1", zone="FRONT"), BOSS)
    with pytest.raises(ValidationError, match="ZONE cannot be inside BIN"):
        locations.edit_location(shop, EditLocation("MAIN", "ZONE", zone="BIN"), BOSS)
    moved = locations.edit_location(shop, EditLocation("MAIN", "BIN", zone=""), BOSS)

    assert moved.zone is None


def test_an_edit_is_audited_and_a_stale_edit_is_refused(shop):
    locations.add_location(shop, AddLocation("MAIN", "ZONE"), BOSS)
    first = locations.add_location(shop, AddLocation("MAIN", "A-1", "Old name"), BOSS)
    edited = locations.edit_location(
        shop,
        EditLocation("MAIN", "A-1", first.version, name="New name", type="shipping", zone="ZONE"),
        BOSS,
    )

    with pytest.raises(Conflict, match="changed by someone else"):
        locations.edit_location(shop, EditLocation("MAIN", "A-1", first.version, name="X"), BOSS)

    assert (edited.name, edited.type, edited.zone, edited.version) == (
        "New name",
        LocationType.SHIPPING,
        "ZONE",
        2,
    )
    assert _edits(shop, "location")[0] == (
        "edit",
        "MAIN/A-1",
        {"name": ["Old name", "New name"], "type": ["storage", "shipping"], "zone": [None, "ZONE"]},
    )
    assert ("create", "MAIN/A-1", {"name": "Old name", "type": "storage"}) in _edits(
        shop, "location"
    )
    assert locations.list_locations(shop, "MAIN", BOSS)[0].name == "New name"


def test_a_location_holding_stock_cannot_be_deactivated(shop):
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)
    support.stocked(shop, "SKU-1", 12)
    place(shop, "SKU-1", "MAIN", "A-1", 12)

    with pytest.raises(ValidationError, match="A-1 still holds 12 unit"):
        locations.deactivate_location(shop, "MAIN", "A-1", BOSS)

    assert locations.list_locations(shop, "MAIN", BOSS)[0].active


def test_deactivating_an_empty_location_sends_its_products_to_the_default_location(shop):
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)
    locations.set_putaway(shop, "SKU-1", "MAIN", "a-1", BOSS)

    done = locations.deactivate_location(shop, "MAIN", "A-1", BOSS)

    assert (done.active, done.version) == (False, 2)
    assert _edits(shop, "location")[0][2] == {
        "active": [True, False],
        "putaway": ["1 product(s)", None],
    }
    with pytest.raises(ValidationError, match="inactive"):
        locations.set_putaway(shop, "SKU-1", "MAIN", "A-1", BOSS)
    assert locations.list_locations(shop, "MAIN", BOSS, include_inactive=False) == []


def test_putaway_is_set_moved_and_cleared_with_an_audit_row_each(shop):
    for code in ("A-1", "B-2"):
        locations.add_location(shop, AddLocation("MAIN", code), BOSS)

    first = locations.set_putaway(shop, "SKU-1", "main", "A-1", BOSS)
    moved = locations.set_putaway(shop, "SKU-1", "MAIN", "B-2", BOSS)
    cleared = locations.set_putaway(shop, "SKU-1", "MAIN", None, BOSS)
    locations.set_putaway(shop, "SKU-1", "MAIN", None, BOSS)  # nothing to clear: no row

    assert (first.location, moved.location, cleared.location) == ("A-1", "B-2", None)
    assert [details for _, _, details in _edits(shop, "putaway")] == [
        {"location": ["B-2", None]},
        {"location": ["A-1", "B-2"]},
        {"location": [None, "A-1"]},
    ]
    with pytest.raises(NotFound, match="SHOP has no location “A-1”"):
        locations.set_putaway(shop, "SKU-1", "SHOP", "A-1", BOSS)


def test_a_clerk_may_list_locations_but_not_change_them(shop):
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)

    for attempt in (
        lambda: locations.add_location(shop, AddLocation("MAIN", "A-2"), CLERK),
        lambda: locations.edit_location(shop, EditLocation("MAIN", "A-1", name="x"), CLERK),
        lambda: locations.deactivate_location(shop, "MAIN", "A-1", CLERK),
        lambda: locations.set_putaway(shop, "SKU-1", "MAIN", "A-1", CLERK),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert [v.code for v in locations.list_locations(shop, "MAIN", CLERK)] == ["A-1"]
    assert _edits(shop, "putaway") == []


def test_stock_by_location_shows_the_default_location_first_and_grain_in_use(shop):
    assert grain.grain_in_use(shop, CLERK, "MAIN") == GrainInUse(False, False)
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)
    support.stocked(shop, "SKU-1", 10)
    place(shop, "SKU-1", "MAIN", "A-1", 4)

    rows = grain.stock_by_grain(shop, CLERK, by_location=True, by_lot=False, warehouse="MAIN")

    assert [(r.sku, r.location, r.lot, r.on_hand) for r in rows] == [
        ("SKU-1", None, None, 6),
        ("SKU-1", "A-1", None, 4),
    ]
    assert grain.grain_in_use(shop, CLERK, "MAIN").locations
    assert not grain.grain_in_use(shop, CLERK, "SHOP").locations


def test_a_scanned_code_is_found_as_an_active_location_of_the_warehouse_only(shop):
    locations.add_location(shop, AddLocation("MAIN", "A-1"), BOSS)
    locations.add_location(shop, AddLocation("MAIN", "OLD"), BOSS)
    locations.deactivate_location(shop, "MAIN", "OLD", BOSS)

    found = locations.find_location(shop, CLERK, "MAIN", " a-1 ")

    assert found is not None and (found.code, found.warehouse) == ("A-1", "MAIN")
    assert locations.find_location(shop, CLERK, "SHOP", "A-1") is None
    assert locations.find_location(shop, CLERK, "MAIN", "OLD") is None
    assert locations.find_location(shop, CLERK, "MAIN", "SKU-1") is None
    assert locations.find_location(shop, CLERK, "MAIN", "4006381333931" * 4) is None
    assert locations.find_location(shop, CLERK, "MAIN", "]C1010400638133393110LOT\x1d") is None
