"""Service and report logic that needs no database: reorder splits, thresholds' reasons, chart
series, retry decisions and the hot path's parameter building. Milliseconds each."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy.exc import OperationalError

from invdesk.db import direct, engine
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.domain.restock import PolicyKind, PolicyRule, PolicyScope, assess
from invdesk.reports import series
from invdesk.reports.filters import Scope
from invdesk.services.catalog.policy_lookup import RowThreshold
from invdesk.services.reads import reorder

ROP = PolicyRule(PolicyKind.REORDER_POINT, point=10, qty=50)
ROW = SimpleNamespace(code="MAIN", sku="A-1", name="Cable", on_hand=4, reserved=0)


def test_a_reorder_takes_surplus_from_the_richest_warehouse_first_then_buys_the_rest():
    need = assess(ROP, 4)
    donors = {"EAST": 20, "WEST": 35, "EMPTY": 0}
    out = reorder._split(ROW, PolicyScope.WAREHOUSE, ROP, need, donors, 0)
    assert [(s.action, s.source, s.suggested_qty) for s in out] == [
        ("transfer", "WEST", 35),
        ("transfer", "EAST", 15),
    ]
    assert donors == {"EAST": 5, "WEST": 0, "EMPTY": 0}  # what is left for the next row


def test_without_donors_the_whole_need_is_a_purchase():
    out = reorder._split(ROW, PolicyScope.PRODUCT, ROP, assess(ROP, 4), {}, 0)
    assert [(s.action, s.suggested_qty, s.threshold) for s in out] == [("purchase", 50, 10)]


def test_a_threshold_says_which_policy_applies_and_why():
    cover = PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=14, lookback_days=30, target_days=45)
    found = RowThreshold(PolicyScope.CATEGORY, cover, 4.5, assess(cover, 20, 4.5))
    assert found.need.threshold == 63 and found.need.below
    assert found.why.startswith("category days of cover: available 20 covers fewer than 14 days")


def _scope(since: datetime, until: datetime) -> Scope:
    return Scope(None, None, None, None, since, until, until)


def test_chart_levels_step_from_the_opening_balance_and_run_flat_to_the_end():
    since = datetime(2026, 3, 1, tzinfo=UTC)
    until = since + timedelta(days=3)
    rows = [
        (since + timedelta(hours=5), "MAIN", "receive", 10, 30, 1),
        (since + timedelta(days=1), "MAIN", "issue", 4, 26, 1),
        (since + timedelta(days=1, hours=2), "MAIN", "issue", 6, 20, 1),
    ]
    walk = series._walk(rows, {"MAIN": 20}, _scope(since, until))
    xs, ys = walk.levels["MAIN"]
    assert ys == [20.0, 30.0, 26.0, 20.0, 20.0]
    assert xs[0] == since.timestamp() and xs[-1] == until.timestamp()
    assert walk.receipts["MAIN"][1] == [30.0]
    assert walk.demand_by_day == {(since + timedelta(days=1)).date(): 10}


def test_demand_days_start_with_the_first_movement_of_a_new_product():
    since = datetime(2026, 3, 1, tzinfo=UTC)
    first = since + timedelta(days=2, hours=3)
    days = series._demand_days([(first,)], {}, _scope(since, since + timedelta(days=5)))
    assert days[0] == first.date() and days[-1] == (since + timedelta(days=5)).date()
    # With an opening balance the product existed all along.
    assert (
        series._demand_days([(first,)], {"MAIN": 1}, _scope(since, since + timedelta(days=5)))[0]
        == since.date()
    )


def test_alert_markers_sit_where_a_level_crosses_its_threshold_or_zero():
    levels = {"MAIN": ([1.0, 2.0, 3.0, 4.0], [20.0, 8.0, 12.0, 0.0])}
    (line,) = series._alerts(levels, {"MAIN": 10})
    assert line.x == (2.0, 4.0) and line.y == (8.0, 0.0)


def test_a_moving_average_is_shorter_at_the_start():
    assert series.moving_average([2, 4, 6, 8], 2) == [2, 3, 5, 7]


def _locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


def test_a_busy_error_that_came_at_once_is_retried_one_after_the_busy_timeout_is_not(monkeypatch):
    error = _locked()
    assert engine.is_retryable(error)
    now = 1000.0
    monkeypatch.setattr(engine.time, "monotonic", lambda: now)
    assert not engine._waited_out(error, started=now - 0.05)
    assert engine._waited_out(error, started=now - engine.SQLITE_BUSY_TIMEOUT_MS / 1000)


def test_a_locked_database_names_the_cause():
    shown = engine.translate(_locked())
    assert isinstance(shown, DatabaseUnavailable)
    assert "locked in the middle of a change for over 10 seconds" in shown.message


def test_positional_parameters_come_in_bind_order_with_defaults_and_processing():
    build = direct._builder(("a", "b", "a", "c"), True, {"c": 7}, {"a": lambda value: value * 10})
    assert build is not None
    assert list(build({"a": 1, "b": 2})) == [10, 2, 10, 7]
    assert list(build({"a": 1, "b": 2, "c": 3})) == [10, 2, 10, 3]  # the caller's value wins
    plain = direct._builder(("x", "y"), True, {}, {})
    assert plain is not None and plain({"x": 1, "y": 2, "z": 3}) == (1, 2)
    single = direct._builder(("x",), True, {}, {})
    assert single is not None and list(single({"x": 5})) == [5]


def test_named_parameters_are_the_callers_dict_unless_something_needs_processing():
    assert direct._builder(("a",), False, {}, {}) is None
    build = direct._builder(("a", "b"), False, {"b": 1}, {"a": str})
    assert build is not None
    params = {"a": 5}
    assert build(params) == {"a": "5", "b": 1}
    assert params == {"a": 5}  # the caller's dict is left as it was
