"""Policies per warehouse, category and product; alerts raised and resolved with the stock change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invdesk.domain.errors import Conflict, PermissionDenied
from invdesk.domain.restock import AlertKind, AlertStatus, PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services.reads import alerts, reorder
from invdesk.services.stock import events, operations, policies
from tests import support

ROP = PolicyRule(PolicyKind.REORDER_POINT, point=10, qty=40)


def _issue(db, sku, qty, wh="MAIN"):
    operations.issue(db, IssueStock(wh, (Line(sku, qty),)), SYSTEM)


def _receive(db, sku, qty, wh="MAIN"):
    operations.receive(db, ReceiveStock(wh, (Line(sku, qty),)), SYSTEM)


@pytest.fixture
def shop(db):
    support.warehouse(db)
    support.product(db, "A", category="Tools")
    support.product(db, "B", category="Tools")
    support.product(db, "C", category="Food")
    for sku in "ABC":
        support.stocked(db, sku, qty=100)
    return db


def _open(db):
    return {(a.sku, a.kind) for a in alerts.list_alerts(db, SYSTEM)}


def test_most_specific_policy_wins_product_then_category_then_warehouse(shop):
    db = shop
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.MIN_MAX, point=95, level=200)), SYSTEM
    )
    policies.set_policy(
        db,
        SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=50, qty=10), category="Tools"),
        SYSTEM,
    )
    policies.set_policy(
        db,
        SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=7), product="A"),
        SYSTEM,
    )
    _issue(db, "A", 60)  # 40 left: product rule (5) says fine, category rule (50) would not
    _issue(db, "B", 60)  # 40 left: category rule (50) -> low
    _issue(db, "C", 10)  # 90 left: warehouse min/max (95) -> low
    found = {s.sku: s for s in reorder.suggestions(db, SYSTEM, "MAIN")}
    assert set(found) == {"B", "C"}
    assert (found["B"].policy, found["B"].suggested_qty, found["B"].scope.value) == (
        PolicyKind.REORDER_POINT,
        10,
        "category",
    )
    assert (found["C"].policy, found["C"].suggested_qty) == (PolicyKind.MIN_MAX, 110)
    assert _open(db) == {("B", AlertKind.LOW_STOCK), ("C", AlertKind.LOW_STOCK)}


def test_alert_is_raised_in_the_stock_transaction_and_resolved_by_recovery(shop):
    db = shop
    policies.set_policy(db, SetPolicy("MAIN", ROP, product="A"), SYSTEM)
    seen: list[events.Event] = []
    unsubscribe = events.subscribe(db, seen.extend)
    try:
        _issue(db, "A", 95)
        assert _open(db) == {("A", AlertKind.LOW_STOCK)}
        assert any(isinstance(e, events.AlertRaised) for e in seen)
        _issue(db, "A", 5)
        assert _open(db) == {("A", AlertKind.OUT_OF_STOCK)}
        assert alerts.alert_badge_count(db, SYSTEM) == 1
        _receive(db, "A", 100)
        assert _open(db) == set()
        resolved = alerts.list_alerts(db, SYSTEM, statuses=[AlertStatus.RESOLVED])
        assert {a.kind for a in resolved} == {AlertKind.LOW_STOCK, AlertKind.OUT_OF_STOCK}
        assert any(isinstance(e, events.AlertResolved) for e in seen)
    finally:
        unsubscribe()


def test_a_refused_operation_raises_no_alert(shop):
    db = shop
    policies.set_policy(db, SetPolicy("MAIN", ROP, product="A"), SYSTEM)
    with pytest.raises(Exception, match="Not enough"):
        operations.issue(db, IssueStock("MAIN", (Line("A", 95), Line("B", 500))), SYSTEM)
    assert _open(db) == set()


def test_acknowledged_alert_leaves_the_badge_and_stays_until_recovery(shop):
    db = shop
    _issue(db, "C", 100)
    (alert,) = alerts.list_alerts(db, SYSTEM)
    alerts.acknowledge(db, alert.id, SYSTEM)
    assert alerts.alert_badge_count(db, SYSTEM) == 0
    assert alerts.list_alerts(db, SYSTEM)[0].status is AlertStatus.ACKNOWLEDGED
    with pytest.raises(Conflict):
        alerts.acknowledge(db, alert.id, SYSTEM)


def test_policy_change_reevaluates_alerts_and_needs_a_manager(shop):
    db = shop
    with pytest.raises(PermissionDenied):
        policies.set_policy(db, SetPolicy("MAIN", ROP), Actor("clerk", Role.CLERK))
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=100, qty=1)), SYSTEM
    )
    assert len(_open(db)) == 3
    (policy,) = policies.list_policies(db, SYSTEM, "MAIN")
    policies.remove_policy(db, policy.id, SYSTEM)
    assert _open(db) == set()


def test_stale_policy_edit_is_a_conflict(shop):
    db = shop
    first = policies.set_policy(db, SetPolicy("MAIN", ROP), SYSTEM)
    policies.set_policy(db, SetPolicy("MAIN", ROP, expected_version=first.version), SYSTEM)
    with pytest.raises(Conflict):
        policies.set_policy(db, SetPolicy("MAIN", ROP, expected_version=first.version), SYSTEM)


def test_days_of_cover_uses_average_demand_over_the_lookback(shop):
    db = shop
    rule = PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=10, lookback_days=10, target_days=20)
    policies.set_policy(db, SetPolicy("MAIN", rule, product="A"), SYSTEM)
    _issue(db, "A", 40)  # 4/day over 10 days: 10 days of cover = 40; 60 left
    assert reorder.suggestions(db, SYSTEM) == []
    _issue(db, "A", 10)  # 5/day: cover 50, 50 left -> not below
    assert reorder.suggestions(db, SYSTEM) == []
    _issue(db, "A", 10)  # 6/day: cover 60, 40 left -> order 120 - 40
    (s,) = reorder.suggestions(db, SYSTEM)
    assert (s.threshold, s.suggested_qty, s.action) == (60, 80, "purchase")
    later = db.now() + timedelta(days=11)
    db.clock = lambda: later  # the demand has left the window
    assert reorder.suggestions(db, SYSTEM) == []


def test_transfer_from_a_warehouse_with_surplus_comes_before_buying(shop):
    db = shop
    support.warehouse(db, "SHOP")
    policies.set_policy(
        db, SetPolicy("SHOP", PolicyRule(PolicyKind.MIN_MAX, point=10, level=50)), SYSTEM
    )
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.MIN_MAX, point=10, level=80)), SYSTEM
    )
    support.stocked(db, "A", qty=5, wh="SHOP")
    found = [(s.action, s.source, s.suggested_qty) for s in reorder.suggestions(db, SYSTEM, "SHOP")]
    assert found == [("transfer", "MAIN", 20), ("purchase", None, 25)]  # MAIN keeps its 80
    _issue(db, "A", 95)  # MAIN down to 5: no surplus anywhere
    by_wh = {(x.warehouse, x.action): x.suggested_qty for x in reorder.suggestions(db, SYSTEM)}
    assert by_wh == {("MAIN", "purchase"): 75, ("SHOP", "purchase"): 45}


def test_holds_count_against_available_for_alerts(shop):
    from invdesk.domain.stock import ReserveStock
    from invdesk.services.stock import reservations

    db = shop
    held = reservations.reserve(db, ReserveStock("C", "MAIN", 100), SYSTEM)
    assert _open(db) == {("C", AlertKind.OUT_OF_STOCK)}
    reservations.release(db, held.id, SYSTEM)
    assert _open(db) == set()


def test_the_stock_page_shows_the_threshold_of_the_most_specific_policy(shop):
    from invdesk.domain.browse import PageRequest, StockQuery
    from invdesk.services.reads import browse

    db = shop
    warehouse_rule = PolicyRule(PolicyKind.MIN_MAX, point=95, level=200)
    policies.set_policy(db, SetPolicy("MAIN", warehouse_rule), SYSTEM)
    category_rule = PolicyRule(PolicyKind.REORDER_POINT, point=50, qty=10)
    policies.set_policy(db, SetPolicy("MAIN", category_rule, category="Tools"), SYSTEM)
    product_rule = PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=7)
    policies.set_policy(db, SetPolicy("MAIN", product_rule, product="A"), SYSTEM)
    page = browse.stock_page(db, SYSTEM, StockQuery(), PageRequest())
    assert {row.sku: row.reorder_point for row in page.rows} == {"A": 5, "B": 50, "C": 95}
