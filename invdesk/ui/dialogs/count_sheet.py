"""The count-sheet window: scan a location, then the items on it, one after another, no dialog per
product; the variance preview underneath; Post for managers.

A scan of one of the warehouse's location codes sets the location the next items are counted at;
any other code counts one more of that item there (a typed code counts the quantity beside it).
Counts go to the service one at a time, in the order scanned, each with the location that was
current when it was scanned, so a burst of scans delivered late in one lump lands where it was
meant. The window stays open and non-modal, so scans reach it from the app's scanner as well.
"""

from __future__ import annotations

from collections import deque
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.counts import (
    DEFAULT_LOCATION,
    CountLineView,
    CountStatus,
    PostCount,
    PostedCount,
    RecordCount,
    VarianceReport,
)
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.counts import lines, posting, sheets, variance
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.widgets import ScanField, StatusLine
from invdesk.ui.models.columns import ListTableModel, money
from invdesk.ui.pages.common import table


def _flags(line: CountLineView) -> str:
    if line.counted is None:
        return "not counted"
    marks = [("recount", line.recount), ("moved since", line.moved_after)]
    return ", ".join(name for name, on in marks if on)


COLUMNS = (
    ("Location", lambda line: line.location or "default"),
    ("SKU", lambda line: line.sku),
    ("Product", lambda line: line.product_name),
    ("Lot", lambda line: line.lot),
    ("Expected", lambda line: line.expected),
    ("Counted", lambda line: line.counted),
    ("Variance", lambda line: None if line.variance is None else f"{line.variance:+,}"),
    ("Value", lambda line: line.value),
    ("Flags", _flags),
)


class Pending(NamedTuple):
    location: str | None
    code: str
    qty: int


class CountSheetWindow(QDialog):
    """One sheet being counted. `counted(CountLineView)` after each recorded count;
    `posted(PostedCount)` once posted."""

    counted = Signal(object)
    posted = Signal(object)
    previewed = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, sheet: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Count {sheet}")
        self.setModal(False)
        self.resize(980, 640)
        self._db, self._actor, self.sheet = db, actor, sheet
        self._locations: set[str] = set()
        self.location: str | None = None
        self.warehouse: str | None = None
        self._queue: deque[Pending] = deque()
        self._busy = False
        self._open = True
        self.model = ListTableModel(COLUMNS, parent=self)
        self._row_of: dict[int, int] = {}

        self.heading = QLabel(f"Count {sheet}", self)
        self.heading.setObjectName("pageTitle")
        self.where = QLabel(self)
        self.scan = ScanField(self)
        self.scan.setPlaceholderText("Scan a location, then the items on it (Enter after each)")
        self.qty = QSpinBox(self)
        self.qty.setRange(1, 1_000_000)
        self.qty.setToolTip("How many a typed code counts (a scan counts one)")
        default = QPushButton("&Default location", self)
        default.setAutoDefault(False)
        default.clicked.connect(lambda: self._set_location(None))
        self.status = StatusLine(self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.totals = QLabel(self)
        self.uncounted_zero = QCheckBox("&Uncounted lines are zero", self)
        self.refresh_button = QPushButton("&Refresh preview", self)
        self.labels_button = QPushButton("&Labels", self)
        labels_menu = QMenu(self.labels_button)
        labels_menu.addAction("&Product labels for this count…", self.product_labels)
        labels_menu.addAction("&Location labels for this count…", self.location_labels)
        self.labels_button.setMenu(labels_menu)
        self.post_button = QPushButton("&Post count", self)
        for button in (self.refresh_button, self.post_button):
            button.setAutoDefault(False)
        manager = actor.can(Permission.CATALOG)
        self.uncounted_zero.setVisible(manager)
        self.post_button.setVisible(manager)

        entry = QHBoxLayout()
        entry.addWidget(self.scan, 1)
        entry.addWidget(QLabel("Qty", self))
        entry.addWidget(self.qty)
        entry.addWidget(default)
        foot = QHBoxLayout()
        foot.addWidget(self.totals, 1)
        foot.addWidget(self.uncounted_zero)
        foot.addWidget(self.labels_button)
        foot.addWidget(self.refresh_button)
        foot.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        layout.addLayout(entry)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)

        self.scan.code_entered.connect(self._typed)
        self.refresh_button.clicked.connect(self.refresh)
        self.post_button.clicked.connect(self.post)
        self._set_location(None)
        self.refresh()

    # Scans --------------------------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan routed here by the app's scanner: a location, or one more of an item."""
        return self.take(code.strip(), 1)

    def _typed(self, code: str) -> None:
        if self.take(code, self.qty.value()):
            self.scan.clear()
            self.qty.setValue(1)
        self.scan.setFocus()

    def take(self, code: str, qty: int) -> bool:
        """A location code sets where the next items are; anything else is counted there."""
        if not self._open:
            self.status.say(f"Scan {code} not taken: this count is closed.", ok=False)
            return False
        if code == DEFAULT_LOCATION or code.upper() in self._locations:
            self._set_location(None if code == DEFAULT_LOCATION else code.upper())
            self.scan.flash("ok")
            return True
        self._queue.append(Pending(self.location, code, qty))
        self._next()
        return True

    def _set_location(self, code: str | None) -> None:
        self.location = code
        self.where.setText(f"Counting at: <b>{code or 'the default location'}</b>")
        self.status.hint(f"Location {code or 'default'}: scan the items on it.")

    def _next(self) -> None:
        if self._busy or not self._queue:
            return
        self._busy = True
        item = self._queue.popleft()
        db, actor, sheet = self._db, self._actor, self.sheet
        cmd = RecordCount(sheet, item.location or DEFAULT_LOCATION, item.code, item.qty, add=True)
        background.default().run(
            lambda: lines.record_count(db, cmd, actor),
            self._counted,
            lambda error: self._refused(item, error),
            parent=self,
        )

    def _counted(self, line: CountLineView) -> None:
        self._busy = False
        self._put(line)
        self.status.say(
            f"{line.sku} at {line.location or 'default'}: {line.counted:,} counted "
            f"({line.expected:,} expected)",
            ok=True,
        )
        self.scan.flash("ok")
        self._show_totals()
        self.counted.emit(line)
        self._next()

    def _refused(self, item: Pending, error: BaseException) -> None:
        self._busy = False
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
        else:
            self.status.say(f"{item.code}: {error.message}", ok=False)
            self.scan.flash("unknown")
        self._next()

    def _put(self, line: CountLineView) -> None:
        number = self._row_of.get(line.id)
        if number is None:
            number = self._row_of[line.id] = self.model.rowCount()
        self.model.set_row(number, line)
        self.table.scrollTo(self.model.index(number, 0))

    def pending(self) -> int:
        """Counts not yet recorded (queued or on their way)."""
        return len(self._queue) + int(self._busy)

    # Preview and post ---------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor, sheet = self._db, self._actor, self.sheet

        def work() -> tuple[VarianceReport, list[str]]:
            report = variance.variance(db, actor, sheet)
            return report, sheets.location_codes(db, actor, report.sheet.warehouse)

        background.default().run(work, self._show, parent=self, newest=self)

    def _show(self, result: tuple[VarianceReport, list[str]]) -> None:
        report, codes = result
        self._locations = set(codes)
        rows = [*report.counted, *report.uncounted]
        self._row_of = {line.id: n for n, line in enumerate(rows)}
        self.model.set_rows(rows)
        s = report.sheet
        self.heading.setText(f"Count {s.id} · {s.warehouse} · {s.scope}")
        self.warehouse = s.warehouse
        self._open = s.status is CountStatus.OPEN
        self.post_button.setEnabled(self._open)
        self.scan.setEnabled(self._open)
        if not self._open:
            self.status.hint(f"This count is {s.status.value}.")
        self._show_totals()
        self.previewed.emit(report)

    def _show_totals(self) -> None:
        rows = self.model.rows()
        counted = [line for line in rows if line.counted is not None]
        units = sum(line.variance or 0 for line in counted)
        value = sum(line.value or 0 for line in counted)
        flagged = sum(1 for line in counted if line.recount)
        self.totals.setText(
            f"{len(counted):,} of {len(rows):,} lines counted · variance {units:+,} units, "
            f"{money(value)} · {flagged:,} to recount"
        )

    def product_labels(self) -> Any:
        """Labels for the products on the sheet (an unlabelled box found while counting)."""
        from invdesk.ui.printing import label_actions

        skus = [line.sku for line in self.model.rows()]
        if not skus:
            return None
        return label_actions.products(self, self._db, self._actor, skus)

    def location_labels(self) -> Any:
        """Labels for the locations on the sheet (a bin whose label is missing or worn)."""
        from invdesk.ui.printing import label_actions

        codes = list(dict.fromkeys(line.location for line in self.model.rows() if line.location))
        if not codes or self.warehouse is None:
            return None
        return label_actions.locations(self, self._db, self._actor, self.warehouse, codes)

    def post(self) -> None:
        if self.pending():
            self.status.say("Wait until every scan is recorded, then post.", ok=False)
            return
        self.post_button.setEnabled(False)
        db, actor = self._db, self._actor
        cmd = PostCount(self.sheet, uncounted_zero=self.uncounted_zero.isChecked())
        background.default().run(
            lambda: posting.post_count(db, cmd, actor),
            self._posted,
            self._post_refused,
            parent=self,
        )

    def _posted(self, result: PostedCount) -> None:
        self.status.say(
            f"Count {result.sheet} posted: {result.movements:,} adjustments, "
            f"{result.units:+,} units.",
            ok=True,
        )
        self.posted.emit(result)
        self.refresh()

    def _post_refused(self, error: BaseException) -> None:
        self.post_button.setEnabled(True)
        if isinstance(error, InvdeskError):
            self.status.say(error.message, ok=False)
        else:
            background.show_error(self, error)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the scan field (a stray one must not press a button); Escape closes.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
