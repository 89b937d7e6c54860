"""The Traceability page: enter or scan a lot or serial; its history, where it is, who got it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSplitter, QTableView, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.trace import LotTrace
from invdesk.services.reads import trace
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.columns import ListTableModel
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import captioned, table

HISTORY = (
    ("When", lambda m: m.at),
    ("What", lambda m: m.kind),
    ("Warehouse", lambda m: m.warehouse),
    ("Location", lambda m: m.location or ""),
    ("Quantity", lambda m: m.qty),
    ("User", lambda m: m.user),
    ("Reference", lambda m: m.reference or ""),
    ("Transfer", lambda m: m.transfer_id or ""),
    ("Ledger #", lambda m: m.id),
)
ORDERS = (
    ("Order", lambda o: o.reference),
    ("Channel", lambda o: o.channel),
    ("Status", lambda o: o.status),
    ("Warehouse", lambda o: o.warehouse),
    ("Units", lambda o: o.units),
    ("Taken", lambda o: o.at),
)
PLACES = (
    ("Warehouse", lambda p: p.warehouse),
    ("Location", lambda p: p.location or "(default)"),
    ("On hand", lambda p: p.on_hand),
)


class TracePage(TitledPage):
    """A lot's or serial's whole story, for a recall or a customer's question."""

    TITLE = "Traceability"
    ICON = "search"
    KINDS = frozenset({"stock"})
    SUBTITLE = (
        "Enter or scan a product and a lot or serial number: every movement of it, where it is "
        "now, and every order that took it."
    )

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.product = QLineEdit(self)
        self.product.setPlaceholderText("SKU or barcode")
        self.lot = QLineEdit(self)
        self.lot.setPlaceholderText("Lot or serial number")
        self.find_button = QPushButton("&Trace", self)
        for widget in (self.product, self.lot, self.find_button):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        self.labels_button = QPushButton("Lot &labels…", self)
        self.labels_button.setToolTip("GS1 labels of this lot: GTIN, lot and expiry")
        self.labels_button.setEnabled(False)
        self.labels_button.clicked.connect(self.print_labels)
        self.filters.addWidget(self.labels_button)
        self.heading = QLabel("", self)
        self.heading.setObjectName("traceHeading")
        self.heading.setWordWrap(True)
        self.body.addWidget(self.heading)
        self.history = ListTableModel(HISTORY, numeric=(4, 8), parent=self)
        self.orders = ListTableModel(ORDERS, numeric=(4,), parent=self)
        self.places = ListTableModel(PLACES, numeric=(2,), parent=self)
        self.history_table, self.order_table, self.place_table = (
            self._table(model) for model in (self.history, self.orders, self.places)
        )
        split = QSplitter(Qt.Orientation.Vertical, self)
        for caption, view in (
            ("Every movement of it, oldest first", self.history_table),
            ("Orders that took it", self.order_table),
            ("Where it is now", self.place_table),
        ):
            split.addWidget(captioned(split, caption, view))
        self.body.addWidget(split, 1)
        self.find_button.clicked.connect(self.refresh)
        self.lot.returnPressed.connect(self.refresh)
        self.product.returnPressed.connect(self.lot.setFocus)
        self.found: LotTrace | None = None

    def _table(self, model: ListTableModel) -> QTableView:
        view = table(self)
        view.setModel(model)
        return view

    def show_lot(self, sku: str, lot: str) -> None:
        """Trace this lot (a lot cell elsewhere was opened)."""
        self.product.setText(sku)
        self.lot.setText(lot)
        self.refresh()

    def refresh(self) -> None:
        sku, number = self.product.text().strip(), self.lot.text().strip()
        if not sku or not number:
            self.status.setText("Enter a product and a lot or serial number.")
            return
        db, actor = self.db, self.actor
        background.default().run(
            lambda: trace.trace_lot(db, actor, sku, number),
            self._show,
            self._failed,
            parent=self,
            newest=self,
        )

    def print_labels(self) -> object:
        from invdesk.ui.printing import label_actions

        found = self.found
        if found is None or found.lot.serial:
            return None
        return label_actions.lot(self, self.db, self.actor, found.lot.sku, found.lot.number)

    def _failed(self, error: BaseException) -> None:
        self.found = None
        self.labels_button.setEnabled(False)
        for model in (self.history, self.orders, self.places):
            model.set_rows([])
        self.heading.setText("")
        if isinstance(error, InvdeskError):
            self.status.setText(error.message)
        else:
            self.show_failure(error)

    def _show(self, found: LotTrace) -> None:
        self.found = found
        self.labels_button.setEnabled(not found.lot.serial)
        lot = found.lot
        what = "Serial" if lot.serial else "Lot"
        dates = "".join(
            f" · {label} {day}"
            for label, day in (("expires", lot.expiry), ("made", lot.produced))
            if day
        )
        self.heading.setText(
            f"{what} {lot.number} of {lot.sku} {lot.product_name}{dates} · "
            f"{found.total_on_hand:,} on hand · orders that took it: {len(found.orders):,}"
        )
        self.history.set_rows(list(found.history))
        self.orders.set_rows(list(found.orders))
        self.places.set_rows(list(found.on_hand))
        self.status.setText(f"{len(found.history):,} movements")

    def search_box(self) -> QLineEdit | None:
        return self.lot

    def tables(self) -> dict[str, QTableView]:
        return {
            "trace-history": self.history_table,
            "trace-orders": self.order_table,
            "trace-places": self.place_table,
        }
