"""Receiving against a purchase order: the PO opened in the receive dialog (typed, or its printed
number scanned), its open lines ticked off as the delivery is scanned.

`OpenOrder` holds the PO and its checklist: per line, what was ordered, received before, scanned
in this delivery and still open after it. A scan of a product that is not on the PO is refused
(nothing is added); a line scanned past what is open is shown as over, and posting it asks first.
The PO is read on the application's background runner; a scan never waits for the database
longer than the product look-up every receipt does."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import (
    NUMBER_PREFIX,
    OverLine,
    POLineView,
    POStatus,
    PurchaseOrderView,
    parse_po_number,
)
from invdesk.domain.security import Actor
from invdesk.services.purchasing import orders
from invdesk.services.system.database import Database
from invdesk.ui.background import Background
from invdesk.ui.models.columns import Index, TableModel
from invdesk.ui.widgets import make_table

_DONE = QColor("#dff3e3")
_OVER = QColor("#fdecea")
RECEIVABLE = (POStatus.SENT, POStatus.PARTIAL)


class CheckColumn(enum.IntEnum):
    SKU = 0
    PRODUCT = 1
    ORDERED = 2
    BEFORE = 3
    NOW = 4
    OPEN = 5
    STATE = 6


HEADERS = {
    CheckColumn.SKU: "SKU",
    CheckColumn.PRODUCT: "Product",
    CheckColumn.ORDERED: "Ordered",
    CheckColumn.BEFORE: "Received before",
    CheckColumn.NOW: "This delivery",
    CheckColumn.OPEN: "Still open",
    CheckColumn.STATE: "",
}

CHECK_WIDTHS = {
    CheckColumn.SKU: 100,
    CheckColumn.ORDERED: 100,
    CheckColumn.BEFORE: 150,
    CheckColumn.NOW: 120,
    CheckColumn.OPEN: 110,
    CheckColumn.STATE: 110,
}


def looks_like_po(code: str) -> bool:
    """A scan or a typed code that names a PO (`PO-000123`), not a product."""
    text = code.strip().upper()
    if not text.startswith(NUMBER_PREFIX.rstrip("-")):
        return False
    try:
        parse_po_number(text)
    except InvdeskError:
        return False
    return True


class CheckModel(TableModel):
    """The PO's lines with this delivery's units against them (a product's lines summed)."""

    COLUMNS = CheckColumn
    HEADERS = HEADERS
    NUMERIC = frozenset(
        {CheckColumn.ORDERED, CheckColumn.BEFORE, CheckColumn.NOW, CheckColumn.OPEN}
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[POLineView] = []
        self.rows_by_sku: dict[str, int] = {}
        self.incoming: dict[str, int] = {}

    def row_at(self, row: int) -> POLineView | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def set_order(self, order: PurchaseOrderView | None) -> None:
        self.beginResetModel()
        self.lines = [] if order is None else list(order.lines)
        self.rows_by_sku = {line.sku: row for row, line in enumerate(self.lines)}
        self.incoming = {}
        self.endResetModel()

    def set_incoming(self, incoming: dict[str, int]) -> None:
        """This delivery's units per SKU; repaints only the rows whose count changed."""
        changed = {sku for sku in incoming.keys() | self.incoming.keys()
                   if incoming.get(sku, 0) != self.incoming.get(sku, 0)}  # fmt: skip
        self.incoming = dict(incoming)
        for sku in changed:
            row = self.rows_by_sku.get(sku)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(CheckColumn) - 1))

    def now(self, line: POLineView) -> int:
        return self.incoming.get(line.sku, 0)

    def over(self) -> tuple[OverLine, ...]:
        return tuple(
            OverLine(line.sku, line.ordered, line.received, self.now(line))
            for line in self.lines
            if line.received + self.now(line) > line.ordered
        )

    def display(self, row: POLineView, column: Any) -> str:
        now = self.now(row)
        left = row.ordered - row.received - now
        match column:
            case CheckColumn.SKU:
                return row.sku
            case CheckColumn.PRODUCT:
                return row.product_name
            case CheckColumn.ORDERED:
                return f"{row.ordered:,}"
            case CheckColumn.BEFORE:
                return f"{row.received:,}" if row.received else ""
            case CheckColumn.NOW:
                return f"{now:,}" if now else ""
            case CheckColumn.OPEN:
                return f"{max(0, left):,}"
            case CheckColumn.STATE:
                if left < 0:
                    return f"over by {-left:,}"
                return "✓ complete" if left == 0 else ""
        return ""

    def style(self, row: POLineView, column: Any, role: int) -> Any:
        if role != Qt.ItemDataRole.BackgroundRole:
            return None
        left = row.ordered - row.received - self.now(row)
        if left < 0:
            return QBrush(_OVER)
        return QBrush(_DONE) if left == 0 else None


class OpenOrder(QObject):
    """The PO a receive dialog books against, and its checklist."""

    opened = Signal(object)
    """A PurchaseOrderView that can be received (sent or partly received)."""
    refused = Signal(str)
    """Why a PO could not be opened (unknown number, a draft, closed already)."""
    closed = Signal()
    """The PO field was emptied: the receipt is a plain one again."""

    def __init__(
        self, db: Database, actor: Actor, runner: Callable[[], Background], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self._runner, self._parent = db, actor, runner, parent
        self.order: PurchaseOrderView | None = None
        self.loading: str | None = None
        self.field = QLineEdit(parent)
        self.field.setPlaceholderText("Scan or type the PO number, e.g. PO-000123 (optional)")
        self.field.setMaxLength(20)
        self.model = CheckModel(self)
        self.table: QTableView = make_table(self.model, parent)
        self.table.setMinimumHeight(120)
        header = self.table.horizontalHeader()
        for column, width in CHECK_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CheckColumn.PRODUCT, QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scans go to the scan field
        self.table.hide()
        self.field.returnPressed.connect(lambda: self.open(self.field.text()))

    @property
    def number(self) -> str | None:
        return None if self.order is None else self.order.number

    def open(self, text: str) -> None:
        """Read the PO off the GUI thread; `opened` or `refused` follows."""
        if not text.strip():
            self.close()
            return
        try:
            number = parse_po_number(text, field="po")
        except InvdeskError as error:
            self.refused.emit(error.message)
            return
        if number == self.number:
            return
        self.loading = number
        self.field.setText(number)
        db, actor = self._db, self._actor
        self._runner().run(
            lambda: orders.get_po(db, number, actor),
            self._read,
            self._failed,
            parent=self._parent,
            newest=(self, "po"),
        )

    def _read(self, order: PurchaseOrderView) -> None:
        self.loading = None
        if order.status not in RECEIVABLE:
            why = (
                "is still a draft: send it first"
                if order.status is POStatus.DRAFT
                else (f"is {order.status.value}: nothing is open on it")
            )
            self.field.setText(self.number or "")
            self.refused.emit(f"{order.number} {why}.")
            return
        self.order = order
        self.model.set_order(order)
        self.table.show()
        self.opened.emit(order)

    def _failed(self, error: BaseException) -> None:
        self.loading = None
        self.field.setText(self.number or "")
        message = error.message if isinstance(error, InvdeskError) else f"Could not read: {error}"
        self.refused.emit(message)

    def close(self) -> None:
        had = self.order is not None or self.loading is not None
        self.order, self.loading = None, None
        self.field.clear()
        self.model.set_order(None)
        self.table.hide()
        if had:
            self.closed.emit()

    def refusal(self, sku: str) -> str | None:
        """Why a scanned product cannot be on this delivery (None: it can)."""
        if self.order is None or sku in self.model.rows_by_sku:
            return None
        return f"{sku} is not on {self.order.number}: nothing added."

    def progress(self, sku: str) -> str:
        """What the checklist says of a product after a scan: "12 of 24 open"."""
        row = self.model.rows_by_sku.get(sku)
        if row is None:
            return ""
        line = self.model.lines[row]
        open_before = max(0, line.ordered - line.received)
        now = self.model.now(line)
        if now > open_before:
            return f" — {now:,} of {open_before:,} open: OVER by {now - open_before:,}"
        return f" — {now:,} of {open_before:,} open"
