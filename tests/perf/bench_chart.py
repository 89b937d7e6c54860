"""Product chart pan benchmark: three years of daily movements, offscreen Qt.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_chart.py [--warehouses 1 4] [--per-day 1] [--steps 120]

For each warehouse count it builds the product chart (stock level per warehouse as a step line,
receipt and low-stock markers, daily demand, its moving average, the 90-day forecast and its 80%
band) from a synthetic three-year history, shows a quarter of it, then pans across the whole
history the way a mouse drag does: each step is a ViewBox translate, processEvents (the linked
demand plot follows) and a repaint of the whole widget. It prints per-step p50 / p95 / max in ms.
A smooth pan is one frame (about 16 ms); 33 ms is the worst we accept.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

DAYS = 3 * 365


def synthetic_series(warehouses: int, per_day: int, seed: int = 1):  # type: ignore[no-untyped-def]
    """A ProductSeries like product_series() returns for a busy product: `per_day` sales a day in
    each warehouse, a receipt when stock falls to its reorder point, markers at each low point."""
    from invdesk.domain import forecast as fc
    from invdesk.reports.series import Line, ProductSeries, moving_average

    rng = np.random.default_rng(seed)
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=DAYS)
    t0 = start.timestamp()
    levels, receipts, alerts = [], [], []
    demand = np.zeros(DAYS)
    for w in range(warehouses):
        x, y, rx, ry, ax, ay = [t0], [200.0], [], [], [], []
        balance = 200
        for d in range(DAYS):
            for k in range(per_day):
                at = t0 + d * 86400 + 3600 * (8 + w) + k * 600
                sold = int(rng.integers(1, 6))
                balance = max(0, balance - sold)
                demand[d] += sold
                x.append(at)
                y.append(float(balance))
                if balance <= 40:
                    ax.append(at)
                    ay.append(float(balance))
                    balance += 160
                    x.append(at + 60)
                    y.append(float(balance))
                    rx.append(at + 60)
                    ry.append(float(balance))
        x.append(t0 + DAYS * 86400)
        y.append(y[-1])
        code = f"W{w + 1:02d}"
        levels.append(Line(code, tuple(x), tuple(y)))
        receipts.append(Line(code, tuple(rx), tuple(ry)))
        alerts.append(Line(code, tuple(ax), tuple(ay)))
    days = [t0 + d * 86400 for d in range(DAYS)]
    result = fc.forecast(list(demand), horizon=90)
    future = [t0 + (DAYS + h) * 86400 for h in range(1, 91)]
    return ProductSeries(
        sku="CHART-3Y",
        name="Chart product",
        levels=tuple(levels),
        receipts=tuple(receipts),
        alerts=tuple(alerts),
        demand=Line("Daily demand", tuple(days), tuple(float(v) for v in demand)),
        moving_average=Line("7-day average", tuple(days), tuple(moving_average(list(demand), 7))),
        forecast=Line("Forecast", tuple(future), result.daily),
        band_low=Line("Low (80%)", tuple(future), result.low),
        band_high=Line("High (80%)", tuple(future), result.high),
        explanation=result.explanation,
    )


def pan(warehouses: int, per_day: int, steps: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from invdesk.ui.charts.product_chart import ProductChartWidget

    app = QApplication.instance() or QApplication([])
    series = synthetic_series(warehouses, per_day)
    t = time.perf_counter()
    widget = ProductChartWidget.for_series(series)
    widget.resize(1200, 800)
    widget.show()
    app.processEvents()
    widget.repaint()
    first = (time.perf_counter() - t) * 1000
    view = widget.levels.getPlotItem().getViewBox()
    (x0, x1), _ = view.viewRange()
    span = (x1 - x0) / 4
    view.setXRange(x0, x0 + span, padding=0)
    app.processEvents()
    widget.repaint()
    dx = (x1 - x0 - span) / steps
    frames = []
    for _ in range(steps):
        t = time.perf_counter()
        view.translateBy(x=dx)  # what a drag does on each mouse move
        app.processEvents()  # the linked demand plot follows
        widget.repaint()  # both plots paint, as on screen
        frames.append((time.perf_counter() - t) * 1000)
    widget.close()
    widget.deleteLater()
    app.processEvents()
    frames.sort()
    return {
        "points": float(sum(len(line.x) for line in series.levels)),
        "first render": first,
        "p50": statistics.median(frames),
        "p95": frames[int(len(frames) * 0.95) - 1],
        "max": frames[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouses", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--per-day", type=int, default=1, help="sales per day per warehouse")
    parser.add_argument("--steps", type=int, default=120)
    args = parser.parse_args()
    print(f"Pan across {DAYS} days, {args.steps} steps, 1200x800 widget, offscreen Qt; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for n in args.warehouses:
        pan(n, args.per_day, 10)  # warm up fonts, shaders and caches
        f = pan(n, args.per_day, args.steps)
        print(f"  {n} warehouse(s), {f['points']:,.0f} level points: first render "
              f"{f['first render']:6.1f} ms, pan step p50 {f['p50']:5.1f} ms, "
              f"p95 {f['p95']:5.1f} ms, max {f['max']:5.1f} ms", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
