"""Paged browsing on both databases: keyset and from-the-end pages agree, search uses prefixes."""

from __future__ import annotations

import pytest

from invdesk.domain.browse import PageRequest, ProductQuery, ProductSort, StockQuery, StockSort
from invdesk.domain.errors import NotFound
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.catalog import products
from invdesk.services.reads import browse
from invdesk.services.stock import operations
from tests import support
from tests.support import ACTOR

NAMES = ["delta", "Alpha", "charlie", "bravo", "echo", "alpha"]


@pytest.fixture
def catalogue(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    for n, name in enumerate(NAMES, start=1):
        products.create_product(
            db,
            products.CreateProduct(
                f"SKU-{n:02d}",
                name,
                "Tools",
                price=str(n),
                cost="1.00",
                barcodes=((f"BC{n:04d}", 1),),
            ),
            ACTOR,
        )
    support.stocked(db, "SKU-01", 5)
    support.stocked(db, "SKU-02", 9)
    support.stocked(db, "SKU-02", 3, wh="SHOP")
    return db


def all_rows(db, q, size):
    """Every row by walking keyset pages forwards."""
    rows, after = [], None
    while True:
        page = browse.product_page(db, ACTOR, q, PageRequest(limit=size, after=after))
        rows += page.rows
        if len(page.rows) < size:
            return rows
        after = page.keys[-1]


@pytest.mark.parametrize("sort", list(ProductSort))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_offset_and_from_the_end_pages_agree(catalogue, sort, descending):
    q = ProductQuery(sort=sort, descending=descending)
    forwards = all_rows(catalogue, q, 4)
    by_offset = browse.product_page(catalogue, ACTOR, q, PageRequest(limit=10)).rows
    tail = browse.product_page(catalogue, ACTOR, q, PageRequest(limit=2, from_end=True))
    before = browse.product_page(
        catalogue, ACTOR, q, PageRequest(limit=3, before=tail.keys[0])
    ).rows

    assert [r.sku for r in forwards] == [r.sku for r in by_offset]
    assert len(forwards) == browse.count_products(catalogue, ACTOR, q) == len(NAMES)
    assert list(tail.rows) == forwards[-2:]
    assert list(before) == forwards[-5:-2]


def test_pages_of_one_row_still_visit_every_row_once(catalogue):
    rows = all_rows(catalogue, ProductQuery(sort=ProductSort.NAME), 1)
    assert sorted(r.sku for r in rows) == [f"SKU-{n:02d}" for n in range(1, 7)]


def test_search_matches_the_start_of_sku_name_or_barcode_ignoring_case(catalogue):
    def found(text):
        page = browse.product_page(catalogue, ACTOR, ProductQuery(search=text), PageRequest())
        return [r.sku for r in page.rows]

    assert found("sku-0") == [f"SKU-{n:02d}" for n in range(1, 7)]
    assert found("ALP") == ["SKU-02", "SKU-06"]
    assert found("BC0003") == ["SKU-03"]
    assert found("lpha") == []  # a prefix search, not a substring
    assert found("50%_") == []  # wildcards are plain text
    assert browse.count_products(catalogue, ACTOR, ProductQuery(search="alp")) == 2


def test_inactive_products_and_categories_filter(catalogue):
    products.set_product_active(catalogue, "SKU-04", False, ACTOR)
    assert browse.count_products(catalogue, ACTOR, ProductQuery()) == 5
    assert browse.count_products(catalogue, ACTOR, ProductQuery(include_inactive=True)) == 6
    assert browse.count_products(catalogue, ACTOR, ProductQuery(category="Office")) == 0
    with pytest.raises(NotFound):
        browse.count_products(catalogue, ACTOR, ProductQuery(category="Nope"))


def test_product_rows_carry_a_barcode_and_total_stock(catalogue):
    page = browse.product_page(catalogue, ACTOR, ProductQuery(search="SKU-02"), PageRequest())
    (row,) = page.rows
    assert (row.barcode, row.on_hand, str(row.price)) == ("BC0002", 12, "2.0000")


def test_the_barcode_column_shows_the_unit_code_not_a_case_code(db):
    # "1..." sorts before "4...": the old first-by-text rule showed the case of 12.
    support.product(db, "CAB-1", barcodes=(("14006381333938", 12), ("4006381333931", 1)))
    support.product(db, "CASES-ONLY", barcodes=(("10012345000017", 6),))
    page = browse.product_page(db, ACTOR, ProductQuery(), PageRequest())
    shown = {row.sku: row.barcode for row in page.rows}
    assert shown == {"CAB-1": "4006381333931", "CASES-ONLY": None}


def test_stock_pages_filter_by_warehouse_and_sort_by_available(catalogue):
    operations.issue(catalogue, IssueStock("MAIN", (Line("SKU-02", 8),)), ACTOR)
    q = StockQuery(sort=StockSort.AVAILABLE)
    rows = browse.stock_page(catalogue, ACTOR, q, PageRequest()).rows
    assert [(r.sku, r.warehouse, r.available) for r in rows] == [
        ("SKU-02", "MAIN", 1), ("SKU-02", "SHOP", 3), ("SKU-01", "MAIN", 5),
    ]  # fmt: skip
    assert browse.count_stock(catalogue, ACTOR, StockQuery(warehouse="shop")) == 1
    assert all(r.reorder_point is None and not r.needs_reorder for r in rows)


def test_warehouse_totals_dashboard_and_code_look_up(catalogue):
    totals = {t.code: t for t in browse.warehouse_totals(catalogue, ACTOR)}
    assert (totals["MAIN"].products, totals["MAIN"].units) == (2, 14)
    assert (totals["SHOP"].units, str(totals["SHOP"].value)) == (3, "3.0000")
    summary = browse.dashboard(catalogue, ACTOR)
    assert (summary.products, summary.warehouses, summary.units) == (6, 2, 17)
    assert summary.movements_today == 3 and len(summary.recent) == 3
    match = browse.find_product(catalogue, ACTOR, "BC0002")
    assert (match.sku, match.by_barcode) == ("SKU-02", True)
    with pytest.raises(NotFound):
        browse.find_product(catalogue, ACTOR, "BC9999")
    assert not browse.is_empty(catalogue, ACTOR)


@pytest.mark.parametrize("sort", list(ProductSort)[:2])
def test_sqlite_reads_a_page_in_index_order_without_sorting_the_table(tmp_path, sort):
    from sqlalchemy import event

    from invdesk.services.system.database import open_database

    db = open_database(f"sqlite:///{tmp_path}/plan.db")
    try:
        statements = []
        event.listen(
            db.engine,
            "before_cursor_execute",
            lambda conn, cursor, sql, params, context, many: statements.append((sql, params)),
        )
        browse.product_page(db, ACTOR, ProductQuery(sort=sort), PageRequest(limit=100))
        browse.product_page(
            db, ACTOR, ProductQuery(sort=sort), PageRequest(limit=100, from_end=True)
        )
        pages = [(sql, p) for sql, p in statements if "FROM product" in sql]
        with db.engine.connect() as conn:
            plans = [conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, p).all() for sql, p in pages]
    finally:
        db.dispose()
    assert len(plans) == 2
    for plan in plans:
        steps = " / ".join(row[-1] for row in plan)
        assert "USING INDEX" in steps.split(" / ")[0], steps
        assert "TEMP B-TREE FOR ORDER BY" not in steps, steps
