"""Every service call with every role: PermissionDenied exactly where the role lacks the right.

The table is checked against the services and reports packages: a new public function taking a `db`
must appear here (with the permission it needs) or in NO_LOGIN, or this test fails.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import invdesk.reports
import invdesk.services
from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.audit import AuditFilter
from invdesk.domain.browse import PageRequest, ProductQuery, StockQuery
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
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
from invdesk.reports import runner, series
from invdesk.reports.filters import ReportFilter
from invdesk.services import (
    alert_mail,
    alerts,
    audit,
    backup,
    browse,
    catalog,
    categories,
    dashboard,
    database,
    demo,
    demo_policies,
    import_products,
    importing,
    integrity,
    lookups_ui,
    operation,
    orders,
    policies,
    product_barcodes,
    queries,
    reorder,
    reservations,
    seals,
    stock,
    users,
    verify,
    warehouses,
    watching,
    webhooks,
)
from invdesk.services.import_files import ImportKind, Table
from invdesk.services.operation import Planned
from tests import support

Call = Callable[[Database, Actor, Any], object]

# Public functions taking a `db` that need no actor, and why.
NO_LOGIN = {
    "catalog.edit_session": "runs another service's work; that service checks",
    "connection.create_tables": "only on an empty database, where no account can exist yet",
    "connection.upgrade_schema": "logs an admin in itself (no login only while no account exists)",
    "database.describe": "a label for the status bar",
    "database.attach_replica": "part of opening the database, before anyone acts on it",
    "users.has_users": "decides whether a login is needed at all",
    "users.login": "is the login",
    "logins.db_enabled": "decides how people log in (their own database login or the app's)",
    "logins.bootstrap_actor": "the set-up's superuser or owner connection, trusted by the server",
    "logins.enable": "runs inside `db upgrade --login-roles`, which checks for an admin",
    "users.create_first_admin": "only while no account exists (then refused)",
    "users.standing": "a running session re-reading its own account (deactivated? new role?)",
    "events.bus": "the in-process event bus of an open database; no action of anyone",
    "events.subscribe": "a listener on that bus (screens, live updates); reads nothing",
    "events.run": "runs another service's work and publishes its events; that service checks",
    "live.origin_of": "a token naming the open database, for live-update hints",
    "live.start_notifier": "a background thread sending change hints after commits; no actor",
    # invdesk serve's own jobs: no person calls them; on a shared server only the server's login
    # (invdesk_server) holds the table rights they need, so the database refuses anyone else.
    "alert_mail.build_digest": "the server's digest job, for the users who asked for one",
    "alert_mail.claim_digest": "the server's digest job (each digest goes out once)",
    "alert_mail.digest_recipients": "the server's digest job",
    "alert_mail.unclaim_digest": "the server's digest job (a mail that could not be sent)",
    "delivery.sequence": "the server's dispatcher orders committed outbox rows",
    "delivery.claim_due": "the server's dispatcher claims deliveries due",
    "delivery.record_attempt": "the server's dispatcher records an answer",
    "delivery.queue_depth": "a metric of the server",
    "delivery.latest_position": "where the server's event stream starts (the token is checked)",
    "delivery.events_after": "the server's event stream (the token's scope is checked)",
    "jobs.claim_job": "the server's scheduler, once across servers",
    "jobs.finish_job": "the server's scheduler",
    "jobs.job_states": "the server's health page and metrics",
    "database.readiness": "the server's /readyz: reachable and current",
    "database.check_file": "the integrity check at open, before anyone logs in",
}

PRODUCTS_FILE = Table("p.csv", ("sku", "name", "category"), (("P-9", "New", "Tools"),), "0" * 64)
STOCK_FILE = Table("s.csv", ("sku", "warehouse", "qty"), (("P-1", "MAIN", "1"),), "1" * 64)
RECEIPTS = importing.ImportOptions(stock_mode="receive")
NOTHING = Planned("receive", None, [], lambda op: ())
LOW = PolicyRule(PolicyKind.REORDER_POINT, point=1000, qty=10)  # raises alert 1 in SHOP


def _order(reference: str) -> PlaceOrder:
    return PlaceOrder(reference, "MAIN", (OrderLine("P-1", 1),))


MATRIX: dict[str, tuple[Permission, Call]] = {
    # look-ups
    "catalog.get_product": (Permission.VIEW, lambda db, a, t: catalog.get_product(db, "P-1", a)),
    "catalog.list_products": (Permission.VIEW, lambda db, a, t: catalog.list_products(db, a)),
    "categories.list_categories": (
        Permission.VIEW,
        lambda db, a, t: categories.list_categories(db, a),
    ),
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
    "browse.count_products": (
        Permission.VIEW,
        lambda db, a, t: browse.count_products(db, a, ProductQuery()),
    ),
    "browse.product_page": (
        Permission.VIEW,
        lambda db, a, t: browse.product_page(db, a, ProductQuery(), PageRequest()),
    ),
    "browse.find_product": (Permission.VIEW, lambda db, a, t: browse.find_product(db, a, "P-1")),
    "browse.count_stock": (
        Permission.VIEW,
        lambda db, a, t: browse.count_stock(db, a, StockQuery()),
    ),
    "browse.stock_page": (
        Permission.VIEW,
        lambda db, a, t: browse.stock_page(db, a, StockQuery(), PageRequest()),
    ),
    "browse.product_rows": (
        Permission.VIEW,
        lambda db, a, t: browse.product_rows(db, a, ProductQuery(), [1]),
    ),
    "browse.stock_rows": (
        Permission.VIEW,
        lambda db, a, t: browse.stock_rows(db, a, StockQuery(), [(1, 1)], [1]),
    ),
    "browse.warehouse_totals": (Permission.VIEW, lambda db, a, t: browse.warehouse_totals(db, a)),
    "browse.dashboard": (Permission.VIEW, lambda db, a, t: browse.dashboard(db, a)),
    "browse.is_empty": (Permission.VIEW, lambda db, a, t: browse.is_empty(db, a)),
    "dashboard.attention": (Permission.VIEW, lambda db, a, t: dashboard.attention(db, a)),
    "lookups_ui.resolve_code": (
        Permission.VIEW,
        lambda db, a, t: lookups_ui.resolve_code(db, a, "P-1"),
    ),
    "lookups_ui.stock_figures": (
        Permission.VIEW,
        lambda db, a, t: lookups_ui.stock_figures(db, a, ["P-1"], "MAIN"),
    ),
    "lookups_ui.stock_figure": (
        Permission.VIEW,
        lambda db, a, t: lookups_ui.stock_figure(db, a, "P-1", "MAIN"),
    ),
    "lookups_ui.barcode_owner": (
        Permission.VIEW,
        lambda db, a, t: lookups_ui.barcode_owner(db, a, "P-1"),
    ),
    "lookups_ui.active_warehouses": (
        Permission.VIEW,
        lambda db, a, t: lookups_ui.active_warehouses(db, a),
    ),
    "lookups_ui.product_sku": (Permission.VIEW, lambda db, a, t: lookups_ui.product_sku(db, a, 1)),
    "alerts.list_alerts": (Permission.VIEW, lambda db, a, t: alerts.list_alerts(db, a)),
    "alerts.alert_badge_count": (Permission.VIEW, lambda db, a, t: alerts.alert_badge_count(db, a)),
    "watching.watched_warehouses": (
        Permission.VIEW,
        lambda db, a, t: watching.watched_warehouses(db, a),
    ),
    "watching.set_watched_warehouses": (
        Permission.VIEW,
        lambda db, a, t: watching.set_watched_warehouses(db, a, ["MAIN"]),
    ),
    "orders.get_order": (Permission.VIEW, lambda db, a, t: orders.get_order(db, a, "O-1")),
    "orders.list_orders": (Permission.VIEW, lambda db, a, t: orders.list_orders(db, a)),
    "policies.list_policies": (Permission.VIEW, lambda db, a, t: policies.list_policies(db, a)),
    "policies.effective_policy": (
        Permission.VIEW,
        lambda db, a, t: policies.effective_policy(db, a, "P-1", "SHOP"),
    ),
    "reorder.suggestions": (Permission.VIEW, lambda db, a, t: reorder.suggestions(db, a)),
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
    "operation.run_planned": (
        Permission.STOCK,
        lambda db, a, t: operation.run_planned(db, a, NOTHING),
    ),
    "operation.run_stock_operations": (
        Permission.STOCK,
        lambda db, a, t: operation.run_stock_operations(db, a, [NOTHING]),
    ),
    "orders.place_order": (
        Permission.STOCK,
        lambda db, a, t: orders.place_order(db, _order(f"O-{a.role}"), a),
    ),
    "orders.fulfil_order": (Permission.STOCK, lambda db, a, t: orders.fulfil_order(db, "O-1", a)),
    "orders.cancel_order": (Permission.STOCK, lambda db, a, t: orders.cancel_order(db, "O-2", a)),
    "orders.expire_orders": (Permission.STOCK, lambda db, a, t: orders.expire_orders(db, a)),
    # a state change (who saw it, when) made on the floor: a stock right, not a mere look-up
    "alerts.acknowledge": (Permission.STOCK, lambda db, a, t: alerts.acknowledge(db, 1, a)),
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
    "categories.create_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.create_category(db, f"Cat {a.role}", a),
    ),
    "categories.rename_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.rename_category(db, "Other", "Other", a),
    ),
    "categories.set_category_active": (
        Permission.CATALOG,
        lambda db, a, t: categories.set_category_active(db, "Food", True, a),
    ),
    "categories.move_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.move_category(db, "Office", None, a),
    ),
    "categories.merge_category": (
        Permission.CATALOG,
        lambda db, a, t: (
            categories.create_category(db, f"Merge {a.role}", SYSTEM),
            categories.merge_category(db, f"Merge {a.role}", "Other", a),
        ),
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
    "demo_policies.seed_policies": (  # as demo.load_demo, which calls it
        Permission.CATALOG,
        lambda db, a, t: demo_policies.seed_policies(db, a),
    ),
    "product_barcodes.replace_barcodes": (
        Permission.CATALOG,
        lambda db, a, t: product_barcodes.replace_barcodes(db, "P-1", (("5901234123457", 1),), a),
    ),
    "policies.set_policy": (
        Permission.CATALOG,
        lambda db, a, t: policies.set_policy(
            db, SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=1, qty=5)), a
        ),
    ),
    "policies.remove_policy": (
        Permission.CATALOG,
        lambda db, a, t: policies.remove_policy(db, 2, a),
    ),
    # imports of either kind are a manager's (issue: "manager: also ... imports")
    "importing.preview_import": (
        Permission.CATALOG,
        lambda db, a, t: importing.preview_import(
            db, a, ImportKind.PRODUCTS, PRODUCTS_FILE, importing.ImportOptions()
        ),
    ),
    "import_products.apply_products": (
        Permission.CATALOG,
        lambda db, a, t: import_products.apply_products(db, a, "p.csv", [], lambda i: None),
    ),
    "importing.run_import": (
        Permission.CATALOG,
        lambda db, a, t: importing.run_import(db, a, ImportKind.STOCK, STOCK_FILE, RECEIPTS),
    ),
    # reports
    "audit.list_audit": (
        Permission.REPORTS,
        lambda db, a, t: audit.list_audit(db, a, AuditFilter(limit=5)),
    ),
    "runner.generate": (
        Permission.REPORTS,
        lambda db, a, t: runner.generate(db, a, "valuation", t / f"{a.role}.xlsx"),
    ),
    "series.product_series": (
        Permission.REPORTS,
        lambda db, a, t: series.product_series(db, a, "P-1", days=30),
    ),
    "series.warehouse_trend": (
        Permission.REPORTS,
        lambda db, a, t: series.warehouse_trend(db, a, ReportFilter()),
    ),
    # administration
    "database.replica_status": (
        Permission.ADMIN,
        lambda db, a, t: database.replica_status(db, a),
    ),
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
    # accounts' own alert e-mail (oneself; an admin for anyone)
    "alert_mail.set_alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.set_alert_mail(db, a, a.username, "me@example.com", "digest"),
    ),
    "alert_mail.alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.alert_mail(db, a, a.username),
    ),
    "alert_mail.remove_alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.remove_alert_mail(db, a, a.username),
    ),
    # webhooks and deliveries
    "webhooks.add_webhook": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.add_webhook(
            db, a, f"http://127.0.0.1:9/{a.role}", ["stock.changed"]
        ),
    ),
    "webhooks.list_webhooks": (Permission.ADMIN, lambda db, a, t: webhooks.list_webhooks(db, a)),
    "webhooks.remove_webhook": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.remove_webhook(db, a, 999),
    ),
    "webhooks.test_webhook": (Permission.ADMIN, lambda db, a, t: webhooks.test_webhook(db, a, 999)),
    "webhooks.list_deliveries": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.list_deliveries(db, a),
    ),
    "webhooks.delivery_body": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.delivery_body(db, a, 999),
    ),
    "webhooks.retry_delivery": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.retry_delivery(db, a, 999),
    ),
    # ledger integrity: seals, verify, the scheduled check and its alerts
    "seals.seal": (Permission.STOCK, lambda db, a, t: seals.seal(db, a)),
    "seals.export": (
        Permission.VIEW,
        lambda db, a, t: seals.export(db, a, t / f"{a.role}-seal.json"),
    ),
    "verify.verify_all": (Permission.VIEW, lambda db, a, t: verify.verify_all(db, a)),
    "integrity.run_check": (Permission.STOCK, lambda db, a, t: integrity.run_check(db, a)),
    "integrity.last_check": (Permission.VIEW, lambda db, a, t: integrity.last_check(db, a)),
    "integrity.open_alerts": (Permission.ADMIN, lambda db, a, t: integrity.open_alerts(db, a)),
    "integrity.open_alert_count": (
        Permission.VIEW,  # zero for anyone but an admin: only admins see ledger-mismatch alerts
        lambda db, a, t: integrity.open_alert_count(db, a),
    ),
    "integrity.acknowledge": (Permission.ADMIN, lambda db, a, t: integrity.acknowledge(db, 999, a)),
    "orders.get_order_by_id": (Permission.VIEW, lambda db, a, t: orders.get_order_by_id(db, a, 1)),
    "product_barcodes.save_product": (
        Permission.CATALOG,
        lambda db, a, t: product_barcodes.save_product(
            db, EditProduct("P-1", name="Saved"), (("P-1", 1),), a
        ),
    ),
}


def _functions_taking_db() -> set[str]:
    """Public functions taking a `db` first, in the services and the reports packages."""
    found = set()
    modules = [
        (info, package.__name__)
        for package in (invdesk.services, invdesk.reports)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    for info, package_name in modules:
        module = importlib.import_module(f"{package_name}.{info.name}")
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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix")
    if request.param == "sqlite":
        url = f"sqlite:///{folder}/matrix.db"
    else:  # a database of its own: the calls below leave it full of rows
        url = request.getfixturevalue("pg_database_factory")()
    db = Database.open(url)
    migrate.upgrade(db)
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "P-1")
    support.stocked(db, "P-1", 100)
    support.stocked(db, "P-1", 5, "SHOP")
    users.create_first_admin(db, "boss", "password 123")
    users.add_user(db, "ann", "password 123", "clerk", SYSTEM)
    for _ in range(2):
        reservations.reserve(db, ReserveStock("P-1", "MAIN", 1), SYSTEM)
    policies.set_policy(db, SetPolicy("SHOP", LOW), SYSTEM)  # policy 1, raising alert 1
    policies.set_policy(db, SetPolicy("SHOP", LOW, category="Food"), SYSTEM)  # policy 2
    assert [a.id for a in alerts.list_alerts(db, SYSTEM)] == [1]
    for reference in ("O-1", "O-2"):
        orders.place_order(db, _order(reference), SYSTEM)
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
