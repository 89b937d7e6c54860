"""Forecasts on synthetic series whose level, trend and season are known."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from invdesk.domain import forecast as fc


def test_a_constant_series_forecasts_its_level_with_no_band():
    result = fc.forecast([10.0] * 60, horizon=30)
    assert result.method == "simple"
    assert result.daily == pytest.approx((10.0,) * 30)
    assert result.low == pytest.approx(result.high)
    assert result.total(30) == pytest.approx(300.0)
    assert result.average_daily == pytest.approx(10.0)


def test_a_noisy_level_is_recovered_and_the_band_holds_most_days():
    rng = random.Random(7)
    series = [20 + rng.gauss(0, 3) for _ in range(200)]
    result = fc.forecast(series, horizon=30)
    assert result.method == "simple"
    assert result.daily[0] == pytest.approx(20, abs=1.5)
    future = [20 + rng.gauss(0, 3) for _ in range(30)]
    inside = sum(lo <= y <= hi for y, lo, hi in zip(future, result.low, result.high, strict=True))
    assert inside >= 20  # an 80% band


def test_a_linear_trend_is_continued_by_holt():
    series = [5 + 0.5 * t for t in range(90)]
    result = fc.forecast(series, horizon=30)
    assert result.method == "holt"
    for h in (1, 10, 30):
        assert result.daily[h - 1] == pytest.approx(5 + 0.5 * (89 + h), rel=1e-6)
    assert "trend +0.500" in result.explanation


def test_a_weekly_season_is_found_and_projected():
    pattern = [2, 4, 6, 8, 10, 30, 40]  # busy weekends
    series = [10 + pattern[t % 7] for t in range(16 * 7)]
    assert fc.seasonal_strength(series, 7) > 0.9
    result = fc.forecast(series, horizon=14)
    assert result.method == "holt-winters"
    for h in range(1, 15):
        t = len(series) + h - 1
        assert result.daily[h - 1] == pytest.approx(10 + pattern[t % 7], abs=1e-6)


def test_season_with_trend_and_noise_stays_close():
    rng = random.Random(3)
    pattern = [-5, -3, 0, 1, 2, 8, -3]
    series = [30 + 0.1 * t + pattern[t % 7] + rng.gauss(0, 1) for t in range(26 * 7)]
    result = fc.forecast(series, horizon=28)
    assert result.method == "holt-winters"
    n = len(series)
    truth = [30 + 0.1 * (n + h - 1) + pattern[(n + h - 1) % 7] for h in range(1, 29)]
    error = math.sqrt(sum((a - b) ** 2 for a, b in zip(result.daily, truth, strict=True)) / 28)
    assert error < 2.0


def test_a_series_without_season_is_not_given_one():
    assert fc.seasonal_strength([5.0] * 50, 7) == 0.0
    rng = random.Random(1)
    assert fc.seasonal_strength([rng.gauss(10, 2) for _ in range(200)], 7) < 0.3


def test_no_demand_forecasts_zero():
    result = fc.forecast([0, 0, 0], horizon=5)
    assert result.method == "none"
    assert result.total(5) == 0
    assert fc.forecast([], horizon=3).daily == (0.0, 0.0, 0.0)


def test_the_forecast_never_goes_below_zero():
    series = [50 - t for t in range(50)]
    result = fc.forecast(series, horizon=30)
    assert min(result.daily) == 0.0
    assert min(result.low) >= 0.0


def test_average_daily_demand_over_a_window():
    assert fc.average_daily_demand([1, 2, 3, 10, 10]) == 5.2
    assert fc.average_daily_demand([1, 2, 3, 10, 10], days=2) == 10
    assert fc.average_daily_demand([]) == 0.0


def test_days_of_cover_at_a_constant_rate_is_stock_over_rate():
    assert fc.days_of_cover(100, [4.0] * 90) == pytest.approx(25.0)
    assert fc.days_of_cover(10, [4.0] * 90) == pytest.approx(2.5)
    assert fc.days_of_cover(0, [4.0] * 90) == 0.0
    assert fc.days_of_cover(1000, [4.0] * 90) is None


def test_date_stock_falls_below_its_threshold():
    start = date(2026, 1, 1)
    # 100 on hand, 10 a day, threshold 35: 40 left after day 6, 30 after day 7.
    assert fc.date_below(100, 35, [10.0] * 30, start) == date(2026, 1, 8)
    assert fc.date_below(20, 35, [10.0] * 30, start) == start
    assert fc.date_below(1000, 35, [1.0] * 30, start) is None
