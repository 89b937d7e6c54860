"""The Reorder page: what to order per warehouse and policy; a suggestion opens a receive or
transfer, and the selected ones become draft purchase orders (one per preferred supplier and
warehouse); those without a supplier are listed apart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import DraftsFromReorder
from invdesk.domain.restock import Suggestion
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import warehouses
from invdesk.services.purchasing import drafts
from invdesk.services.reads import reorder
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.base import Page
from invdesk.ui.pages.common import captioned, table

COLUMNS = (
    ("Warehouse", lambda s: s.warehouse),
    ("SKU", lambda s: s.sku),
    ("Product", lambda s: s.product_name),
    ("Available", lambda s: s.available),
    ("On order", lambda s: s.on_order or ""),
    ("Threshold", lambda s: s.threshold),
    ("Suggested", lambda s: s.suggested_qty),
    ("Action", lambda s: s.action if s.source is None else f"transfer from {s.source}"),
    ("Policy", lambda s: f"{s.policy.value.replace('_', ' ')} ({s.scope.value})"),
    ("Reason", lambda s: s.reason),
)
UNSUPPLIED = (
    ("Warehouse", lambda s: s.warehouse),
    ("SKU", lambda s: s.sku),
    ("Product", lambda s: s.product_name),
    ("Suggested", lambda s: s.suggested_qty),
    ("Why not ordered", lambda s: "no preferred supplier: link one under Suppliers"),
)


class ReorderPage(Page):
    """Suggestions with a warehouse filter.

    `receive_requested(warehouse, sku, qty)` and `transfer_requested(source, destination, sku, qty)`
    ask the main window to open the receive or transfer dialog pre-filled;
    `policies_requested(warehouse)` asks for the policy editor (managers).
    """

    TITLE = "Reorder"
    ICON = "policy"
    KINDS = frozenset({"stock", "policy", "catalog", "purchasing"})
    receive_requested = Signal(str, str, int)
    transfer_requested = Signal(str, str, str, int)
    policies_requested = Signal(str)
    orders_created = Signal(list)
    """The numbers of the draft POs made from the selected suggestions."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        self.warehouse_filter = QComboBox(self)
        self.warehouse_filter.addItem("All warehouses", "")
        for w in warehouses.list_warehouses(db, actor, include_inactive=False):
            self.warehouse_filter.addItem(f"{w.code}  {w.name}", w.code)
        self.act_button = QPushButton("Receive…", self)
        self.act_button.setEnabled(False)
        self.act_button.setVisible(actor.can(Permission.STOCK))
        self.policies_button = QPushButton("Policies…", self)
        self.policies_button.setVisible(actor.can(Permission.CATALOG))
        self.order_button = QPushButton("Create purchase &orders", self)
        self.order_button.setToolTip(
            "Draft purchase orders for the selected suggestions (all when none is selected), "
            "one per preferred supplier and warehouse, in whole packs"
        )
        self.order_button.setVisible(actor.can(Permission.PURCHASING))
        self.model = ListTableModel(COLUMNS, parent=self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.result = QLabel("", self)
        self.result.setWordWrap(True)
        self.result.setObjectName("legend")
        self.result.hide()  # until purchase orders were made from suggestions
        self.unsupplied = ListTableModel(UNSUPPLIED, parent=self)
        self.unsupplied_table = table(self)
        self.unsupplied_table.setModel(self.unsupplied)
        self.unsupplied_box = captioned(
            self, "Not ordered: no preferred supplier", self.unsupplied_table
        )
        self.unsupplied_box.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.warehouse_filter)
        bar.addStretch(1)
        bar.addWidget(self.policies_button)
        bar.addWidget(self.order_button)
        bar.addWidget(self.act_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.result)
        layout.addWidget(self.unsupplied_box, 1)
        self.order_button.clicked.connect(self.create_orders)
        self.warehouse_filter.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self.act_on_selected)
        self.act_button.clicked.connect(self.act_on_selected)
        self.policies_button.clicked.connect(
            lambda: self.policies_requested.emit(self.warehouse_filter.currentData() or "")
        )
        self.refresh()

    def selected(self) -> Suggestion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if len(rows) == 1 else None

    def picks(self) -> list[tuple[str, str]]:
        """(warehouse, SKU) of the selected purchase suggestions; all of them when none is."""
        rows = [self.model.data(i, ROW_ROLE) for i in self.table.selectionModel().selectedRows()]
        chosen = rows or self.model.rows()
        return [(s.warehouse, s.sku) for s in chosen if s.source is None]

    @Slot()
    def create_orders(self) -> None:
        """Draft POs for the picked suggestions, off the GUI thread."""
        picks = self.picks()
        if not picks:
            self.result.setText("Nothing to order: the selected suggestions are transfers.")
            self.result.show()
            return
        code = self.warehouse_filter.currentData() or None
        db, actor = self._db, self._actor
        self.order_button.setEnabled(False)
        background.default().run(
            lambda: drafts.drafts_from_reorder(db, actor, code, picks),
            self._ordered,
            self._not_ordered,
            parent=self,
        )

    def _ordered(self, made: DraftsFromReorder) -> None:
        self.order_button.setEnabled(True)
        numbers = ", ".join(po.number for po in made.orders)
        said = [f"Draft purchase orders {numbers}: check and send them under Purchase orders."]
        if not made.orders:
            said = ["No purchase order made."]
        if made.already_drafted:
            said.append(f"{len(made.already_drafted)} already on a draft order.")
        if made.unsupplied:
            said.append(f"{len(made.unsupplied)} without a preferred supplier (below).")
        self.result.setText(" ".join(said))
        self.result.show()
        self.unsupplied.set_rows(list(made.unsupplied))
        self.unsupplied_box.setVisible(bool(made.unsupplied))
        self.orders_created.emit([po.number for po in made.orders])
        self.refresh()

    def _not_ordered(self, error: BaseException) -> None:
        self.order_button.setEnabled(True)
        if isinstance(error, InvdeskError):
            self.result.setText(error.message)
            self.result.show()
        else:
            background.show_error(self, error)

    @Slot()
    def refresh(self) -> None:
        """Suggestions weigh every stock row against its policy: read off the GUI thread."""
        code = self.warehouse_filter.currentData() or None
        db, actor = self._db, self._actor
        background.default().run(
            lambda: reorder.suggestions(db, actor, code), self._show, parent=self, newest=self
        )

    def _show(self, suggestions: list[Any]) -> None:
        self.model.set_rows(suggestions)
        self._selection_changed()

    @Slot(frozenset, object)
    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Connect to LiveUpdates.changed."""
        if kinds & self.KINDS:
            self.refresh()

    @Slot()
    def _selection_changed(self, *_: Any) -> None:
        chosen = self.selected()
        self.act_button.setEnabled(chosen is not None)
        self.act_button.setText(
            "Transfer…" if chosen is not None and chosen.action == "transfer" else "Receive…"
        )

    @Slot()
    def act_on_selected(self, *_: Any) -> None:
        chosen = self.selected()
        if chosen is None or not self._actor.can(Permission.STOCK):
            return
        if chosen.source is not None:
            self.transfer_requested.emit(
                chosen.source, chosen.warehouse, chosen.sku, chosen.suggested_qty
            )
        else:
            self.receive_requested.emit(chosen.warehouse, chosen.sku, chosen.suggested_qty)
