"""The Transit page: goods on their way per warehouse pair, the shipments, and receiving them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from invdesk.domain.security import Actor, Permission
from invdesk.domain.transit import ShipmentSummary, ShipmentView, TransitRoute
from invdesk.reports.documents.transfer_note import transfer_note
from invdesk.services.stock import shipments
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.print_document import PrintDocumentDialog
from invdesk.ui.dialogs.receive_shipment import ReceiveShipmentDialog
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import captioned, reselect, table

ROUTES = (
    ("From", lambda r: r.source),
    ("To", lambda r: r.destination),
    ("Transfers", lambda r: r.shipments),
    ("Units expected", lambda r: r.expected),
    ("In transit since", lambda r: r.since),
)
SHIPMENTS = (
    ("Shipped", lambda s: s.shipped_at),
    ("From", lambda s: s.source),
    ("To", lambda s: s.destination),
    ("Status", lambda s: s.status),
    ("Reference", lambda s: s.reference or ""),
    ("Shipped", lambda s: s.shipped),
    ("Received", lambda s: s.received),
    ("Short", lambda s: s.short),
    ("Expected", lambda s: s.expected),
    ("By", lambda s: s.shipped_by),
    ("Transfer id", lambda s: s.id),
)
LINES = (
    ("SKU", lambda x: x.sku),
    ("Product", lambda x: x.product_name),
    ("Lot / serial", lambda x: x.lot or ""),
    ("Expiry", lambda x: x.expiry.isoformat() if x.expiry else ""),
    ("Shipped", lambda x: x.shipped),
    ("Received", lambda x: x.received),
    ("Short", lambda x: x.short),
    ("Expected", lambda x: x.expected),
)
LOT_COLUMN = 2


class TransitPage(TitledPage):
    """In transit per warehouse pair (since when), the transfers, and Receive on the selected one."""

    TITLE = "Transit"
    ICON = "transfer"
    KINDS = frozenset({"stock"})
    SUBTITLE = "Transfers shipped to another site: what is on its way, and receiving it."
    loaded = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.show_filter = QComboBox(self)
        self.show_filter.addItem("In transit", True)
        self.show_filter.addItem("All shipped transfers", False)
        self.receive_button = QPushButton("&Receive…", self)
        self.receive_button.setEnabled(False)
        self.receive_button.setVisible(actor.can(Permission.STOCK))
        self.note_button = QPushButton("Transfer &note…", self)
        self.note_button.setToolTip("The note that travels with the goods: from, to, what")
        self.note_button.setEnabled(False)
        self.filters.addWidget(self.show_filter)
        self.filters.addStretch(1)
        self.filters.addWidget(self.note_button)
        self.filters.addWidget(self.receive_button)
        self.routes = ListTableModel(ROUTES, numeric=(2, 3), parent=self)
        self.shipments = ListTableModel(SHIPMENTS, numeric=(5, 6, 7, 8), parent=self)
        self.lines = ListTableModel(LINES, numeric=(4, 5, 6, 7), parent=self)
        self.route_table, self.shipment_table, self.line_table = (
            self._table(model) for model in (self.routes, self.shipments, self.lines)
        )
        split = QSplitter(Qt.Orientation.Vertical, self)
        for caption, view in (
            ("In transit per warehouse pair", self.route_table),
            ("Transfers", self.shipment_table),
            ("Lines of the selected transfer (double-click a lot to trace it)", self.line_table),
        ):
            split.addWidget(captioned(split, caption, view))
        self.body.addWidget(split)
        self.show_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.shipment_table.selectionModel().selectionChanged.connect(self._selected)
        self.receive_button.clicked.connect(self.receive_selected)
        self.note_button.clicked.connect(self._open_note)
        self.line_table.doubleClicked.connect(self._line_opened)

    def _table(self, model: ListTableModel) -> QTableView:
        view = table(self)
        view.setModel(model)
        return view

    def refresh(self) -> None:
        in_transit = bool(self.show_filter.currentData())
        db, actor = self.db, self.actor

        def work() -> tuple[list[TransitRoute], list[ShipmentSummary]]:
            listed = shipments.list_shipments(db, actor, in_transit=in_transit)
            return shipments.in_transit(db, actor), listed

        def show(found: tuple[list[TransitRoute], list[ShipmentSummary]]) -> None:
            routes, listed = found
            self.routes.set_rows(routes)
            reselect(self.shipment_table, lambda: self.shipments.set_rows(listed), lambda s: s.id)
            expected = sum(r.expected for r in routes)
            self.status.setText(f"{expected:,} units in transit on {len(routes):,} routes")
            self._selected()
            self.loaded.emit()

        background.default().run(work, show, self.show_failure, parent=self, newest=self)

    def selected(self) -> ShipmentSummary | None:
        rows = self.shipment_table.selectionModel().selectedRows()
        return self.shipments.data(rows[0], ROW_ROLE) if rows else None

    def select_first(self) -> None:
        if self.shipments.rowCount():
            self.shipment_table.selectRow(0)

    def _selected(self, *_: Any) -> None:
        chosen = self.selected()
        self.receive_button.setEnabled(chosen is not None and chosen.expected > 0)
        self.note_button.setEnabled(chosen is not None)
        if chosen is None:
            self.lines.set_rows([])
            return
        db, actor = self.db, self.actor
        background.default().run(
            lambda: shipments.get_shipment(db, actor, chosen.id),
            lambda view: self.lines.set_rows(list(view.lines)),
            self.show_failure,
            parent=self,
            newest=(self, "lines"),
        )

    def _line_opened(self, index: QModelIndex) -> None:
        line = self.lines.data(index, ROW_ROLE)
        if line is not None and line.lot:
            self.open_trace.emit(line.sku, line.lot)

    def receive_dialog(self) -> ReceiveShipmentDialog | None:
        """The receive dialog of the selected transfer (read now), not yet shown."""
        chosen = self.selected()
        if chosen is None:
            return None
        view: ShipmentView = shipments.get_shipment(self.db, self.actor, chosen.id)
        dialog = ReceiveShipmentDialog(self.db, self.actor, view, self)
        dialog.posted.connect(lambda _receipt: self.refresh())
        return dialog

    def transfer_note_dialog(self) -> PrintDocumentDialog | None:
        """The transfer note of the selected transfer in a dialog, not yet shown."""
        chosen = self.selected()
        if chosen is None:
            return None
        db, actor, shipment = self.db, self.actor, chosen.id
        return PrintDocumentDialog(
            "Transfer note", lambda: transfer_note(db, actor, shipment), self
        )

    def _open_note(self) -> None:
        dialog = self.transfer_note_dialog()
        if dialog is not None:
            dialog.open()

    def receive_selected(self) -> None:
        dialog = self.receive_dialog()
        if dialog is not None:
            dialog.open()

    def tables(self) -> dict[str, QTableView]:
        return {
            "transit-routes": self.route_table,
            "transit-shipments": self.shipment_table,
            "transit-lines": self.line_table,
        }
