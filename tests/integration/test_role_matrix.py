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
from invdesk.domain import purchasing as pur
from invdesk.domain.audit import AuditFilter
from invdesk.domain.browse import PageRequest, ProductQuery, StockQuery
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.company import CompanyDetails
from invdesk.domain.counts import OpenCount, PostCount, RecordCount
from invdesk.domain.errors import PermissionDenied
from invdesk.domain.locations import AddLocation, EditLocation
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Permission, Role
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    LedgerFilter,
    Line,
    MoveStock,
    ReceiveStock,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.domain.transit import ReceiveShipment
from invdesk.reports import runner, series
from invdesk.reports.documents import packing_slip as doc_packing_slip
from invdesk.reports.documents import pick_list as doc_pick_list
from invdesk.reports.documents import purchase_order as doc_purchase_order
from invdesk.reports.documents import transfer_note as doc_transfer_note
from invdesk.reports.filters import ReportFilter
from invdesk.reports.labels import sources as label_sources
from invdesk.services.catalog import (
    barcodes,
    categories,
    company,
    locations,
    products,
    suppliers,
    users,
    warehouses,
    watching,
)
from invdesk.services.channels import tokens
from invdesk.services.counts import lines, posting, sheets, variance
from invdesk.services.demo import grain as demo_grain
from invdesk.services.demo import loader, restock_policies
from invdesk.services.demo import purchasing as demo_purchasing
from invdesk.services.importing import apply
from invdesk.services.importing import products as import_products
from invdesk.services.importing import suppliers as import_suppliers
from invdesk.services.importing.files import ImportKind, Table
from invdesk.services.outbound import alert_mail, webhooks
from invdesk.services.purchasing import drafts as po_drafts
from invdesk.services.purchasing import orders as po_orders
from invdesk.services.purchasing import receiving as po_receiving
from invdesk.services.reads import (
    alerts,
    audit,
    browse,
    dashboard,
    dialog_lookups,
    grain,
    queries,
    reorder,
    trace,
)
from invdesk.services.stock import (
    expiry_alerts,
    moves,
    operation,
    operations,
    orders,
    picking,
    policies,
    reservations,
    shipments,
    transit,
)
from invdesk.services.stock.operation import Planned
from invdesk.services.system import backup, database
from invdesk.services.trust import integrity, seals, verify
from tests import support

Call = Callable[[Database, Actor, Any], object]

# Public functions taking a `db` that need no actor, and why.
NO_LOGIN = {
    **{
        f"channels.{name}": "acts for an API token: its scopes and warehouses are checked (tests/server)"
        for name in (
            "idempotency.begin",
            "idempotency.finish",
            "idempotency.purge",
            "idempotency.release",
            "inventory.inventory_page",
            "inventory.product_stock",
            "inventory.replenish",
            "orders.cancel",
            "orders.fulfil",
            "orders.get",
            "orders.list_alerts",
            "orders.place",
            "tokens.authenticate",
        )
    },
    "channels.inventory.every_warehouse": (
        "the server's stock read cache (StockCache) reads with it, after checking the token's "
        "read scope, and shows a token only its warehouses (tests/server/test_read_cache.py)"
    ),
    "unit_of_work.edit_session": "runs another service's work; that service checks",
    "system.connection.create_tables": "only on an empty database, where no account can exist yet",
    "system.connection.upgrade_schema": "logs an admin in itself (no login only while no account exists)",
    "system.database.describe": "a label for the status bar",
    "system.database.attach_replica": "part of opening the database, before anyone acts on it",
    "catalog.users.has_users": "decides whether a login is needed at all",
    "catalog.users.login": "is the login",
    "catalog.logins.db_enabled": "decides how people log in (their own database login or the app's)",
    "catalog.logins.bootstrap_actor": "the set-up's superuser or owner connection, trusted by the server",
    "catalog.logins.enable": "runs inside `db upgrade --login-roles`, which checks for an admin",
    "catalog.users.create_first_admin": "only while no account exists (then refused)",
    "catalog.users.standing": "a running session re-reading its own account (deactivated? new role?)",
    "stock.events.bus": "the in-process event bus of an open database; no action of anyone",
    "stock.events.subscribe": "a listener on that bus (screens, live updates); reads nothing",
    "stock.events.run": "runs another service's work and publishes its events; that service checks",
    "system.live.origin_of": "a token naming the open database, for live-update hints",
    "system.live.start_notifier": "a background thread sending change hints after commits; no actor",
    # invdesk serve's own jobs: no person calls them; on a shared server only the server's login
    # (invdesk_server) holds the table rights they need, so the database refuses anyone else.
    "outbound.alert_mail.build_digest": "the server's digest job, for the users who asked for one",
    "outbound.alert_mail.claim_digest": "the server's digest job (each digest goes out once)",
    "outbound.alert_mail.digest_recipients": "the server's digest job",
    "outbound.alert_mail.unclaim_digest": "the server's digest job (a mail that could not be sent)",
    "outbound.delivery.sequence": "the server's dispatcher orders committed outbox rows",
    "outbound.delivery.claim_due": "the server's dispatcher claims deliveries due",
    "outbound.delivery.record_attempt": "the server's dispatcher records an answer",
    "outbound.delivery.queue_depth": "a metric of the server",
    "outbound.delivery.latest_position": "where the server's event stream starts (the token is checked)",
    "outbound.delivery.events_after": "the server's event stream (the token's scope is checked)",
    "system.jobs.claim_job": "the server's scheduler, once across servers",
    "system.jobs.finish_job": "the server's scheduler",
    "system.jobs.job_states": "the server's health page and metrics",
    "system.database.readiness": "the server's /readyz: reachable and current",
    "system.database.check_file": "the integrity check at open, before anyone logs in",
}

PRODUCTS_FILE = Table("p.csv", ("sku", "name", "category"), (("P-9", "New", "Tools"),), "0" * 64)
STOCK_FILE = Table("s.csv", ("sku", "warehouse", "qty"), (("P-1", "MAIN", "1"),), "1" * 64)
RECEIPTS = apply.ImportOptions(stock_mode="receive")
NOTHING = Planned("receive", None, [], lambda op: ())
LOW = PolicyRule(PolicyKind.REORDER_POINT, point=1000, qty=10)  # raises alert 1 in SHOP


def _order(reference: str) -> PlaceOrder:
    return PlaceOrder(reference, "MAIN", (OrderLine("P-1", 1),))


MATRIX: dict[str, tuple[Permission, Call]] = {
    # look-ups
    "catalog.products.get_product": (
        Permission.VIEW,
        lambda db, a, t: products.get_product(db, "P-1", a),
    ),
    "catalog.products.list_products": (
        Permission.VIEW,
        lambda db, a, t: products.list_products(db, a),
    ),
    "catalog.categories.list_categories": (
        Permission.VIEW,
        lambda db, a, t: categories.list_categories(db, a),
    ),
    "catalog.warehouses.list_warehouses": (
        Permission.VIEW,
        lambda db, a, t: warehouses.list_warehouses(db, a),
    ),
    "catalog.warehouses.get_warehouse": (
        Permission.VIEW,
        lambda db, a, t: warehouses.get_warehouse(db, "MAIN", a),
    ),
    "reads.queries.stock_levels": (Permission.VIEW, lambda db, a, t: queries.stock_levels(db, a)),
    "reads.queries.history": (
        Permission.VIEW,
        lambda db, a, t: queries.history(db, a, LedgerFilter()),
    ),
    "stock.reservations.list_reservations": (
        Permission.VIEW,
        lambda db, a, t: reservations.list_reservations(db, a),
    ),
    "trust.verify.verify": (Permission.VIEW, lambda db, a, t: verify.verify(db, a)),
    "reads.browse.count_products": (
        Permission.VIEW,
        lambda db, a, t: browse.count_products(db, a, ProductQuery()),
    ),
    "reads.browse.product_page": (
        Permission.VIEW,
        lambda db, a, t: browse.product_page(db, a, ProductQuery(), PageRequest()),
    ),
    "reads.browse.find_product": (
        Permission.VIEW,
        lambda db, a, t: browse.find_product(db, a, "P-1"),
    ),
    "reads.browse.count_stock": (
        Permission.VIEW,
        lambda db, a, t: browse.count_stock(db, a, StockQuery()),
    ),
    "reads.browse.stock_page": (
        Permission.VIEW,
        lambda db, a, t: browse.stock_page(db, a, StockQuery(), PageRequest()),
    ),
    "reads.browse.product_rows": (
        Permission.VIEW,
        lambda db, a, t: browse.product_rows(db, a, ProductQuery(), [1]),
    ),
    "reads.browse.stock_rows": (
        Permission.VIEW,
        lambda db, a, t: browse.stock_rows(db, a, StockQuery(), [(1, 1)], [1]),
    ),
    "reads.browse.warehouse_totals": (
        Permission.VIEW,
        lambda db, a, t: browse.warehouse_totals(db, a),
    ),
    "reads.browse.dashboard": (Permission.VIEW, lambda db, a, t: browse.dashboard(db, a)),
    "reads.browse.is_empty": (Permission.VIEW, lambda db, a, t: browse.is_empty(db, a)),
    "reads.dashboard.attention": (Permission.VIEW, lambda db, a, t: dashboard.attention(db, a)),
    "reads.dialog_lookups.resolve_code": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.resolve_code(db, a, "P-1"),
    ),
    "reads.dialog_lookups.stock_figures": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.stock_figures(db, a, ["P-1"], "MAIN"),
    ),
    "reads.dialog_lookups.stock_figure": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.stock_figure(db, a, "P-1", "MAIN"),
    ),
    "reads.dialog_lookups.barcode_owner": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.barcode_owner(db, a, "P-1"),
    ),
    "reads.dialog_lookups.active_warehouses": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.active_warehouses(db, a),
    ),
    "reads.dialog_lookups.product_sku": (
        Permission.VIEW,
        lambda db, a, t: dialog_lookups.product_sku(db, a, 1),
    ),
    "reads.alerts.list_alerts": (Permission.VIEW, lambda db, a, t: alerts.list_alerts(db, a)),
    "reads.alerts.alert_badge_count": (
        Permission.VIEW,
        lambda db, a, t: alerts.alert_badge_count(db, a),
    ),
    "catalog.watching.watched_warehouses": (
        Permission.VIEW,
        lambda db, a, t: watching.watched_warehouses(db, a),
    ),
    "catalog.watching.set_watched_warehouses": (
        Permission.VIEW,
        lambda db, a, t: watching.set_watched_warehouses(db, a, ["MAIN"]),
    ),
    "stock.orders.get_order": (Permission.VIEW, lambda db, a, t: orders.get_order(db, a, "O-1")),
    "stock.orders.list_orders": (Permission.VIEW, lambda db, a, t: orders.list_orders(db, a)),
    "stock.policies.list_policies": (
        Permission.VIEW,
        lambda db, a, t: policies.list_policies(db, a),
    ),
    "stock.policies.effective_policy": (
        Permission.VIEW,
        lambda db, a, t: policies.effective_policy(db, a, "P-1", "SHOP"),
    ),
    "reads.reorder.suggestions": (Permission.VIEW, lambda db, a, t: reorder.suggestions(db, a)),
    # stock operations
    "stock.operations.receive": (
        Permission.STOCK,
        lambda db, a, t: operations.receive(db, ReceiveStock("MAIN", (Line("P-1", 5),)), a),
    ),
    "stock.operations.issue": (
        Permission.STOCK,
        lambda db, a, t: operations.issue(db, IssueStock("MAIN", (Line("P-1", 1),)), a),
    ),
    "stock.operations.transfer": (
        Permission.STOCK,
        lambda db, a, t: operations.transfer(
            db, TransferStock("MAIN", "SHOP", (Line("P-1", 1),)), a
        ),
    ),
    "stock.operations.return_stock": (
        Permission.STOCK,
        lambda db, a, t: operations.return_stock(db, ReturnStock("MAIN", (Line("P-1", 1),)), a),
    ),
    "stock.operations.adjust": (
        Permission.STOCK,
        lambda db, a, t: operations.adjust(db, AdjustStock("P-1", "MAIN", 50, reason="count"), a),
    ),
    # goods in transit, lot traceability, lot expiry alerts
    "stock.transit.ship": (
        Permission.STOCK,
        lambda db, a, t: transit.ship(db, TransferStock("MAIN", "SHOP", (Line("P-1", 1),)), a),
    ),
    "stock.transit.receive_shipment": (
        Permission.STOCK,
        lambda db, a, t: transit.receive_shipment(db, ReceiveShipment("no-such-transfer"), a),
    ),
    "stock.shipments.get_shipment": (
        Permission.VIEW,
        lambda db, a, t: shipments.get_shipment(db, a, "no-such-transfer"),
    ),
    "stock.shipments.list_shipments": (
        Permission.VIEW,
        lambda db, a, t: shipments.list_shipments(db, a),
    ),
    "stock.shipments.in_transit": (Permission.VIEW, lambda db, a, t: shipments.in_transit(db, a)),
    "stock.expiry_alerts.check_expiry": (
        Permission.STOCK,
        lambda db, a, t: expiry_alerts.check_expiry(db, a),
    ),
    "reads.trace.trace_lot": (
        Permission.VIEW,
        lambda db, a, t: trace.trace_lot(db, a, "P-1", "L-1"),
    ),
    "reads.trace.order_lots": (Permission.VIEW, lambda db, a, t: trace.order_lots(db, a, "O-1")),
    "stock.moves.move": (
        Permission.STOCK,
        lambda db, a, t: moves.move(db, MoveStock("P-1", "MAIN", None, "BIN-1", 1), a),
    ),
    "stock.reservations.reserve": (
        Permission.STOCK,
        lambda db, a, t: reservations.reserve(db, ReserveStock("P-1", "MAIN", 1), a),
    ),
    "stock.reservations.commit": (Permission.STOCK, lambda db, a, t: reservations.commit(db, 1, a)),
    "stock.reservations.release": (
        Permission.STOCK,
        lambda db, a, t: reservations.release(db, 2, a),
    ),
    "stock.reservations.sweep": (Permission.STOCK, lambda db, a, t: reservations.sweep(db, a)),
    "stock.operation.run_operation": (
        Permission.STOCK,
        lambda db, a, t: operation.run_operation(db, a, NOTHING),
    ),
    "stock.operation.run_operations": (
        Permission.STOCK,
        lambda db, a, t: operation.run_operations(db, a, [NOTHING]),
    ),
    "stock.orders.place_order": (
        Permission.STOCK,
        lambda db, a, t: orders.place_order(db, _order(f"O-{a.role}"), a),
    ),
    "stock.orders.fulfil_order": (
        Permission.STOCK,
        lambda db, a, t: orders.fulfil_order(db, "O-1", a),
    ),
    "stock.orders.cancel_order": (
        Permission.STOCK,
        lambda db, a, t: orders.cancel_order(db, "O-2", a),
    ),
    "stock.orders.expire_orders": (Permission.STOCK, lambda db, a, t: orders.expire_orders(db, a)),
    # a state change (who saw it, when) made on the floor: a stock right, not a mere look-up
    "reads.alerts.acknowledge": (Permission.STOCK, lambda db, a, t: alerts.acknowledge(db, 1, a)),
    # catalog
    "catalog.products.create_product": (
        Permission.CATALOG,
        lambda db, a, t: products.create_product(db, CreateProduct(f"N-{a.role}", "n", "Tools"), a),
    ),
    "catalog.products.edit_product": (
        Permission.CATALOG,
        lambda db, a, t: products.edit_product(db, EditProduct("P-1", name="Renamed"), a),
    ),
    "catalog.products.set_product_active": (
        Permission.CATALOG,
        lambda db, a, t: products.set_product_active(db, "P-1", True, a),
    ),
    "catalog.products.add_barcode": (
        Permission.CATALOG,
        lambda db, a, t: products.add_barcode(db, "P-1", "4006381333931", 1, a),
    ),
    "catalog.products.remove_barcode": (
        Permission.CATALOG,
        lambda db, a, t: products.remove_barcode(db, "4006381333931", a),
    ),
    "catalog.categories.create_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.create_category(db, f"Cat {a.role}", a),
    ),
    "catalog.categories.rename_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.rename_category(db, "Other", "Other", a),
    ),
    "catalog.categories.set_category_active": (
        Permission.CATALOG,
        lambda db, a, t: categories.set_category_active(db, "Food", True, a),
    ),
    "catalog.categories.move_category": (
        Permission.CATALOG,
        lambda db, a, t: categories.move_category(db, "Office", None, a),
    ),
    "catalog.categories.merge_category": (
        Permission.CATALOG,
        lambda db, a, t: (
            categories.create_category(db, f"Merge {a.role}", SYSTEM),
            categories.merge_category(db, f"Merge {a.role}", "Other", a),
        ),
    ),
    "catalog.warehouses.create_warehouse": (
        Permission.CATALOG,
        lambda db, a, t: warehouses.create_warehouse(db, f"W-{a.role}", "w", a),
    ),
    "catalog.warehouses.edit_warehouse": (
        Permission.CATALOG,
        lambda db, a, t: warehouses.edit_warehouse(db, EditWarehouse("MAIN", name="Main"), a),
    ),
    "catalog.products.get_products": (
        Permission.VIEW,
        lambda db, a, t: products.get_products(db, ["P-1"], a),
    ),
    "stock.picking.plan_picks": (
        Permission.VIEW,
        lambda db, a, t: picking.plan_picks(db, a, ["O-1"]),
    ),
    "stock.picking.packing_list": (
        Permission.VIEW,
        lambda db, a, t: picking.packing_list(db, a, "O-1"),
    ),
    "documents.pick_list.pick_list": (
        Permission.VIEW,
        lambda db, a, t: doc_pick_list.pick_list(db, a, ["O-1"]),
    ),
    "documents.packing_slip.packing_slip": (
        Permission.VIEW,
        lambda db, a, t: doc_packing_slip.packing_slip(db, a, "O-1"),
    ),
    "documents.purchase_order.purchase_order": (
        Permission.VIEW,
        lambda db, a, t: doc_purchase_order.purchase_order(db, a, "PO-1"),
    ),
    "documents.transfer_note.transfer_note": (
        Permission.VIEW,
        lambda db, a, t: doc_transfer_note.transfer_note(db, a, "no-such-transfer"),
    ),
    "labels.sources.product_labels": (
        Permission.VIEW,
        lambda db, a, t: label_sources.product_labels(db, a, ["P-1"]),
    ),
    "labels.sources.location_labels": (
        Permission.VIEW,
        lambda db, a, t: label_sources.location_labels(db, a, "MAIN"),
    ),
    "labels.sources.lot_label": (
        Permission.VIEW,
        lambda db, a, t: label_sources.lot_label(db, a, "P-1", "L-1"),
    ),
    "labels.sources.receipt_labels": (
        Permission.VIEW,
        lambda db, a, t: label_sources.receipt_labels(db, a, [("P-1", 2)]),
    ),
    "catalog.company.get_company": (
        Permission.VIEW,
        lambda db, a, t: company.get_company(db, a),
    ),
    "catalog.company.set_company": (
        Permission.ADMIN,
        lambda db, a, t: company.set_company(db, CompanyDetails(phone="1"), a),
    ),
    "catalog.suppliers.create_supplier": (
        Permission.CATALOG,
        lambda db, a, t: suppliers.create_supplier(db, pur.SupplierDetails(f"S-{a.role}", "s"), a),
    ),
    "catalog.suppliers.edit_supplier": (
        Permission.CATALOG,
        lambda db, a, t: suppliers.edit_supplier(db, pur.SupplierDetails("S-1", phone="1"), a),
    ),
    "catalog.suppliers.link_supplier": (
        Permission.CATALOG,
        lambda db, a, t: suppliers.link_supplier(db, pur.LinkSupplier("S-1", "P-1", min_qty=2), a),
    ),
    "catalog.suppliers.list_suppliers": (
        Permission.VIEW,
        lambda db, a, t: suppliers.list_suppliers(db, a),
    ),
    "catalog.suppliers.get_supplier": (
        Permission.VIEW,
        lambda db, a, t: suppliers.get_supplier(db, "S-1", a),
    ),
    "catalog.suppliers.supplier_links": (
        Permission.VIEW,
        lambda db, a, t: suppliers.supplier_links(db, a, supplier="S-1"),
    ),
    "purchasing.orders.create_po": (
        Permission.PURCHASING,
        lambda db, a, t: po_orders.create_po(db, _po(), a),
    ),
    "purchasing.orders.edit_po": (
        Permission.PURCHASING,
        lambda db, a, t: po_orders.edit_po(db, pur.EditPurchase("PO-2", notes="n"), a),
    ),
    "purchasing.orders.send_po": (
        Permission.PURCHASING,
        lambda db, a, t: po_orders.send_po(db, po_orders.create_po(db, _po(), SYSTEM).number, a),
    ),
    "purchasing.orders.cancel_po": (
        Permission.PURCHASING,
        lambda db, a, t: po_orders.cancel_po(db, po_orders.create_po(db, _po(), SYSTEM).number, a),
    ),
    "purchasing.orders.get_po": (
        Permission.VIEW,
        lambda db, a, t: po_orders.get_po(db, "PO-1", a),
    ),
    "purchasing.orders.list_pos": (
        Permission.VIEW,
        lambda db, a, t: po_orders.list_pos(db, a, status="sent"),
    ),
    "purchasing.receiving.receive_po": (
        Permission.STOCK,
        lambda db, a, t: po_receiving.receive_po(
            db, pur.ReceivePurchase("PO-1", (Line("P-1", 1),)), a
        ),
    ),
    "purchasing.drafts.drafts_from_reorder": (
        Permission.PURCHASING,
        lambda db, a, t: po_drafts.drafts_from_reorder(db, a, "SHOP"),
    ),
    "catalog.locations.add_location": (
        Permission.CATALOG,
        lambda db, a, t: locations.add_location(db, AddLocation("MAIN", f"L-{a.role}"), a),
    ),
    "catalog.locations.edit_location": (
        Permission.CATALOG,
        lambda db, a, t: locations.edit_location(db, EditLocation("MAIN", "BIN-1", name="Bin"), a),
    ),
    "catalog.locations.deactivate_location": (
        Permission.CATALOG,
        lambda db, a, t: locations.deactivate_location(db, "MAIN", "BIN-2", a),
    ),
    "catalog.locations.set_putaway": (
        Permission.CATALOG,
        lambda db, a, t: locations.set_putaway(db, "P-1", "MAIN", "BIN-1", a),
    ),
    "catalog.locations.find_location": (
        Permission.VIEW,
        lambda db, a, t: locations.find_location(db, a, "MAIN", "BIN-1"),
    ),
    "catalog.locations.list_locations": (
        Permission.VIEW,
        lambda db, a, t: locations.list_locations(db, "MAIN", a),
    ),
    "reads.grain.stock_by_grain": (
        Permission.VIEW,
        lambda db, a, t: grain.stock_by_grain(db, a, by_location=True, by_lot=True),
    ),
    "reads.grain.grain_in_use": (
        Permission.VIEW,
        lambda db, a, t: grain.grain_in_use(db, a, "MAIN"),
    ),
    "demo.loader.load_demo": (Permission.CATALOG, lambda db, a, t: loader.load_demo(db, a, days=1)),
    "demo.grain.load_where_and_which": (
        Permission.CATALOG,
        lambda db, a, t: demo_grain.load_where_and_which(db, a),
    ),
    "demo.purchasing.load_purchasing": (  # as loader.load_demo, which calls it
        Permission.CATALOG,
        lambda db, a, t: demo_purchasing.load_purchasing(db, a),
    ),
    "demo.restock_policies.seed_policies": (  # as loader.load_demo, which calls it
        Permission.CATALOG,
        lambda db, a, t: restock_policies.seed_policies(db, a),
    ),
    "catalog.barcodes.replace_barcodes": (
        Permission.CATALOG,
        lambda db, a, t: barcodes.replace_barcodes(db, "P-1", (("5901234123457", 1),), a),
    ),
    "stock.policies.set_policy": (
        Permission.CATALOG,
        lambda db, a, t: policies.set_policy(
            db, SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=1, qty=5)), a
        ),
    ),
    "stock.policies.remove_policy": (
        Permission.CATALOG,
        lambda db, a, t: policies.remove_policy(db, 2, a),
    ),
    # imports of either kind are a manager's (issue: "manager: also ... imports")
    "importing.apply.preview_import": (
        Permission.CATALOG,
        lambda db, a, t: apply.preview_import(
            db, a, ImportKind.PRODUCTS, PRODUCTS_FILE, apply.ImportOptions()
        ),
    ),
    "importing.products.apply_products": (
        Permission.CATALOG,
        lambda db, a, t: import_products.apply_products(db, a, "p.csv", [], lambda i: None),
    ),
    "importing.suppliers.apply_suppliers": (
        Permission.CATALOG,
        lambda db, a, t: import_suppliers.apply_suppliers(db, a, "s.csv", [], lambda i: None),
    ),
    "importing.apply.run_import": (
        Permission.CATALOG,
        lambda db, a, t: apply.run_import(db, a, ImportKind.STOCK, STOCK_FILE, RECEIPTS),
    ),
    # reports
    "reads.audit.list_audit": (
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
    "system.database.replica_status": (
        Permission.ADMIN,
        lambda db, a, t: database.replica_status(db, a),
    ),
    "system.database.upgrade_database": (
        Permission.ADMIN,
        lambda db, a, t: database.upgrade_database(db, a),
    ),
    "system.backup.backup": (
        Permission.ADMIN,
        lambda db, a, t: backup.backup(db, t / f"{a.role}.db", a),
    ),
    "system.backup.restore": (
        Permission.ADMIN,
        lambda db, a, t: backup.restore(db, t / "none.db", a),
    ),
    "catalog.users.add_user": (
        Permission.ADMIN,
        lambda db, a, t: users.add_user(db, f"u-{a.role}", "password 123", "clerk", a),
    ),
    "catalog.users.list_users": (Permission.ADMIN, lambda db, a, t: users.list_users(db, a)),
    "catalog.users.change_password": (
        Permission.ADMIN,  # for someone else's account; one's own is tested in test_users
        lambda db, a, t: users.change_password(db, "boss", "password 456", a),
    ),
    "catalog.users.set_role": (
        Permission.ADMIN,
        lambda db, a, t: users.set_role(db, "ann", "clerk", a),
    ),
    "catalog.users.set_user_active": (
        Permission.ADMIN,
        lambda db, a, t: users.set_user_active(db, "ann", True, a),
    ),
    # accounts' own alert e-mail (oneself; an admin for anyone)
    "outbound.alert_mail.set_alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.set_alert_mail(db, a, a.username, "me@example.com", "digest"),
    ),
    "outbound.alert_mail.alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.alert_mail(db, a, a.username),
    ),
    "outbound.alert_mail.remove_alert_mail": (
        Permission.VIEW,
        lambda db, a, t: alert_mail.remove_alert_mail(db, a, a.username),
    ),
    # webhooks and deliveries
    "outbound.webhooks.add_webhook": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.add_webhook(
            db, a, f"http://127.0.0.1:9/{a.role}", ["stock.changed"]
        ),
    ),
    "outbound.webhooks.list_webhooks": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.list_webhooks(db, a),
    ),
    "outbound.webhooks.remove_webhook": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.remove_webhook(db, a, 999),
    ),
    "outbound.webhooks.test_webhook": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.test_webhook(db, a, 999),
    ),
    "outbound.webhooks.list_deliveries": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.list_deliveries(db, a),
    ),
    "outbound.webhooks.delivery_body": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.delivery_body(db, a, 999),
    ),
    "outbound.webhooks.retry_delivery": (
        Permission.ADMIN,
        lambda db, a, t: webhooks.retry_delivery(db, a, 999),
    ),
    # ledger integrity: seals, verify, the scheduled check and its alerts
    "trust.seals.seal": (Permission.STOCK, lambda db, a, t: seals.seal(db, a)),
    "trust.seals.export": (
        Permission.VIEW,
        lambda db, a, t: seals.export(db, a, t / f"{a.role}-seal.json"),
    ),
    "trust.verify.verify_all": (Permission.VIEW, lambda db, a, t: verify.verify_all(db, a)),
    "trust.integrity.run_check": (Permission.STOCK, lambda db, a, t: integrity.run_check(db, a)),
    "trust.integrity.last_check": (Permission.VIEW, lambda db, a, t: integrity.last_check(db, a)),
    "trust.integrity.open_alerts": (
        Permission.ADMIN,
        lambda db, a, t: integrity.open_alerts(db, a),
    ),
    "trust.integrity.open_alert_count": (
        Permission.VIEW,  # zero for anyone but an admin: only admins see ledger-mismatch alerts
        lambda db, a, t: integrity.open_alert_count(db, a),
    ),
    "trust.integrity.acknowledge": (
        Permission.ADMIN,
        lambda db, a, t: integrity.acknowledge(db, 999, a),
    ),
    "stock.orders.get_order_by_id": (
        Permission.VIEW,
        lambda db, a, t: orders.get_order_by_id(db, a, 1),
    ),
    "catalog.barcodes.save_product": (
        Permission.CATALOG,
        lambda db, a, t: barcodes.save_product(
            db, EditProduct("P-1", name="Saved"), (("P-1", 1),), a
        ),
    ),
    # count sheets: managers open, post and cancel; clerks count; anyone reads
    "counts.sheets.open_count": (
        Permission.CATALOG,
        lambda db, a, t: sheets.open_count(db, OpenCount("MAIN"), a),
    ),
    "counts.sheets.list_counts": (Permission.VIEW, lambda db, a, t: sheets.list_counts(db, a)),
    "counts.sheets.location_codes": (
        Permission.VIEW,
        lambda db, a, t: sheets.location_codes(db, a, "MAIN"),
    ),
    "counts.sheets.cancel_count": (
        Permission.CATALOG,
        lambda db, a, t: sheets.cancel_count(db, 999, a),
    ),
    "counts.lines.record_count": (
        Permission.STOCK,
        lambda db, a, t: lines.record_count(db, RecordCount(1, "-", "P-1", 100), a),
    ),
    "counts.variance.variance": (Permission.VIEW, lambda db, a, t: variance.variance(db, a, 1)),
    "counts.posting.post_count": (
        Permission.CATALOG,
        lambda db, a, t: posting.post_count(db, PostCount(999), a),
    ),
    "channels.tokens.add_token": (
        Permission.ADMIN,
        lambda db, a, t: tokens.add_token(db, a, f"matrix-{a.role.value}", ["read"]),
    ),
    "channels.tokens.list_tokens": (Permission.ADMIN, lambda db, a, t: tokens.list_tokens(db, a)),
    "channels.tokens.revoke_token": (
        Permission.ADMIN,
        lambda db, a, t: tokens.revoke_token(db, a, f"matrix-{a.role.value}"),
    ),
}


def _po() -> pur.CreatePurchase:
    return pur.CreatePurchase("S-1", "MAIN", (pur.OrderLine("P-1", 3),))


def _functions_taking_db() -> set[str]:
    """Public functions taking a `db` first, in the services and the reports packages."""
    found = set()
    modules = [
        (info.name, package.__name__)
        for package in (invdesk.services, invdesk.reports)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        if not info.ispkg
    ]
    for module_name, package_name in modules:
        module = importlib.import_module(module_name)
        short = module_name.removeprefix(f"{package_name}.")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue
            params = list(inspect.signature(obj).parameters)
            if params and params[0] == "db":
                found.add(f"{short}.{name}")
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
    support.location(db, "MAIN", "BIN-1")
    support.product(db, "P-1")
    support.stocked(db, "P-1", 100)
    support.stocked(db, "P-1", 5, "SHOP")
    locations.add_location(db, AddLocation("MAIN", "BIN-2"), SYSTEM)
    users.create_first_admin(db, "boss", "password 123")
    users.add_user(db, "ann", "password 123", "clerk", SYSTEM)
    for _ in range(2):
        reservations.reserve(db, ReserveStock("P-1", "MAIN", 1), SYSTEM)
    policies.set_policy(db, SetPolicy("SHOP", LOW), SYSTEM)  # policy 1, raising alert 1
    policies.set_policy(db, SetPolicy("SHOP", LOW, category="Food"), SYSTEM)  # policy 2
    assert [a.id for a in alerts.list_alerts(db, SYSTEM)] == [1]
    for reference in ("O-1", "O-2"):
        orders.place_order(db, _order(reference), SYSTEM)
    suppliers.create_supplier(db, pur.SupplierDetails("S-1", "Supplier one"), SYSTEM)
    po_orders.send_po(db, po_orders.create_po(db, _po(), SYSTEM).number, SYSTEM)  # PO-000001
    po_orders.create_po(db, _po(), SYSTEM)  # PO-000002, a draft
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
