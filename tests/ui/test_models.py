"""Table models page, sort and filter in SQL, and obey the Qt model contract (qtmodeltester)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from invdesk.domain.browse import ProductQuery
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.stock import LedgerFilter, MovementKind
from invdesk.services.stock import policies
from invdesk.ui.models import movements
from invdesk.ui.models.movements import MovementModel
from invdesk.ui.models.products import Column, ProductTableModel
from invdesk.ui.models.stock_levels import LOW, StockLevelModel
from invdesk.ui.models.stock_levels import Column as StockColumn
from tests.ui.conftest import CLERK, SKUS


def skus(model) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


@pytest.fixture
def products(shop_db) -> ProductTableModel:
    model = ProductTableModel(shop_db, CLERK)
    model.page_size = 5
    model.reload()
    return model


def test_the_product_model_passes_the_model_tester(qtmodeltester, products):
    qtmodeltester.check(products, force_py=True)


def test_products_are_counted_and_read_a_page_at_a_time(products):
    assert products.rowCount() == len(SKUS)
    assert products.cached_pages == [0]

    assert products.index(12, Column.SKU).data() == "P-013"

    assert products.cached_pages == [0, 2]
    assert skus(products) == SKUS


def test_the_last_page_is_read_from_the_end_without_the_pages_before(products):
    assert products.index(22, Column.SKU).data() == "P-023"
    assert products.cached_pages == [0, 4]
    # the page before the last one comes by keyset from its neighbour
    assert products.index(19, Column.SKU).data() == "P-020"


def test_sorting_by_a_header_sorts_in_sql(products):
    products.sort(Column.SKU, Qt.SortOrder.DescendingOrder)
    assert skus(products) == list(reversed(SKUS))

    products.sort(Column.CATEGORY, Qt.SortOrder.AscendingOrder)  # not sortable: nothing changes
    assert products.query.sort == "sku" and products.query.descending


def test_search_matches_sku_prefix_name_prefix_and_barcode(products):
    products.set_query(ProductQuery(search="p-01"))
    assert skus(products) == [f"P-{n:03d}" for n in range(10, 20)]

    products.set_query(ProductQuery(search="product p-02"))
    assert skus(products) == ["P-020", "P-021", "P-022", "P-023"]

    products.set_query(ProductQuery(search="1400638"))  # the case barcode's start
    assert skus(products) == ["P-001"]
    # Found by its case code, the row shows the unit barcode (the one a clerk scans per piece).
    assert products.index(0, Column.BARCODE).data() == "4006381333931"


def test_category_and_inactive_filters(shop_db, products):
    from invdesk.services.catalog import products as product_service

    product_service.set_product_active(shop_db, "P-003", False, CLERK)
    products.set_query(ProductQuery(category="Tools"))
    tools = skus(products)
    assert "P-003" not in tools and len(tools) == 11

    products.set_query(ProductQuery(category="Tools", include_inactive=True))
    assert "P-003" in skus(products)
    row = products.row_at(skus(products).index("P-003"))
    assert not row.active
    assert products.index(1, Column.NAME).data().endswith("(inactive)")


def test_an_unknown_category_fails_without_raising_from_data(qtbot, products):
    with qtbot.waitSignal(products.failed):
        products.set_query(ProductQuery(category="Nope"))
    assert products.rowCount() == 0


def test_the_stock_model_shows_available_and_filters_by_warehouse(qtmodeltester, shop_db):
    model = StockLevelModel(shop_db, CLERK)
    model.reload()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 11

    model.set_query(replace(model.query, warehouse="SHOP"))
    assert [(r.sku, r.available) for r in map(model.row_at, range(model.rowCount()))] == [
        ("P-002", 5)
    ]

    model.set_query(replace(model.query, warehouse=None))
    model.sort(StockColumn.AVAILABLE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, StockColumn.AVAILABLE).data() == "100"


def test_rows_at_or_below_their_reorder_point_are_highlighted(shop_db):
    point = PolicyKind.REORDER_POINT
    policies.set_policy(shop_db, SetPolicy("MAIN", PolicyRule(point, point=5, qty=10)), CLERK)
    override = PolicyRule(point, point=10, qty=10)
    policies.set_policy(shop_db, SetPolicy("MAIN", override, product="P-001"), CLERK)
    model = StockLevelModel(shop_db, CLERK)
    model.reload()

    assert model.index(0, StockColumn.REORDER_POINT).data() == "10"
    assert model.index(0, StockColumn.SKU).data(Qt.ItemDataRole.BackgroundRole) == LOW
    assert model.index(1, StockColumn.REORDER_POINT).data() == "5"
    assert model.index(1, StockColumn.SKU).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(2, StockColumn.REORDER_POINT).data() == ""  # SHOP has no policy


def test_the_ledger_grows_with_fetch_more_and_filters(qtmodeltester, shop_db, monkeypatch):
    monkeypatch.setattr(movements, "PAGE_SIZE", 4)
    model = MovementModel(shop_db, CLERK)
    model.set_filter(LedgerFilter())
    assert model.rowCount() == 4 and model.canFetchMore()

    qtmodeltester.check(model, force_py=True)  # fetches more while it checks
    while model.canFetchMore():
        model.fetchMore()

    assert model.rowCount() == 11
    ids = [model.row_at(r).id for r in range(11)]
    assert ids == sorted(ids, reverse=True)

    model.set_filter(LedgerFilter(warehouse="SHOP", kinds=(MovementKind.RECEIVE,)))
    assert model.rowCount() == 1 and not model.canFetchMore()
    assert model.index(0, movements.Column.QTY).data() == "+5"


def test_an_unknown_product_filter_reports_instead_of_raising(qtbot, shop_db):
    model = MovementModel(shop_db, CLERK)
    with qtbot.waitSignal(model.failed) as signal:
        model.set_filter(LedgerFilter(product="NOPE"))
    assert "NOPE" in signal.args[0].message
