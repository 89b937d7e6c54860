"""The restock rules: each policy kind, its suggested quantity, and which alert a row deserves."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.domain.restock import AlertKind, PolicyKind, PolicyRule, alert_kind, assess

ROP = PolicyRule(PolicyKind.REORDER_POINT, point=10, qty=50)
MINMAX = PolicyRule(PolicyKind.MIN_MAX, point=20, level=100)
COVER = PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=7, lookback_days=30, target_days=21)


def test_reorder_point_orders_the_reorder_quantity_at_or_below_the_point():
    assert assess(ROP, 10).suggested == 50
    assert assess(ROP, 10).below
    assert not assess(ROP, 11).below
    assert assess(ROP, 11).suggested == 0


def test_min_max_orders_up_to_the_maximum_below_the_minimum():
    need = assess(MINMAX, 15)
    assert need.below and need.suggested == 85 and need.threshold == 20
    assert not assess(MINMAX, 20).below


def test_days_of_cover_orders_for_the_target_days_of_average_demand():
    need = assess(COVER, 30, demand_per_day=5.0)  # 7 days need 35
    assert need.below and need.threshold == 35 and need.suggested == 105 - 30
    assert not assess(COVER, 35, demand_per_day=5.0).below
    assert not assess(COVER, 0, demand_per_day=0.0).below  # no demand, no reorder


def test_zero_available_is_out_of_stock_and_below_a_policy_is_low_stock():
    assert alert_kind(0, None) is AlertKind.OUT_OF_STOCK
    assert alert_kind(5, assess(ROP, 5)) is AlertKind.LOW_STOCK
    assert alert_kind(50, assess(ROP, 50)) is None


@pytest.mark.parametrize(
    "rule",
    [
        PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=0),
        PolicyRule(PolicyKind.MIN_MAX, point=50, level=10),
        PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=10, lookback_days=30, target_days=5),
    ],
)
def test_inconsistent_parameters_are_refused(rule):
    with pytest.raises(ValidationError):
        rule.check()
