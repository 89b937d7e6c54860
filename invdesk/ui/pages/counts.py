"""The Count sheets page: the sheets, newest first; open one to count it; managers start new ones
(a warehouse, a zone, some products, or the ABC items due) and cancel them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from invdesk.domain.counts import CountSheetView, CountStatus, OpenCount
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.counts import sheets
from invdesk.services.reads import dialog_lookups
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.count_sheet import CountSheetWindow
from invdesk.ui.dialogs.widgets import StatusLine
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import table

COLUMNS = (
    ("Count", lambda s: s.id),
    ("Warehouse", lambda s: s.warehouse),
    ("Status", lambda s: s.status),
    ("Scope", lambda s: s.scope),
    ("Counted", lambda s: f"{s.counted:,} of {s.lines:,}"),
    ("Opened by", lambda s: s.opened_by),
    ("Opened", lambda s: s.opened_at),
    ("Posted by", lambda s: s.posted_by),
    ("Posted", lambda s: s.posted_at),
)


class NewCountDialog(QDialog):
    """What to count: a warehouse, and optionally a zone, some products, or the ABC items due."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New count")
        self._db, self._actor = db, actor
        self.opened: CountSheetView | None = None
        self.warehouse = QComboBox(self)
        for found in dialog_lookups.active_warehouses(db, actor):
            self.warehouse.addItem(f"{found.code} · {found.name}", found.code)
        self.zone = QLineEdit(self)
        self.zone.setPlaceholderText("a location code: it and every location inside it")
        self.products = QLineEdit(self)
        self.products.setPlaceholderText("SKUs or barcodes, separated by commas")
        self.abc = QCheckBox("Only the ABC items due (A monthly, B quarterly, C yearly)", self)
        self.status = StatusLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Open count")
        buttons.accepted.connect(self.open_count)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Warehouse", self.warehouse)
        form.addRow("Zone", self.zone)
        form.addRow("Products", self.products)
        form.addRow("", self.abc)
        form.addRow(self.status)
        form.addRow(buttons)

    def open_count(self) -> None:
        products = tuple(p.strip() for p in self.products.text().split(",") if p.strip())
        cmd = OpenCount(
            str(self.warehouse.currentData() or ""),
            zone=self.zone.text().strip() or None,
            products=products,
            abc=self.abc.isChecked(),
        )
        # Off the GUI thread: a whole warehouse, or the ABC classes, reads a year of issues.
        self.ok_button.setEnabled(False)
        self.status.say("Opening the count…", ok=True)
        background.default().run(
            lambda: sheets.open_count(self._db, cmd, self._actor),
            self._opened,
            self._refused,
            parent=self,
        )

    def _opened(self, sheet: CountSheetView) -> None:
        self.opened = sheet
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self.status.say(error.message, ok=False)


class CountsPage(TitledPage):
    TITLE = "Count sheets"
    ICON = "adjust"
    SUBTITLE = (
        "Count while trading goes on: each line remembers the stock when it was counted, and "
        "posting books only the difference, so a sale after the count is kept."
    )
    KINDS = frozenset({"stock"})
    window_opened = Signal(object)
    """A count-sheet window was opened (tests and screenshots reach it through this)."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = ListTableModel(COLUMNS, parent=self)
        self.state = QComboBox(self)
        self.state.addItem("Open counts", CountStatus.OPEN.value)
        self.state.addItem("All counts", None)
        self.new_button = QPushButton("New count…", self)
        self.open_button = QPushButton("Open", self)
        self.cancel_button = QPushButton("Cancel count", self)
        manager = actor.can(Permission.CATALOG)
        self.new_button.setVisible(manager)
        self.cancel_button.setVisible(manager)
        self.filters.addWidget(self.state)
        self.filters.addStretch(1)
        for button in (self.new_button, self.open_button, self.cancel_button):
            self.filters.addWidget(button)
        self.table = table(self)
        self.table.setModel(self.model)
        self.body.addWidget(self.table)
        self.windows: list[CountSheetWindow] = []
        self.state.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_count)
        self.cancel_button.clicked.connect(self.cancel_selected)

    def refresh(self) -> None:
        value = self.state.currentData()
        status = CountStatus(value) if value else None
        background.default().run(
            lambda: sheets.list_counts(self.db, self.actor, status=status),
            self._show,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[CountSheetView]) -> None:
        self.model.set_rows(rows)
        self.status.setText(f"{len(rows):,} count sheets")

    def selected(self) -> CountSheetView | None:
        rows = self.table.selectionModel().selectedRows()
        found = self.model.data(rows[0], ROW_ROLE) if rows else None
        return found if isinstance(found, CountSheetView) else None

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_sheet(row.id)

    def open_selected(self) -> None:
        found = self.selected()
        if found is not None:
            self.open_sheet(found.id)

    def open_sheet(self, number: int) -> CountSheetWindow:
        window = CountSheetWindow(self.db, self.actor, number, self.window())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.posted.connect(lambda _r: self.refresh())
        window.counted.connect(lambda _l: self.refresh())
        window.destroyed.connect(lambda: self._forget(window))
        self.windows.append(window)
        window.show()
        window.scan.setFocus()
        self.window_opened.emit(window)
        return window

    def _forget(self, window: CountSheetWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def new_count(self) -> None:
        dialog = NewCountDialog(self.db, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.opened is not None:
            self.refresh()
            self.open_sheet(dialog.opened.id)

    def cancel_selected(self) -> None:
        found = self.selected()
        if found is None:
            return
        background.default().run(
            lambda: sheets.cancel_count(self.db, found.id, self.actor),
            lambda _sheet: self.refresh(),
            self._cancel_refused,
            parent=self,
        )

    def _cancel_refused(self, error: BaseException) -> None:
        if not isinstance(error, InvdeskError):
            background.show_error(self, error)
            return
        self.status.setText(error.message)
        self.refresh()

    def tables(self) -> dict[str, QTableView]:
        return {"counts": self.table}
