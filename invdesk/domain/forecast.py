"""Demand forecasting, kept explainable: exponential smoothing (simple, Holt, Holt-Winters).

A series is units demanded per day, oldest first. The model is chosen by one-step-ahead error on
the history: simple smoothing (a level), Holt (level and trend) or additive Holt-Winters (level,
trend and a weekly pattern) when the history shows a clear season. A more complex model must beat a
simpler one by SIMPLER_WINS_BY to be chosen. The band is an 80% interval from the one-step error,
widened with the horizon as for simple smoothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

Z_80 = 1.2816
SIMPLER_WINS_BY = 0.95
MIN_SEASONAL_STRENGTH = 0.3
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
BETAS = (0.01, 0.05, 0.1, 0.2, 0.4)
GAMMAS = (0.05, 0.1, 0.2, 0.4)


@dataclass(frozen=True)
class Fit:
    """A fitted model: its final state and its one-step mean squared error on the history."""

    method: str
    level: float
    trend: float
    season: tuple[float, ...]
    mse: float
    alpha: float
    beta: float = 0.0
    gamma: float = 0.0

    def point(self, h: int, n: int) -> float:
        """The forecast h days after the last of n observed days (h >= 1)."""
        value = self.level + h * self.trend
        if self.season:
            value += self.season[(n + h - 1) % len(self.season)]
        return value


@dataclass(frozen=True)
class Forecast:
    """Expected daily demand for the next days, with an 80% band, and how it was made."""

    method: str
    explanation: str
    average_daily: float
    daily: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def total(self, days: int) -> float:
        return sum(self.daily[:days])

    def band_total(self, days: int) -> tuple[float, float]:
        return sum(self.low[:days]), sum(self.high[:days])


def average_daily_demand(series: Sequence[float], days: int | None = None) -> float:
    """Mean units per day over the last `days` days (all of them if None); 0 for no history."""
    window = list(series if days is None else series[-days:])
    return sum(window) / len(window) if window else 0.0


def fit_ses(series: Sequence[float], alpha: float) -> Fit:
    level, sse = float(series[0]), 0.0
    for y in series[1:]:
        sse += (y - level) ** 2
        level += alpha * (y - level)
    return Fit("simple", level, 0.0, (), sse / max(1, len(series) - 1), alpha)


def fit_holt(series: Sequence[float], alpha: float, beta: float) -> Fit:
    level, trend, sse = float(series[1]), float(series[1] - series[0]), 0.0
    for y in series[2:]:
        error = y - (level + trend)
        sse += error**2
        new_level = level + trend + alpha * error
        trend += beta * (new_level - level - trend)
        level = new_level
    return Fit("holt", level, trend, (), sse / max(1, len(series) - 2), alpha, beta)


def fit_holt_winters(
    series: Sequence[float], alpha: float, beta: float, gamma: float, period: int
) -> Fit:
    """Additive Holt-Winters, started from the first two seasons."""
    first = sum(series[:period]) / period
    second = sum(series[period : 2 * period]) / period
    level, trend = first, (second - first) / period
    season = [series[i] - first for i in range(period)]
    sse, count = 0.0, 0
    for t in range(period, len(series)):
        y, s = series[t], season[t % period]
        error = y - (level + trend + s)
        sse += error**2
        count += 1
        new_level = level + trend + alpha * error
        trend += beta * (new_level - level - trend)
        season[t % period] = s + gamma * (1 - alpha) * error
        level = new_level
    # season[k] belongs to days t with t % period == k, counting the first observed day as 0.
    return Fit("holt-winters", level, trend, tuple(season), sse / max(1, count), alpha, beta, gamma)


def seasonal_strength(series: Sequence[float], period: int) -> float:
    """Share of the variance (after removing a moving-average trend) explained by day of season."""
    n = len(series)
    if n < 3 * period:
        return 0.0
    half = period // 2
    detrended: list[tuple[int, float]] = []
    for t in range(half, n - half):
        window = series[t - half : t + half + 1]
        detrended.append((t % period, series[t] - sum(window) / len(window)))
    total = sum(d * d for _, d in detrended)
    if total <= 1e-12:
        return 0.0
    means = [0.0] * period
    counts = [0] * period
    for k, d in detrended:
        means[k] += d
        counts[k] += 1
    means = [m / c if c else 0.0 for m, c in zip(means, counts, strict=True)]
    explained = sum(means[k] ** 2 for k, _ in detrended)
    return explained / total


def best_fit(series: Sequence[float], period: int = 7) -> Fit:
    """The simplest model whose one-step error is not clearly beaten by a more complex one."""
    values = [float(v) for v in series]
    if len(values) < 2:
        level = values[0] if values else 0.0
        return Fit("simple", level, 0.0, (), 0.0, 1.0)
    best = min((fit_ses(values, a) for a in ALPHAS), key=lambda f: f.mse)
    if len(values) >= 14:
        holt = min((fit_holt(values, a, b) for a, b in product(ALPHAS, BETAS)), key=_mse)
        if holt.mse < best.mse * SIMPLER_WINS_BY:
            best = holt
    if seasonal_strength(values, period) >= MIN_SEASONAL_STRENGTH:
        grid = product(ALPHAS[:5], BETAS[:3], GAMMAS)
        hw = min((fit_holt_winters(values, a, b, g, period) for a, b, g in grid), key=_mse)
        if hw.mse < best.mse * SIMPLER_WINS_BY:
            best = hw
    return best


def _mse(fit: Fit) -> float:
    return fit.mse


def _explain(fit: Fit, n: int) -> str:
    if fit.method == "simple":
        return (
            f"Simple exponential smoothing (alpha {fit.alpha:g}) over {n} days: "
            f"a level of {fit.level:.2f} units/day."
        )
    if fit.method == "holt":
        return (
            f"Holt's trend method (alpha {fit.alpha:g}, beta {fit.beta:g}) over {n} days: "
            f"level {fit.level:.2f} units/day, trend {fit.trend:+.3f} units/day each day."
        )
    return (
        f"Holt-Winters with a {len(fit.season)}-day season (alpha {fit.alpha:g}, "
        f"beta {fit.beta:g}, gamma {fit.gamma:g}) over {n} days: level {fit.level:.2f}, "
        f"trend {fit.trend:+.3f}, weekday effects from {min(fit.season):+.1f} "
        f"to {max(fit.season):+.1f} units."
    )


def forecast(series: Sequence[float], horizon: int = 90, period: int = 7) -> Forecast:
    """Daily demand for the next `horizon` days (never below zero) with an 80% band."""
    values = [max(0.0, float(v)) for v in series]
    if not values or not any(values):
        zeros = (0.0,) * horizon
        return Forecast("none", "No demand in the history.", 0.0, zeros, zeros, zeros)
    fit = best_fit(values, period)
    sigma = math.sqrt(fit.mse)
    n = len(values)
    daily, low, high = [], [], []
    for h in range(1, horizon + 1):
        point = max(0.0, fit.point(h, n))
        spread = Z_80 * sigma * math.sqrt(1 + (h - 1) * fit.alpha**2)
        daily.append(point)
        low.append(max(0.0, point - spread))
        high.append(point + spread)
    return Forecast(
        fit.method,
        _explain(fit, n),
        average_daily_demand(values),
        tuple(daily),
        tuple(low),
        tuple(high),
    )


def days_of_cover(on_hand: float, daily: Sequence[float]) -> float | None:
    """Days until the expected demand uses up `on_hand` (fractional); None if it lasts the horizon.

    With a constant daily rate r this is on_hand / r.
    """
    if on_hand <= 0:
        return 0.0
    remaining = float(on_hand)
    for day, demand in enumerate(daily):
        if demand >= remaining:
            return day + (remaining / demand if demand > 0 else 0.0)
        remaining -= demand
    return None


def date_below(
    on_hand: float, threshold: float, daily: Sequence[float], start: date
) -> date | None:
    """The first day (counting from `start` as day 1) on which stock is expected below threshold.

    Returns `start` itself if stock is already below; None if it stays above for the horizon.
    """
    if on_hand < threshold:
        return start
    level = float(on_hand)
    for day, demand in enumerate(daily, start=1):
        level -= demand
        if level < threshold:
            return start + timedelta(days=day)
    return None
