"""Every service call with every role: PermissionDenied exactly where the role lacks the right.

The table is checked against the services package itself: a new public function taking a `db`
must appear here (with the permission it needs) or in NO_LOGIN, or this test fails.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import invdesk.services
from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.audit import AuditFilter
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import SYSTEM, Actor, Permission, Role
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    LedgerFilter,
    Line,
    ReceiveStock,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.services import (
    audit,
    backup,
    catalog,
    database,
    demo,
    operation,
    queries,
    reservations,
    stock,
    users,
    verify,
    warehouses,
)
from tests import support

Call = Callable[[Database, Actor, Any], object]

# Public functions taking a `db` that need no actor, and why.
NO_LOGIN = {
    "catalog.edit_session": "runs another service's work; that service checks",
    "connection.create_tables": "only on an empty database, where no account can exist yet",
    "connection.upgrade_schema": "logs an admin in itself (no login only while no account exists)",
    "database.describe": "a label for the status bar",
    "users.has_users": "decides whether a login is needed at all",
    "users.login": "is the login",
    "users.create_first_admin": "only while no account exists (then refused)",
}

MATRIX: dict[str, tuple[Permission, Call]] = {
    # look-ups
    "catalog.get_product": (Permission.VIEW, lambda db, a, t: catalog.get_product(db, "P-1", a)),
    "catalog.list_products": (Permission.VIEW, lambda db, a, t: catalog.list_products(db, a)),
    "catalog.list_categories": (Permission.VIEW, lambda db, a, t: catalog.list_categories(db, a)),
    "warehouses.list_warehouses": (
        Permission.VIEW,
        lambda db, a, t: warehouses.list_warehouses(db, a),
    ),
    "warehouses.get_warehouse": (
        Permission.VIEW,
        lambda db, a, t: warehouses.get_warehouse(db, "MAIN", a),
    ),
    "queries.stock_levels": (Permission.VIEW, lambda db, a, t: queries.stock_levels(db, a)),
    "queries.history": (Permission.VIEW, lambda db, a, t: queries.history(db, a, LedgerFilter())),
    "reservations.list_reservations": (
        Permission.VIEW,
        lambda db, a, t: reservations.list_reservations(db, a),
    ),
    "verify.verify": (Permission.VIEW, lambda db, a, t: verify.verify(db, a)),
    # stock operations
    "stock.receive": (
        Permission.STOCK,
        lambda db, a, t: stock.receive(db, ReceiveStock("MAIN", (Line("P-1", 5),)), a),
    ),
    "stock.issue": (
        Permission.STOCK,
        lambda db, a, t: stock.issue(db, IssueStock("MAIN", (Line("P-1", 1),)), a),
    ),
    "stock.transfer": (
        Permission.STOCK,
        lambda db, a, t: stock.transfer(db, TransferStock("MAIN", "SHOP", (Line("P-1", 1),)), a),
    ),
    "stock.return_stock": (
        Permission.STOCK,
        lambda db, a, t: stock.return_stock(db, ReturnStock("MAIN", (Line("P-1", 1),)), a),
    ),
    "stock.adjust": (
        Permission.STOCK,
        lambda db, a, t: stock.adjust(db, AdjustStock("P-1", "MAIN", 50, reason="count"), a),
    ),
    "reservations.reserve": (
        Permission.STOCK,
        lambda db, a, t: reservations.reserve(db, ReserveStock("P-1", "MAIN", 1), a),
    ),
    "reservations.commit": (Permission.STOCK, lambda db, a, t: reservations.commit(db, 1, a)),
    "reservations.release": (Permission.STOCK, lambda db, a, t: reservations.release(db, 2, a)),
    "reservations.sweep": (Permission.STOCK, lambda db, a, t: reservations.sweep(db, a)),
    "operation.run_stock_operation": (
        Permission.STOCK,
        lambda db, a, t: operation.run_stock_operation(db, a, "receive", None, [], lambda op: ()),
    ),
    # catalog
    "catalog.create_product": (
        Permission.CATALOG,
        lambda db, a, t: catalog.create_product(db, CreateProduct(f"N-{a.role}", "n", "Tools"), a),
    ),
    "catalog.edit_product": (
        Permission.CATALOG,
        lambda db, a, t: catalog.edit_product(db, EditProduct("P-1", name="Renamed"), a),
    ),
    "catalog.set_product_active": (
        Permission.CATALOG,
        lambda db, a, t: catalog.set_product_active(db, "P-1", True, a),
    ),
    "catalog.add_barcode": (
        Permission.CATALOG,
        lambda db, a, t: catalog.add_barcode(db, "P-1", "4006381333931", 1, a),
    ),
    "catalog.remove_barcode": (
        Permission.CATALOG,
        lambda db, a, t: catalog.remove_barcode(db, "4006381333931", a),
    ),
    "catalog.create_category": (
        Permission.CATALOG,
        lambda db, a, t: catalog.create_category(db, f"Cat {a.role}", a),
    ),
    "catalog.rename_category": (
        Permission.CATALOG,
        lambda db, a, t: catalog.rename_category(db, "Other", "Other", a),
    ),
    "catalog.set_category_active": (
        Permission.CATALOG,
        lambda db, a, t: catalog.set_category_active(db, "Food", True, a),
    ),
    "warehouses.create_warehouse": (
        Permission.CATALOG,
        lambda db, a, t: warehouses.create_warehouse(db, f"W-{a.role}", "w", a),
    ),
    "warehouses.edit_warehouse": (
        Permission.CATALOG,
        lambda db, a, t: warehouses.edit_warehouse(db, EditWarehouse("MAIN", name="Main"), a),
    ),
    "demo.load_demo": (Permission.CATALOG, lambda db, a, t: demo.load_demo(db, a, days=1)),
    # reports
    "audit.list_audit": (
        Permission.REPORTS,
        lambda db, a, t: audit.list_audit(db, a, AuditFilter(limit=5)),
    ),
    # administration
    "database.upgrade_database": (
        Permission.ADMIN,
        lambda db, a, t: database.upgrade_database(db, a),
    ),
    "backup.backup": (
        Permission.ADMIN,
        lambda db, a, t: backup.backup(db, t / f"{a.role}.db", a),
    ),
    "backup.restore": (Permission.ADMIN, lambda db, a, t: backup.restore(db, t / "none.db", a)),
    "users.add_user": (
        Permission.ADMIN,
        lambda db, a, t: users.add_user(db, f"u-{a.role}", "password 123", "clerk", a),
    ),
    "users.list_users": (Permission.ADMIN, lambda db, a, t: users.list_users(db, a)),
    "users.change_password": (
        Permission.ADMIN,  # for someone else's account; one's own is tested in test_users
        lambda db, a, t: users.change_password(db, "boss", "password 456", a),
    ),
    "users.set_role": (Permission.ADMIN, lambda db, a, t: users.set_role(db, "ann", "clerk", a)),
    "users.set_user_active": (
        Permission.ADMIN,
        lambda db, a, t: users.set_user_active(db, "ann", True, a),
    ),
}


def _functions_taking_db() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(invdesk.services.__path__):
        module = importlib.import_module(f"invdesk.services.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue
            params = list(inspect.signature(obj).parameters)
            if params and params[0] == "db":
                found.add(f"{info.name}.{name}")
    return found


def test_every_service_call_is_in_the_role_matrix():
    """Fails when a service is added without deciding which roles may call it."""
    assert _functions_taking_db() - NO_LOGIN.keys() == MATRIX.keys()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix")
    db = Database.open(f"sqlite:///{folder}/matrix.db")
    migrate.upgrade(db)
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "P-1")
    support.stocked(db, "P-1", 100)
    users.create_first_admin(db, "boss", "password 123")
    users.add_user(db, "ann", "password 123", "clerk", SYSTEM)
    for _ in range(2):
        reservations.reserve(db, ReserveStock("P-1", "MAIN", 1), SYSTEM)
    yield db, folder
    db.dispose()


ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_is_refused_exactly_what_it_may_not_do(seeded, name, role):
    db, folder = seeded
    permission, call = MATRIX[name]
    actor = Actor(f"matrix-{role.value}", role)
    if actor.can(permission):
        try:
            call(db, actor, folder)
        except PermissionDenied as error:  # pragma: no cover - the failure message
            pytest.fail(f"{role} was refused {name}: {error}")
        except Exception:
            pass  # other refusals (not found, conflict...) are not about roles
    else:
        with pytest.raises(PermissionDenied):
            call(db, actor, folder)
