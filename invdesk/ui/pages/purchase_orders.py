"""Purchase orders: the list by status, supplier and warehouse, the selected order's lines, and
its window (write, send, amend, cancel, receive)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QSplitter, QTableView, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import POStatus, PurchaseOrderView
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import suppliers, warehouses
from invdesk.services.purchasing import orders
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.po_changes import po_print_dialog
from invdesk.ui.dialogs.print_document import PrintDocumentDialog
from invdesk.ui.dialogs.purchase_order import PurchaseOrderDialog
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.models.purchasing import PO_LINES, order_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.pages.common import captioned, refill, reselect, show_error, table

OPEN = "open"
"""The status filter's "sent or partly received" choice: what is on order."""


class PurchaseOrdersPage(TitledPage):
    TITLE = "Purchase orders"
    ICON = "purchase-orders"
    KINDS = frozenset({"stock", "purchasing", "catalog"})
    SUBTITLE = "Enter opens an order; Receive books a delivery against it by scanner."

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("All statuses", None)
        self.status_filter.addItem("On order (sent, partly received)", OPEN)
        for status in POStatus:
            self.status_filter.addItem(status.value.capitalize(), status.value)
        self.supplier_filter = QComboBox(self)
        self.warehouse_filter = QComboBox(self)
        for combo in (self.status_filter, self.supplier_filter, self.warehouse_filter):
            combo.setMinimumWidth(220)
        self.new_button = self._button("&New order…", self.new_order)
        self.new_button.setVisible(actor.can(Permission.PURCHASING))
        self.open_button = self._button("&Open…", self.open_selected)
        self.receive_button = self._button("&Receive…", self.receive_selected)
        self.receive_button.setVisible(actor.can(Permission.STOCK))
        self.print_button = self._button("&Print…", lambda: self.print_dialog().open())
        self.print_button.setToolTip("The PO as the supplier gets it: PDF or printer")
        for widget in (self.status_filter, self.supplier_filter, self.warehouse_filter):
            self.filters.addWidget(widget)
        self.filters.addStretch(1)
        for widget in (self.print_button, self.receive_button, self.open_button, self.new_button):
            self.filters.addWidget(widget)
        self.model = order_model(self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.lines = ListTableModel(PO_LINES, parent=self)
        self.line_table = table(self)
        self.line_table.setModel(self.lines)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(captioned(self, "Lines of the selected order", self.line_table))
        split.setSizes([320, 240])
        self.body.addWidget(split)
        for combo in (self.status_filter, self.supplier_filter, self.warehouse_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.open_selected())
        self._selection_changed()

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _fill_filters(self, found: list[Any], sites: list[Any]) -> None:
        """The filters' choices as read with the orders (a supplier added since shows up)."""
        refill(
            self.supplier_filter, "All suppliers", [(f"{s.code}  {s.name}", s.code) for s in found]
        )
        refill(
            self.warehouse_filter,
            "All warehouses",
            [(f"{w.code}  {w.name}", w.code) for w in sites],
        )

    # Reading ------------------------------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        db, actor = self.db, self.actor
        status = self.status_filter.currentData()
        supplier = self.supplier_filter.currentData()
        warehouse = self.warehouse_filter.currentData()

        def read() -> tuple[list[PurchaseOrderView], list[Any], list[Any]]:
            wanted = None if status in (None, OPEN) else POStatus(status)
            found = orders.list_pos(db, actor, wanted, supplier, warehouse)
            if status == OPEN:
                found = [po for po in found if po.status in (POStatus.SENT, POStatus.PARTIAL)]
            return (
                found,
                suppliers.list_suppliers(db, actor, include_inactive=True),
                warehouses.list_warehouses(db, actor, include_inactive=False),
            )

        background.default().run(read, self._show, self.show_failure, parent=self, newest=self)

    def _show(self, read: tuple[list[PurchaseOrderView], list[Any], list[Any]]) -> None:
        rows, found, sites = read
        self._fill_filters(found, sites)
        reselect(self.table, lambda: self.model.set_rows(rows), lambda po: po.number)
        on_order = sum(po.status in (POStatus.SENT, POStatus.PARTIAL) for po in rows)
        self.status.setText(f"{len(rows)} orders · {on_order} on order")
        if not self.table.selectionModel().selectedRows() and rows:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> PurchaseOrderView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None  # type: ignore[no-any-return]

    def _selection_changed(self, *_: Any) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(chosen is not None)
        self.print_button.setEnabled(chosen is not None)
        self.receive_button.setEnabled(
            chosen is not None and chosen.status in (POStatus.SENT, POStatus.PARTIAL)
        )
        if chosen is None:
            self.lines.set_rows([])
            return
        db, actor, number = self.db, self.actor, chosen.number
        background.default().run(
            lambda: orders.get_po(db, number, actor),
            lambda po: self.lines.set_rows(list(po.lines)),
            self.show_failure,
            parent=self,
            newest=(self, "lines"),
        )

    # Acting -------------------------------------------------------------------------------------
    def new_order(self) -> None:
        self._open(
            lambda: PurchaseOrderDialog(
                self.db,
                self.actor,
                self,
                supplier=self.supplier_filter.currentData(),
                warehouse=self.warehouse_filter.currentData(),
            )
        )

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.open_order(chosen.number)

    def open_order(self, number: str) -> PurchaseOrderDialog | None:
        return self._open(lambda: PurchaseOrderDialog(self.db, self.actor, self, number=number))

    def print_dialog(self) -> PrintDocumentDialog:
        """The selected PO as a printed document, in a dialog not yet shown."""
        chosen = self.selected()
        assert chosen is not None
        return po_print_dialog(self.db, self.actor, chosen.number, self)

    def receive_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and chosen.status in (POStatus.SENT, POStatus.PARTIAL):
            self.receive(chosen.number, chosen.warehouse)

    def receive(self, number: str, warehouse: str) -> None:
        """The receive dialog on this PO (the window opens it, as every stock document)."""
        self.open_document.emit("ReceiveDialog", {"warehouse": warehouse, "po": number})

    def _open(self, make: Any) -> PurchaseOrderDialog | None:
        try:
            dialog: PurchaseOrderDialog = make()
        except InvdeskError as error:
            show_error(self, error)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _po: self.refresh())
        dialog.receive_requested.connect(self.receive)
        dialog.open()
        return dialog

    # Page contract ------------------------------------------------------------------------------
    def tables(self) -> dict[str, QTableView]:
        return {"purchase_orders": self.table, "purchase_order_lines": self.line_table}

    def current_warehouse(self) -> str | None:
        return self.warehouse_filter.currentData()  # type: ignore[no-any-return]
