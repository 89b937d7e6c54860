"""Roles: clerks move stock, managers also edit the catalog and see reports, admins do everything."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import SYSTEM, Actor, Permission, Role, require


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CLERK, {Permission.STOCK, Permission.VIEW}),
        (
            Role.MANAGER,
            {
                Permission.STOCK,
                Permission.VIEW,
                Permission.CATALOG,
                Permission.REPORTS,
                Permission.PURCHASING,
            },
        ),
        (Role.ADMIN, set(Permission)),
    ],
)
def test_each_role_has_exactly_its_permissions(role, allowed):
    actor = Actor("ann", role)

    assert {p for p in Permission if actor.can(p)} == allowed


def test_clerk_cannot_edit_the_catalog():
    with pytest.raises(PermissionDenied) as caught:
        require(Actor("ann", Role.CLERK), Permission.CATALOG)

    assert caught.value.message == (
        "ann (clerk) is not allowed editing products, categories and warehouses."
    )
    assert caught.value.exit_code == 6


def test_manager_cannot_administer():
    with pytest.raises(PermissionDenied, match=r"^bob \(manager\) is not allowed administration"):
        require(Actor("bob", Role.MANAGER), Permission.ADMIN)


def test_allowed_actions_pass_silently():
    require(Actor("ann", Role.CLERK), Permission.STOCK)
    require(Actor("bob", Role.MANAGER), Permission.CATALOG)


def test_an_actor_without_a_role_and_the_system_actor_are_admins():
    assert Actor("job").role is Role.ADMIN
    assert SYSTEM.can(Permission.ADMIN)
