"""The SQL form of the restock rule agrees with `domain.restock.assess`, on SQLite and PostgreSQL:
random rows through both (hypothesis), then whole shops through the reorder service and the
row-by-row reference."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Integer, String, cast, literal, select, union_all

from invdesk.domain import purchasing as pur
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy, assess
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders
from invdesk.services.reads import reorder
from invdesk.services.reads.policy_sql import RuleColumns, sql_need
from invdesk.services.stock import operations, policies
from tests import support
from tests.reorder_reference import reference_suggestions

ACTOR = support.ACTOR


@st.composite
def rows(draw: st.DrawFn) -> tuple[PolicyRule, int, int, int | None, int]:
    kind = draw(st.sampled_from(list(PolicyKind)))
    point = draw(st.integers(0, 5_000))
    cover = draw(st.integers(1, 400))
    rule = PolicyRule(
        kind,
        point=point,
        qty=draw(st.integers(1, 5_000)),
        level=point + draw(st.integers(0, 5_000)),
        cover_days=cover,
        lookback_days=draw(st.integers(1, 3650)),
        target_days=cover + draw(st.integers(0, 400)),
    )
    available = draw(st.integers(0, 20_000))
    on_order = draw(st.one_of(st.just(0), st.integers(0, 20_000)))
    lead = draw(st.one_of(st.none(), st.integers(0, 500)))
    units = draw(st.one_of(st.just(0), st.integers(0, 50), st.integers(0, 10_000_000)))
    return rule, available, on_order, lead, units


def _as_sql(batch: list[tuple[PolicyRule, int, int, int | None, int]]) -> object:
    selects = []
    for n, (rule, available, on_order, lead, units) in enumerate(batch):
        selects.append(
            select(
                literal(n, Integer).label("n"),
                cast(literal(rule.kind.value, String), String).label("kind"),
                *(
                    cast(literal(getattr(rule, f), BigInteger), BigInteger).label(f)
                    for f in RuleColumns._fields[1:]
                ),
                cast(literal(available, BigInteger), BigInteger).label("available"),
                cast(literal(on_order, BigInteger), BigInteger).label("on_order"),
                cast(literal(lead, Integer), Integer).label("lead_days"),
                cast(literal(units, BigInteger), BigInteger).label("units_out"),
            )
        )
    v = union_all(*selects).subquery("v")
    need = sql_need(
        RuleColumns(*(v.c[f] for f in RuleColumns._fields)),
        v.c.available,
        v.c.on_order,
        v.c.lead_days,
        v.c.units_out,
    )
    return select(v.c.n, need.below, need.threshold, need.target).order_by(v.c.n)


def test_sql_need_agrees_with_assess_on_random_rows(db):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(rows(), min_size=1, max_size=40))
    def check(batch):
        with db.read() as conn:
            got = conn.execute(_as_sql(batch)).all()
        for (rule, available, on_order, lead, units), (_n, below, threshold, target) in zip(
            batch, got, strict=True
        ):
            demand = units / rule.lookback_days if rule.needs_demand else 0.0
            need = assess(rule, available, demand, on_order, lead)
            assert (bool(below), int(threshold), int(target)) == (
                need.below,
                need.threshold,
                need.target,
            ), (rule, available, on_order, lead, units)

    check()


RULES = [
    PolicyRule(PolicyKind.REORDER_POINT, point=6, qty=10),
    PolicyRule(PolicyKind.MIN_MAX, point=8, level=20),
    PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=5, lookback_days=10, target_days=9),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_suggestions_and_pages_equal_the_row_by_row_reference(db, seed):
    """Random policies at every scope, stock, sales and holds in three warehouses: the SQL-filtered
    list, each warehouse's list and the pages joined up equal the Python reference."""
    rnd = random.Random(seed)
    for code in ("A", "B", "C"):
        support.warehouse(db, code)
    skus = [f"P{n:02d}" for n in range(10)]
    for n, sku in enumerate(skus):
        support.product(db, sku, category=("Tools", "Food")[n % 2])
        for code in ("A", "B", "C"):
            if rnd.random() < 0.85:
                support.stocked(db, sku, rnd.randint(1, 30), code)
    for code in ("A", "B", "C"):
        policies.set_policy(db, SetPolicy(code, rnd.choice(RULES)), ACTOR)
        policies.set_policy(db, SetPolicy(code, rnd.choice(RULES), category="Tools"), ACTOR)
        for sku in rnd.sample(skus, 3):
            policies.set_policy(db, SetPolicy(code, rnd.choice(RULES), product=sku), ACTOR)
    for _ in range(12):
        sku, code = rnd.choice(skus), rnd.choice(("A", "B", "C"))
        if support.on_hand(db, sku, code)[0] > 2:
            operations.issue(db, IssueStock(code, (Line(sku, 2),)), ACTOR)
    # A preferred supplier with a lead time for half the products, and a PO on order.
    suppliers.create_supplier(db, pur.SupplierDetails("ACME", "Acme", lead_days=12), ACTOR)
    for sku in skus[::2]:
        suppliers.link_supplier(db, pur.LinkSupplier("ACME", sku, preferred=True), ACTOR)
    ordered = tuple(pur.OrderLine(sku, rnd.randint(1, 15)) for sku in rnd.sample(skus, 4))
    po = orders.create_po(db, pur.CreatePurchase("ACME", rnd.choice("ABC"), ordered), ACTOR)
    orders.send_po(db, po.number, ACTOR)
    assert reference_suggestions(db, ACTOR)  # the shop has something to reorder
    for warehouse in (None, "A", "B", "C"):
        expected = reference_suggestions(db, ACTOR, warehouse)
        assert reorder.suggestions(db, ACTOR, warehouse) == expected
        for size in (1, 3):
            paged, after = [], None
            while True:
                page = reorder.suggestion_page(db, ACTOR, warehouse, after, limit=size)
                paged += page.rows
                if page.after is None:
                    break
                after = page.after
            assert paged == expected, (warehouse, size)
