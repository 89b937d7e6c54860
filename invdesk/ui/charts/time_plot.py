"""A time plot: date axis, pan/zoom, a hover read-out of date and value, export to PNG.

Lines use 1-pixel pens with autoDownsample and clipToView, so years of daily points stay smooth
(DESIGN.md section 7). The grid is drawn in an opaque light grey, not with pyqtgraph's
translucent grid: blending forty translucent lines across the plot cost 5-7 ms per axis and frame
offscreen, most of a pan step (tests/perf/bench_chart.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

GRID = "#e6e6e6"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def _array(values: Sequence[float]) -> np.ndarray[Any, Any]:
    """Values as a float array without copying an array (a list of a million floats is slow)."""
    return np.asarray(values, dtype=float)


def color(i: int) -> QColor:
    return QColor(PALETTE[i % len(PALETTE)])


class DateAxis(pg.DateAxisItem):  # type: ignore[misc]
    """A date axis whose minor labels keep clear of the major ones.

    pyqtgraph labels both levels (months and every fifth day, say) and drops a minor tick only
    where it falls exactly on a major one, so "30" and "Sep" and "04" ran together at a month's
    start. A minor tick closer to a major one than most of a minor step is left out.
    """

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        levels = super().tickValues(minVal, maxVal, size)
        if len(levels) < 2 or not levels[0][1]:
            return levels  # type: ignore[no-any-return]
        major = np.sort(np.asarray(levels[0][1], dtype=float))
        kept = [levels[0]]
        for spacing, values in levels[1:]:
            if not values:
                kept.append((spacing, values))
                continue
            ticks = np.asarray(values, dtype=float)
            at = np.clip(np.searchsorted(major, ticks), 1, len(major) - 1) if len(major) > 1 else 0
            gap = np.abs(ticks - major[at])
            if len(major) > 1:
                gap = np.minimum(gap, np.abs(ticks - major[at - 1]))
            # The level's spacing names its unit (a day), not its step (every fifth day).
            step = float(np.min(np.diff(np.sort(ticks)))) if len(ticks) > 1 else float(spacing)
            kept.append((spacing, [v for v, g in zip(values, gap, strict=True) if g >= 0.8 * step]))
        return kept


class TimePlot(pg.PlotWidget):  # type: ignore[misc]
    """A PlotWidget with a UTC date axis, a legend and a tooltip that follows the mouse."""

    def __init__(self, title: str = "", y_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, axisItems={"bottom": DateAxis(utcOffset=0)})
        self.setBackground("w")
        item = self.getPlotItem()
        item.showGrid(x=True, y=True)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            # Opaque grid lines (fast to paint); the major and first minor level only; the axis
            # (and so its grid) under the data, or the lines would cross the curves.
            axis.setTickPen(pg.mkPen(GRID, width=1))
            axis.setStyle(tickAlpha=255, maxTickLevel=1)
            axis.setZValue(-1)
        item.setLabel("left", y_label)
        if title:
            item.setTitle(title)
        item.addLegend(offset=(10, 10))
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        self.setMouseEnabled(x=True, y=False)
        self._curves: list[tuple[str, Any]] = []
        self._label = pg.TextItem(anchor=(0, 1), color="k", fill=pg.mkBrush(255, 255, 255, 220))
        self._label.setZValue(100)
        self._label.hide()
        item.addItem(self._label, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._hover)

    def line(
        self,
        name: str,
        x: Sequence[float],
        y: Sequence[float],
        *,
        index: int = 0,
        step: bool = False,
        dash: bool = False,
    ) -> Any:
        pen = pg.mkPen(
            color(index), width=1, style=Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine
        )
        kwargs: dict[str, Any] = {"pen": pen, "name": name}
        if step and len(x) > 0:
            kwargs["stepMode"] = "right"
        curve = self.getPlotItem().plot(_array(x), _array(y), **kwargs)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        self._curves.append((name, curve))
        return curve

    def band(
        self, x: Sequence[float], low: Sequence[float], high: Sequence[float], index: int
    ) -> None:
        shade = color(index)
        shade.setAlpha(50)
        low_curve = pg.PlotDataItem(_array(x), _array(low), pen=pg.mkPen(None))
        high_curve = pg.PlotDataItem(_array(x), _array(high), pen=pg.mkPen(None))
        fill = pg.FillBetweenItem(low_curve, high_curve, brush=pg.mkBrush(shade))
        for item in (low_curve, high_curve, fill):
            self.getPlotItem().addItem(item)

    def markers(
        self,
        name: str | None,
        groups: Sequence[tuple[Sequence[float], Sequence[float]]],
        *,
        symbol: str,
        first_index: int = 0,
    ) -> None:
        """One scatter item for several groups of markers, group i in colour first_index + i.

        One item rather than one per group: every item costs a bounds check and a paint call on
        each frame of a pan."""
        xs: list[float] = []
        ys: list[float] = []
        brushes, pens = [], []
        for i, (x, y) in enumerate(groups):
            shade = color(first_index + i)
            xs.extend(x)
            ys.extend(y)
            brushes += [pg.mkBrush(shade)] * len(x)
            pens += [pg.mkPen(shade, width=1)] * len(x)
        if not xs:
            return
        item = pg.ScatterPlotItem(
            _array(xs), _array(ys), symbol=symbol, size=8, pen=pens, brush=brushes, name=name
        )
        self.getPlotItem().addItem(item)

    def export_png(self, path: str) -> bool:
        """Save the chart as shown to a PNG file."""
        return bool(self.grab().save(path, "PNG"))

    def clear_plot(self) -> None:
        self.getPlotItem().clear()
        self._curves.clear()
        self.getPlotItem().addItem(self._label, ignoreBounds=True)

    def hover_text(self, x: float) -> str:
        """Date and the value of each line at x (the last point at or before it)."""
        when = datetime.fromtimestamp(x, UTC).strftime("%Y-%m-%d")
        parts = [when]
        for name, curve in self._curves:
            xs, ys = curve.xData, curve.yData
            if xs is None or not len(xs):
                continue
            i = int(xs.searchsorted(x, side="right")) - 1
            if 0 <= i < len(ys):
                parts.append(f"{name}: {ys[i]:,.1f}")
        return "\n".join(parts)

    def _hover(self, pos: QPointF) -> None:
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos):
            self._label.hide()
            return
        point = item.vb.mapSceneToView(pos)
        self._label.setText(self.hover_text(point.x()))
        self._label.setPos(point)
        self._label.show()
