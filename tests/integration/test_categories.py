from tests import support


def test_receive_then_issue_leaves_the_difference(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    from invdesk.domain.stock import IssueStock, Line
    from invdesk.services import stock

    stock.issue(db, IssueStock("MAIN", (Line("SKU-1", 4),)), support.ACTOR)
    assert support.on_hand(db, "SKU-1") == (6, 0)


def test_a_retired_category_takes_no_new_products(db):
    import pytest

    from invdesk.domain.errors import ValidationError
    from invdesk.services import catalog

    catalog.set_category_active(db, "food", False, support.ACTOR)
    assert "Food" not in [c.name for c in catalog.list_categories(db, support.ACTOR)]
    with pytest.raises(ValidationError, match="retired"):
        support.product(db, "BREAD", category="Food")
