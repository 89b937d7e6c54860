"""Who is acting, and what each role may do. Services check; front ends only hide what would fail."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from invdesk.domain.errors import PermissionDenied


class Role(enum.StrEnum):
    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    STOCK = "stock operations"
    VIEW = "look-ups"
    CATALOG = "editing products, categories and warehouses"
    REPORTS = "reports"
    PURCHASING = "purchasing (suppliers' terms and purchase orders)"
    ADMIN = "administration"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.STOCK, Permission.VIEW}),
    Role.MANAGER: frozenset(
        {
            Permission.STOCK,
            Permission.VIEW,
            Permission.CATALOG,
            Permission.REPORTS,
            Permission.PURCHASING,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """The person (or job) on whose behalf a service runs; recorded on every ledger row."""

    username: str
    role: Role = Role.ADMIN

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(f"{actor.username} ({actor.role}) is not allowed {permission}.")


SYSTEM = Actor("system", Role.ADMIN)
