"""Product charts: built from the ledger, hover read-out, PNG export, and no leak over 100 opens."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from invdesk.domain.security import Actor
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services.stock import operations
from invdesk.services.system.database import open_database
from invdesk.ui.charts.product_chart import ProductChartWidget
from tests import support

MANAGER = Actor("manager")


@pytest.fixture
def history(tmp_path):
    """A product received and sold daily in two warehouses over 120 days."""
    db = open_database(f"sqlite:///{tmp_path}/chart.db")
    start = datetime.now(UTC) - timedelta(days=120)
    clock = {"now": start}
    db.clock = lambda: clock["now"]
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "A-1")
    for day in range(120):
        clock["now"] = start + timedelta(days=day)
        for wh in ("MAIN", "SHOP"):
            if day % 20 == 0:
                operations.receive(db, ReceiveStock(wh, (Line("A-1", 100),)), support.ACTOR)
            operations.issue(db, IssueStock(wh, (Line("A-1", 2 + day % 3),)), support.ACTOR)
    db.clock = lambda: start + timedelta(days=120)
    yield db
    db.dispose()


def test_the_chart_shows_levels_receipts_demand_and_forecast(qtbot, history, tmp_path):
    widget = ProductChartWidget(history, MANAGER, "A-1")
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    series = widget.series
    assert series is not None
    assert [line.name for line in series.levels] == ["MAIN", "SHOP"]
    main = series.levels[0]
    assert main.y[-1] == support.on_hand(history, "A-1", "MAIN")[0]
    assert len(series.receipts[0].x) == 6
    assert len(series.forecast.y) == 90
    assert all(
        lo <= f <= hi
        for lo, f, hi in zip(series.band_low.y, series.forecast.y, series.band_high.y, strict=True)
    )
    text = widget.levels.hover_text(main.x[len(main.x) // 2])
    assert "MAIN:" in text and text[:4].isdigit()
    assert widget.export_png(str(tmp_path / "chart.png"))
    assert (tmp_path / "chart.png").stat().st_size > 1000
    assert "A-1" in widget.note.text()


def test_an_unknown_product_shows_a_message(qtbot, history):
    widget = ProductChartWidget(history, MANAGER, "NOPE")
    qtbot.addWidget(widget)
    assert "NOPE" in widget.note.text()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _open_close(db) -> None:
    widget = ProductChartWidget(db, MANAGER, "A-1")
    widget.resize(600, 400)
    widget.show()
    QCoreApplication.processEvents()
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.mark.slow
def test_opening_and_closing_a_chart_100_times_does_not_leak(qapp, history):
    for _ in range(10):  # warm caches, fonts and the connection pool
        _open_close(history)
    gc.collect()
    before = _rss_mb()
    for _ in range(100):
        _open_close(history)
    gc.collect()
    growth = _rss_mb() - before
    assert growth < 20, f"RSS grew by {growth:.1f} MB"


def test_grid_lines_are_opaque_and_under_the_curves(qtbot, history):
    """Translucent grid lines cost most of each pan frame; drawn over the data they cut the curves."""
    widget = ProductChartWidget(history, MANAGER, "A-1")
    qtbot.addWidget(widget)
    item = widget.levels.getPlotItem()
    curves = [c for c in item.listDataItems() if c.name() in ("MAIN", "SHOP")]
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        assert axis.grid is not False
        assert axis.style["tickAlpha"] == 255
        assert axis.tickPen().color().alpha() == 255
        assert all(axis.zValue() < curve.zValue() for curve in curves)


def test_markers_of_every_warehouse_are_one_item_per_kind(qtbot, history):
    widget = ProductChartWidget(history, MANAGER, "A-1")
    qtbot.addWidget(widget)
    series = widget.series
    assert series is not None
    scatters = [
        i for i in widget.levels.getPlotItem().items if type(i).__name__ == "ScatterPlotItem"
    ]
    receipts = [s for s in scatters if s.name() == "Receipts"]
    assert len(receipts) == 1
    assert len(receipts[0].data) == sum(len(r.x) for r in series.receipts) == 12


def test_day_labels_keep_clear_of_month_labels(qtbot):
    """At a three-month span a day label two days before "Sep" ran into it ("30Sep 04")."""
    from invdesk.ui.charts.time_plot import TimePlot

    plot = TimePlot()
    qtbot.addWidget(plot)
    plot.resize(860, 400)
    plot.show()
    start = datetime(2026, 8, 25, tzinfo=UTC).timestamp()
    plot.setXRange(start, start + 92 * 86400, padding=0)
    plot.grab()  # painted once: the axis knows its font
    axis = plot.getPlotItem().getAxis("bottom")
    (_, months), (_, days) = axis.tickValues(start, start + 92 * 86400, 800)
    assert len(months) == 3 and len(days) >= 8
    step = 5 * 86400
    assert all(abs(day - month) >= 0.8 * step for day in days for month in months)
