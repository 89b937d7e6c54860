"""On a shared server a manager's own login adds and edits locations and putaway; a clerk's login
cannot, even by passing itself off as a manager to the service or with SQL of its own."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import ProgrammingError

from invdesk.db.engine import Database
from invdesk.domain.locations import AddLocation, EditLocation
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.services.catalog import locations
from tests import support


def test_a_managers_login_keeps_locations_and_putaway(pg_db, make_login):
    support.warehouse(pg_db)
    support.product(pg_db)
    manager = make_login("manager")
    me = Actor(manager.name, Role.MANAGER)

    with Database.open(manager.url) as db:
        locations.add_location(db, AddLocation("MAIN", "A-1"), me)
        locations.add_location(db, AddLocation("MAIN", "B-1", zone="A-1"), me)
        locations.edit_location(db, EditLocation("MAIN", "B-1", name="Bin", zone=""), me)
        locations.set_putaway(db, "SKU-1", "MAIN", "B-1", me)
        locations.set_putaway(db, "SKU-1", "MAIN", "A-1", me)
        locations.deactivate_location(db, "MAIN", "A-1", me)  # clears the putaway (DELETE)

    listed = locations.list_locations(pg_db, "MAIN", SYSTEM)
    assert [(v.code, v.name, v.zone, v.active) for v in listed] == [
        ("A-1", None, None, False),
        ("B-1", "Bin", None, True),
    ]


def test_a_clerks_login_cannot_add_a_location_even_as_a_manager_of_its_own_making(
    pg_db, make_login
):
    support.warehouse(pg_db)
    support.product(pg_db)
    locations.add_location(pg_db, AddLocation("MAIN", "A-1"), SYSTEM)
    clerk = make_login("clerk")
    claimed = Actor(clerk.name, Role.MANAGER)  # a doctored client skips the service's check

    with Database.open(clerk.url) as db:
        with pytest.raises(ProgrammingError, match="permission denied for table location"):
            locations.add_location(db, AddLocation("MAIN", "A-2"), claimed)
        with pytest.raises(ProgrammingError, match="permission denied for table location"):
            locations.edit_location(db, EditLocation("MAIN", "A-1", name="Mine"), claimed)
        with pytest.raises(ProgrammingError, match="permission denied for table putaway"):
            locations.set_putaway(db, "SKU-1", "MAIN", "A-1", claimed)
        assert [v.code for v in locations.list_locations(db, "MAIN", claimed)] == ["A-1"]
    with clerk.connect() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE location SET active = FALSE")
    assert locations.list_locations(pg_db, "MAIN", SYSTEM)[0].name is None
