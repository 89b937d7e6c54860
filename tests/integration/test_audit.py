"""Edits are audited in the same transaction, with every changed field, and read back merged."""

from __future__ import annotations

import json

import pytest

from invdesk.domain.audit import AuditFilter
from invdesk.domain.catalog import CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.errors import Conflict
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import ReserveStock
from invdesk.services.catalog import categories, products, warehouses
from invdesk.services.reads import audit
from invdesk.services.stock import reservations
from tests import support

BOB = Actor("bob", Role.MANAGER)


def _edits(db):
    return [
        (r.user, r.action, r.entity, r.key, json.loads(r.details) if r.details else None)
        for r in audit.list_audit(db, BOB, AuditFilter())
        if r.source == "edit"
    ]


def test_a_product_edit_records_every_changed_field(db):
    products.create_product(db, CreateProduct("A-1", "Anvil", "Tools", price="5"), BOB)

    products.edit_product(
        db, EditProduct("A-1", new_sku="A-2", category="Food", price="7.5", active=False), BOB
    )

    assert _edits(db)[0] == (
        "bob",
        "edit",
        "product",
        "A-2",
        {
            "active": [True, False],
            "category": ["Tools", "Food"],
            "price": ["5", "7.5"],
            "sku": ["A-1", "A-2"],
        },
    )


def test_an_edit_that_changes_nothing_is_not_recorded(db):
    products.create_product(db, CreateProduct("A-1", "Anvil", "Tools"), BOB)

    products.edit_product(db, EditProduct("A-1", name="Anvil"), BOB)

    assert [e[1] for e in _edits(db)] == ["create"]


def test_a_refused_edit_leaves_no_audit_row(db):
    support.warehouse(db, "MAIN")
    view = warehouses.get_warehouse(db, "MAIN", BOB)

    with pytest.raises(Conflict):
        warehouses.edit_warehouse(
            db, EditWarehouse("MAIN", expected_version=view.version + 1, name="X"), BOB
        )

    assert [e[1] for e in _edits(db)] == ["create"]


def test_warehouse_and_category_edits_are_recorded(db):
    support.warehouse(db, "MAIN")
    warehouses.edit_warehouse(db, EditWarehouse("MAIN", address="1 Dock Road"), BOB)
    categories.rename_category(db, "Other", "Misc", BOB)

    assert _edits(db)[:2] == [
        ("bob", "edit", "category", "Other", {"name": ["Other", "Misc"]}),
        ("bob", "edit", "warehouse", "MAIN", {"address": [None, "1 Dock Road"]}),
    ]


def test_policy_edits_and_removals_are_recorded_with_their_user(db):
    from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
    from invdesk.services.stock import policies

    support.warehouse(db)
    rule = PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=20)
    made = policies.set_policy(db, SetPolicy("MAIN", rule), BOB)
    policies.set_policy(db, SetPolicy("MAIN", PolicyRule(PolicyKind.MIN_MAX, 3, level=9)), BOB)
    policies.remove_policy(db, made.id, BOB)

    edits = _edits(db)  # newest first
    assert [(user, action, entity) for user, action, entity, _k, _d in edits[:3]] == [
        ("bob", "delete", "policy"),
        ("bob", "edit", "policy"),
        ("bob", "create", "policy"),
    ]
    assert edits[1][3] == "MAIN warehouse default" and edits[1][4]["kind"] == "min_max"


def test_holds_read_as_held_and_released_not_as_a_zero_change(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, "SKU-1", 10)
    hold = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 3, reference="WEB-7"), BOB)
    reservations.release(db, hold.id, BOB)

    stock_rows = [
        (r.action, r.details)
        for r in audit.list_audit(db, BOB, AuditFilter())
        if r.source == "stock"
    ]

    assert stock_rows == [
        ("release", "released 3 in MAIN (WEB-7)"),
        ("reserve", "held 3 in MAIN (WEB-7)"),
        ("receive", "+10 in MAIN"),
    ]
