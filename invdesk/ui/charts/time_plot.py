"""A time plot: date axis, pan/zoom, a hover read-out of date and value, export to PNG.

Lines use 1-pixel pens with autoDownsample and clipToView, so years of daily points stay smooth
(DESIGN.md section 7).
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

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def _array(values: Sequence[float]) -> np.ndarray[Any, Any]:
    """Values as a float array without copying an array (a list of a million floats is slow)."""
    return np.asarray(values, dtype=float)


def color(i: int) -> QColor:
    return QColor(PALETTE[i % len(PALETTE)])


class TimePlot(pg.PlotWidget):  # type: ignore[misc]
    """A PlotWidget with a UTC date axis, a legend and a tooltip that follows the mouse."""

    def __init__(self, title: str = "", y_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.setBackground("w")
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.2)
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
        self, name: str | None, x: Sequence[float], y: Sequence[float], *, symbol: str, index: int
    ) -> None:
        if not x:
            return
        item = pg.ScatterPlotItem(
            _array(x), _array(y), symbol=symbol, size=8, pen=pg.mkPen(color(index), width=1),
            brush=pg.mkBrush(color(index)), name=name,
        )  # fmt: skip
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
