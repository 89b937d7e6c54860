"""Watched warehouses: each user keeps their own list; the default is every warehouse."""

from __future__ import annotations

import pytest

from invdesk.domain.catalog import EditWarehouse
from invdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import warehouses, watching
from tests import support
from tests.support import ACTOR

ANN = Actor("ann", Role.CLERK)
BOB = Actor("bob", Role.MANAGER)


@pytest.fixture
def three(db):
    for code in ("EAST", "MAIN", "WEST"):
        support.warehouse(db, code)
    return db


def test_a_user_watches_every_warehouse_until_choosing(three):
    found = watching.watched_warehouses(three, ANN)
    assert found.everything and found.codes == ("EAST", "MAIN", "WEST")


def test_each_user_keeps_their_own_list(three):
    chosen = watching.set_watched_warehouses(three, ANN, ["main", "WEST"])
    assert chosen.codes == ("MAIN", "WEST") and not chosen.everything
    assert watching.watched_warehouses(three, ANN).codes == ("MAIN", "WEST")
    assert watching.watched_warehouses(three, BOB).everything
    watching.set_watched_warehouses(three, BOB, ["EAST"])
    assert watching.watched_warehouses(three, ANN).codes == ("MAIN", "WEST")
    assert watching.watched_warehouses(three, BOB).codes == ("EAST",)


def test_choosing_every_warehouse_is_the_default_and_includes_new_ones(three):
    watching.set_watched_warehouses(three, ANN, ["MAIN"])
    assert watching.set_watched_warehouses(three, ANN, ["EAST", "MAIN", "WEST"]).everything
    support.warehouse(three, "SHOP")
    assert watching.watched_warehouses(three, ANN).codes == ("EAST", "MAIN", "SHOP", "WEST")


def test_a_closed_warehouse_drops_out_of_the_list(three):
    watching.set_watched_warehouses(three, ANN, ["MAIN", "WEST"])
    warehouses.edit_warehouse(three, EditWarehouse("WEST", active=False), ACTOR)
    assert watching.watched_warehouses(three, ANN).codes == ("MAIN",)


def test_bad_choices_are_refused_and_change_nothing(three):
    watching.set_watched_warehouses(three, ANN, ["MAIN"])
    with pytest.raises(ValidationError, match="at least one"):
        watching.set_watched_warehouses(three, ANN, [])
    with pytest.raises(NotFound):
        watching.set_watched_warehouses(three, ANN, ["MAIN", "NOPE"])
    assert watching.watched_warehouses(three, ANN).codes == ("MAIN",)


def test_only_a_logged_in_user_may_keep_a_list(three, monkeypatch):
    from invdesk.domain import security

    nobody = Actor("guest", Role.CLERK)
    monkeypatch.setitem(security.ROLE_PERMISSIONS, Role.CLERK, frozenset())
    with pytest.raises(PermissionDenied):
        watching.watched_warehouses(three, nobody)
    with pytest.raises(PermissionDenied):
        watching.set_watched_warehouses(three, nobody, ["MAIN"])
