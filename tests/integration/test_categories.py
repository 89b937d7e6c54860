import pytest

from invdesk.domain.errors import ValidationError
from invdesk.services.catalog import products
from tests import support


def test_receive_then_issue_leaves_the_difference(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    from invdesk.domain.stock import IssueStock, Line
    from invdesk.services.stock import operations

    operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 4),)), support.ACTOR)
    assert support.on_hand(db, "SKU-1") == (6, 0)


def test_a_retired_category_takes_no_new_products(db):

    from invdesk.services.catalog import categories

    categories.set_category_active(db, "food", False, support.ACTOR)
    assert "Food" not in [c.name for c in categories.list_categories(db, support.ACTOR)]
    with pytest.raises(ValidationError, match="retired"):
        support.product(db, "BREAD", category="Food")


def test_categories_nest_one_level_and_show_as_a_path(db):
    from invdesk.services.catalog import categories

    shirts = categories.create_category(db, "Shirts", support.ACTOR, parent="clothing")
    assert (shirts.parent, shirts.path) == ("Clothing", "Clothing > Shirts")
    with pytest.raises(ValidationError, match="one level"):
        categories.create_category(db, "Polo", support.ACTOR, parent="Shirts")
    with pytest.raises(ValidationError, match="one level"):
        categories.move_category(db, "Clothing", "Tools", support.ACTOR)
    with pytest.raises(ValidationError, match="cannot contain"):
        categories.create_category(db, "A > B", support.ACTOR)
    product = support.product(db, "TEE-1", category="Clothing > Shirts")
    assert product.category == "Shirts"
    listed = [(c.path, c.products) for c in categories.list_categories(db, support.ACTOR)]
    assert listed.index(("Clothing", 0)) + 1 == listed.index(("Clothing > Shirts", 1))
    assert categories.move_category(db, "Shirts", None, support.ACTOR).path == "Shirts"


def test_a_merge_moves_products_and_policies_and_is_audited(db):
    from invdesk.domain.audit import AuditFilter
    from invdesk.domain.errors import Conflict, NotFound
    from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
    from invdesk.services.catalog import categories
    from invdesk.services.reads import audit
    from invdesk.services.stock import policies

    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    categories.create_category(db, "Tees", support.ACTOR)
    categories.create_category(db, "Vests", support.ACTOR, parent="Tees")
    for sku in ("T-1", "T-2"):
        support.product(db, sku, category="Tees")
    rule = PolicyRule(PolicyKind.REORDER_POINT, point=4, qty=10)
    policies.set_policy(db, SetPolicy("MAIN", rule, category="Tees"), support.ACTOR)
    policies.set_policy(db, SetPolicy("SHOP", rule, category="Tees"), support.ACTOR)
    own = PolicyRule(PolicyKind.REORDER_POINT, point=9, qty=30)
    policies.set_policy(db, SetPolicy("SHOP", own, category="Clothing"), support.ACTOR)
    tees = next(c for c in categories.list_categories(db, support.ACTOR) if c.name == "Tees")
    with pytest.raises(Conflict):
        categories.merge_category(db, "Tees", "Clothing", support.ACTOR, tees.version + 1)

    merged = categories.merge_category(db, "tees", "Clothing", support.ACTOR, tees.version)

    assert (merged.name, merged.products) == ("Clothing", 2)
    assert products.get_product(db, "T-1", support.ACTOR).category == "Clothing"
    with pytest.raises(NotFound):
        categories.merge_category(db, "Tees", "Clothing", support.ACTOR)
    kept = {
        (p.warehouse, p.target, p.rule.point) for p in policies.list_policies(db, support.ACTOR)
    }
    assert {("MAIN", "Clothing", 4), ("SHOP", "Clothing", 9)} <= kept
    vests = next(c for c in categories.list_categories(db, support.ACTOR) if c.name == "Vests")
    assert vests.path == "Clothing > Vests"
    entry = next(
        r for r in audit.list_audit(db, support.ACTOR, AuditFilter()) if r.action == "merge"
    )
    assert entry.key == "Tees" and '"products": 2' in entry.details
