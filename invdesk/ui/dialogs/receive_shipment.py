"""Receiving a shipped transfer: scan to tick lines, edit quantities, see the shortfall first."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.transit import ReceivedLine, ReceiveShipment, ShipmentLineView, ShipmentView
from invdesk.services.reads import dialog_lookups
from invdesk.services.stock import transit
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.background import Background
from invdesk.ui.models.columns import ListTableModel
from invdesk.ui.pages.common import table

RECEIVED = 4  # the column a clerk edits
Index = QModelIndex | QPersistentModelIndex


class ReceiptModel(ListTableModel):
    """The shipment's lines still expected, with what arrived of each (editable, 0 to expected)."""

    def __init__(self, lines: list[ShipmentLineView], parent: Any = None) -> None:
        columns = [
            ("SKU", lambda r: r.sku),
            ("Product", lambda r: r.product_name),
            ("Lot / serial", lambda r: r.lot or ""),
            ("Expected", lambda r: r.expected),
            ("Received", lambda r: self.arrived[self._rows.index(r)]),
            ("Short", lambda r: r.expected - self.arrived[self._rows.index(r)]),
        ]
        super().__init__(columns, numeric=(3, 4, 5), parent=parent)
        open_lines = [line for line in lines if line.expected > 0]
        self.arrived = [0] * len(open_lines)
        self.set_rows(open_lines)

    def flags(self, index: Index) -> Qt.ItemFlag:
        found = super().flags(index)
        return found | Qt.ItemFlag.ItemIsEditable if index.column() == RECEIVED else found

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != RECEIVED:
            return False
        try:
            number = int(str(value).replace(",", "").strip() or 0)
        except ValueError:
            return False
        line = self.row_at(index.row())
        if line is None or not 0 <= number <= line.expected:
            return False
        self.set_arrived(index.row(), number)
        return True

    def set_arrived(self, row: int, number: int) -> None:
        self.arrived[row] = number
        self.dataChanged.emit(self.index(row, RECEIVED), self.index(row, RECEIVED + 1))

    def tick(self, sku: str, lot: str | None = None) -> bool:
        """One more unit of `sku` (of `lot`, if scanned) on the first line still missing some."""
        for row, line in enumerate(self._rows):
            wanted = line.sku == sku and (lot is None or line.lot == lot)
            if wanted and self.arrived[row] < line.expected:
                self.set_arrived(row, self.arrived[row] + 1)
                return True
        return False

    def short(self) -> int:
        return sum(line.expected - got for line, got in zip(self._rows, self.arrived, strict=True))

    def lines(self) -> tuple[ReceivedLine, ...]:
        return tuple(
            ReceivedLine(line.sku, got, line.lot)
            for line, got in zip(self._rows, self.arrived, strict=True)
        )


class ReceiveShipmentDialog(QDialog):
    """Receive a shipment: every scan ticks one unit; what is not ticked is short (a recorded
    discrepancy) unless the rest is kept open for a later truck. `posted(receipt)` after posting."""

    posted = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, shipment: ShipmentView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self.shipment = db, actor, shipment
        self.runner: Background = background.default()
        # One request id per opening: a double click or a retry receives once.
        self.request_id = str(uuid.uuid4())
        self.setWindowTitle(f"Receive transfer from {shipment.source}")
        self.resize(760, 440)
        head = QLabel(
            f"{shipment.source} → {shipment.destination}, shipped "
            f"{shipment.shipped_at.astimezone():%Y-%m-%d %H:%M} by {shipment.shipped_by}"
            + (f" ({shipment.reference})" if shipment.reference else ""),
            self,
        )
        self.scan = QLineEdit(self)
        self.scan.setPlaceholderText("Scan or type a SKU or barcode: each scan ticks one unit")
        self.model = ReceiptModel(list(shipment.lines), self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(self.table.EditTrigger.AllEditTriggers)
        self.keep_open = QCheckBox("The rest comes later: keep the transfer &open", self)
        self.summary = QLabel(self)
        self.summary.setObjectName("shortfall")
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.post_button = buttons.addButton("&Receive", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        for widget in (head, self.scan, self.table, self.keep_open, self.summary, self.error):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.scan.returnPressed.connect(self._scanned)
        self.model.dataChanged.connect(self._update)
        self.keep_open.toggled.connect(self._update)
        buttons.rejected.connect(self.reject)
        self.post_button.clicked.connect(self.post)
        self._update()

    def all_arrived(self) -> None:
        """Tick every line in full (a truck that brought everything)."""
        for row, line in enumerate(self.model.rows()):
            self.model.set_arrived(row, line.expected)

    def _scanned(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if code:
            self.add_code(code)

    def add_code(self, code: str) -> None:
        skus = {line.sku for line in self.model.rows()}
        lots = {line.lot: line.sku for line in self.model.rows() if line.lot}
        if code in skus:
            self._ticked(self.model.tick(code), code)
        elif code in lots:  # a serial or lot label
            self._ticked(self.model.tick(lots[code], code), code)
        else:
            self.runner.run(
                lambda: dialog_lookups.resolve_code(self._db, self._actor, code).sku,
                lambda sku: self._ticked(self.model.tick(sku), code),
                lambda error: self.error.setText(getattr(error, "message", str(error))),
                parent=self,
            )

    def _ticked(self, done: bool, code: str) -> None:
        self.error.setText("" if done else f"{code}: nothing more of it is expected.")

    def _update(self, *_: Any) -> None:
        short = self.model.short()
        if short == 0:
            text = "Everything expected has arrived."
        elif self.keep_open.isChecked():
            text = f"{short:,} units stay expected on this transfer."
        else:
            text = f"Short: {short:,} units — recorded as a discrepancy and the transfer closed."
        self.summary.setText(text)

    def command(self) -> ReceiveShipment:
        return ReceiveShipment(
            self.shipment.id, self.model.lines(), self.keep_open.isChecked(), self.request_id
        )

    def post(self) -> None:
        db, actor, cmd = self._db, self._actor, self.command()
        self.post_button.setEnabled(False)

        def failed(error: BaseException) -> None:
            self.post_button.setEnabled(True)
            if not isinstance(error, InvdeskError):
                background.show_error(self, error)
                return
            self.error.setText(error.message)

        def done(receipt: Any) -> None:
            self.posted.emit(receipt)
            self.accept()

        self.runner.run(lambda: transit.receive_shipment(db, cmd, actor), done, failed)
