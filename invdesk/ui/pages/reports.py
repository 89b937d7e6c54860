"""The Reports page: pick a report and filters, write it to .xlsx in the background (progress and
cancel), and see units on hand per warehouse over the period."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.security import Actor, Permission
from invdesk.reports import runner
from invdesk.reports.filters import DEFAULT_DAYS, ReportFilter
from invdesk.reports.series import warehouse_trend
from invdesk.services.catalog import categories, warehouses
from invdesk.services.system.database import Database
from invdesk.ui.background import Background, Job, failure_text
from invdesk.ui.charts.time_plot import TimePlot
from invdesk.ui.pages.base import Page

ALL = "All"


class ReportsPage(Page):
    TITLE = "Reports"
    ICON = "reports"
    PERMISSION = Permission.REPORTS
    report_written = Signal(str)
    report_failed = Signal(str)

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        self._job: Job | None = None
        self._chart_job: Job | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.background = Background(self, self.pool)

        self.report = QComboBox()
        for name in runner.report_names():
            self.report.addItem(runner.title_of(name), name)
        self.report.setCurrentIndex(self.report.findData(runner.FULL))
        self.warehouse = QComboBox()
        self.category = QComboBox()
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-DEFAULT_DAYS), calendarPopup=True)
        self.until = QDateEdit(today, calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.report.currentIndexChanged.connect(self._describe)

        self.generate_button = QPushButton("Generate…")
        self.generate_button.clicked.connect(self._ask_and_generate)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Report", self.report)
        form.addRow("", self.description)
        form.addRow("Warehouse", self.warehouse)
        form.addRow("Category", self.category)
        form.addRow("From", self.since)
        form.addRow("Until (inclusive)", self.until)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addStretch(1)

        self.chart = TimePlot("Units on hand per warehouse (end of day)", "units")
        chart_button = QPushButton("Update chart")
        chart_button.clicked.connect(self.load_chart)
        export_button = QPushButton("Export chart PNG…")
        export_button.clicked.connect(self._export_chart)
        chart_bar = QHBoxLayout()
        chart_bar.addStretch(1)
        chart_bar.addWidget(chart_button)
        chart_bar.addWidget(export_button)
        right = QVBoxLayout()
        right.addWidget(self.chart, 1)
        right.addLayout(chart_bar)

        layout = QHBoxLayout(self)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(380)
        layout.addWidget(side_widget)
        layout.addLayout(right, 1)
        self._chart_shown = False
        self._describe()
        self.refresh()

    # --- filters -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the warehouse and category lists (keeping the choice)."""
        self._fill(
            self.warehouse,
            [w.code for w in warehouses.list_warehouses(self._db, self._actor)],
        )
        self._fill(
            self.category, [c.name for c in categories.list_categories(self._db, self._actor)]
        )

    @staticmethod
    def _fill(combo: QComboBox, values: list[str]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(ALL, None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))

    def filters(self) -> ReportFilter:
        def start_of(day: QDate) -> datetime:
            return datetime.combine(day.toPython(), time(), tzinfo=UTC)  # type: ignore[arg-type]

        return ReportFilter(
            warehouse=self.warehouse.currentData(),
            category=self.category.currentData(),
            since=start_of(self.since.date()),
            until=start_of(self.until.date()) + timedelta(days=1),
        )

    def _describe(self) -> None:
        name = self.report.currentData()
        if name == runner.FULL:
            self.description.setText("Every report in one workbook, with charts.")
        else:
            self.description.setText(runner.REPORTS[name].description)

    # --- generating ----------------------------------------------------------------------------

    def _ask_and_generate(self) -> None:
        name = self.report.currentData()
        suggested = f"{name}-{datetime.now():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Save report", suggested, "Excel (*.xlsx)")
        if path:
            self.generate(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def generate(self, path: str) -> Job:
        """Write the chosen report to `path` in the background; returns the running job."""
        name, flt = self.report.currentData(), self.filters()
        db, actor = self._db, self._actor

        def work(progress: Any, cancelled: Any) -> runner.ReportResult:
            return runner.generate(
                db, actor, name, Path(path), flt, progress=progress, cancelled=cancelled
            )

        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.show()
        self.status.setText(f"Writing {runner.title_of(name)}…")
        job = self.background.start(work, self._written, self._failed, on_progress=self._progressed)
        job.finished.connect(self._finished)
        self._job = job
        return job

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.status.setText("Cancelling…")

    def _progressed(self, rows: int) -> None:
        self.status.setText(f"{rows:,} rows written…")

    def _written(self, result: runner.ReportResult) -> None:
        self.status.setText(f"Saved {result.path.name}: {result.rows:,} rows.")
        self.report_written.emit(str(result.path))

    def _failed(self, error: Exception) -> None:
        message = failure_text(
            error, cancelled="Cancelled; no file was written.", failed="The report failed"
        )
        self.status.setText(message)
        self.report_failed.emit(message)

    def _finished(self) -> None:
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    # --- chart -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._chart_shown:  # the page opens with its chart, not an empty plot
            self._chart_shown = True
            self.load_chart()

    def load_chart(self) -> Job:
        db, actor, flt = self._db, self._actor, self.filters()
        job = self.background.run(
            lambda: warehouse_trend(db, actor, flt), self._show_chart, self._failed
        )
        self._chart_job = job
        return job

    def _show_chart(self, lines: Any) -> None:
        self.chart.clear_plot()
        for i, line in enumerate(lines):
            self.chart.line(line.name, line.x, line.y, index=i)

    def _export_chart(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export chart", "stock.png", "PNG (*.png)")
        if path:
            self.chart.export_png(path)

    def wait_for_jobs(self, timeout_ms: int = 30000) -> bool:
        """Block until background work ends (used when closing, and by tests)."""
        return bool(self.pool.waitForDone(timeout_ms))

    def closeEvent(self, event: Any) -> None:
        self.background.cancel_all()
        self.wait_for_jobs()
        super().closeEvent(event)
