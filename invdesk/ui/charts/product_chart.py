"""The product chart: stock per warehouse over time, daily demand and the forecast with its band."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.reports.series import ProductSeries, product_series
from invdesk.services.system.database import Database
from invdesk.ui.charts.time_plot import TimePlot


class ProductChartWidget(QWidget):
    """Two linked plots for one product; embed it in the product view."""

    def __init__(
        self,
        db: Database | None,
        actor: Actor | None,
        sku: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self._sku = db, actor, sku
        self.levels = TimePlot("Stock on hand", "units")
        self.demand = TimePlot("Daily demand and forecast", "units/day")
        self.demand.setXLink(self.levels)
        self.note = QLabel()
        self.note.setWordWrap(True)
        export = QPushButton("Export PNG…")
        export.clicked.connect(self._export)
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.levels, 3)
        layout.addWidget(self.demand, 2)
        layout.addLayout(bar)
        self.series: ProductSeries | None = None
        self.refresh()

    @classmethod
    def for_series(cls, series: ProductSeries, parent: QWidget | None = None) -> ProductChartWidget:
        """A chart of series already read (benchmarks, previews): it reads nothing itself."""
        widget = cls(None, None, series.sku, parent)
        widget.show_series(series)
        return widget

    def refresh(self) -> None:
        if self._db is None or self._actor is None:
            return
        try:
            series = product_series(self._db, self._actor, self._sku)
        except InvdeskError as error:
            self.note.setText(error.message)
            return
        self.show_series(series)

    def show_series(self, series: ProductSeries) -> None:
        self.series = series
        self.levels.clear_plot()
        self.demand.clear_plot()
        for i, line in enumerate(series.levels):
            self.levels.line(line.name, line.x, line.y, index=i, step=True)
        self.levels.markers("Receipts", [(r.x, r.y) for r in series.receipts], symbol="t1")
        self.levels.markers("Low stock / out", [(a.x, a.y) for a in series.alerts], symbol="x")
        d = series
        self.demand.line(d.demand.name, d.demand.x, d.demand.y, index=7)
        self.demand.line(d.moving_average.name, d.moving_average.x, d.moving_average.y, index=0)
        self.demand.band(d.band_low.x, d.band_low.y, d.band_high.y, index=1)
        self.demand.line(d.forecast.name, d.forecast.x, d.forecast.y, index=1, dash=True)
        self.note.setText(f"{series.sku} · {series.name}. Forecast: {series.explanation}")

    def export_png(self, path: str) -> bool:
        return bool(self.grab().save(path, "PNG"))

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export chart", f"{self._sku}.png", "PNG (*.png)"
        )
        if path:
            self.export_png(path)
