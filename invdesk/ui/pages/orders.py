"""The Orders page: sales orders and reservations with status, time left, and their actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.domain.orders import OrderStatus, OrderView
from invdesk.domain.security import Actor, Permission
from invdesk.domain.stock import ReservationStatus, ReservationView
from invdesk.reports.documents.packing_slip import packing_slip
from invdesk.reports.documents.pick_list import pick_list
from invdesk.services.stock import orders, reservations
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.dialogs.print_document import PrintDocumentDialog
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.base import Page
from invdesk.ui.pages.common import reselect, show_error, table


def time_left(expires_at: datetime, now: datetime, active: bool) -> str:
    if not active:
        return ""
    seconds = int((expires_at - now).total_seconds())
    if seconds <= 0:
        return "expired"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"


def _order_key(order: OrderView) -> Any:
    return order.reference


def _hold_key(hold: ReservationView) -> Any:
    return hold.id


class OrdersPage(Page):
    """Two tabs: orders (fulfil, cancel) and reservations (commit, release). Time left ticks."""

    TITLE = "Orders"
    ICON = "orders"
    KINDS = frozenset({"order", "stock"})
    loaded = Signal()
    """Orders and reservations were read again and are on screen."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        now = db.now
        self.orders_model = ListTableModel(
            (
                ("Reference", lambda o: o.reference),
                ("Channel", lambda o: o.channel),
                ("Status", lambda o: o.status),
                ("Lines", lambda o: len(o.lines)),
                ("Units", lambda o: sum(line.qty for line in o.lines)),
                ("Warehouses", lambda o: ", ".join(sorted({line.warehouse for line in o.lines}))),
                ("Placed", lambda o: o.created_at),
                (
                    "Time left",
                    lambda o: time_left(o.expires_at, now(), o.status is OrderStatus.OPEN),
                ),
            ),
            parent=self,
        )
        self.reservations_model = ListTableModel(
            (
                ("ID", lambda r: r.id),
                ("SKU", lambda r: r.sku),
                ("Warehouse", lambda r: r.warehouse),
                ("Qty", lambda r: r.qty),
                ("Reference", lambda r: r.reference),
                ("Status", lambda r: r.status),
                ("User", lambda r: r.user),
                ("Time left", lambda r: time_left(r.expires_at, now(), r.status is ReservationStatus.ACTIVE)),
            ),
            parent=self,
        )  # fmt: skip
        self.orders_table = table(self)
        self.orders_table.setModel(self.orders_model)
        # Several orders are picked in one walk: the pick list takes every selected one.
        self.orders_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.reservations_table = table(self)
        self.reservations_table.setModel(self.reservations_model)
        self.fulfil_button = QPushButton("Fulfil", self)
        self.cancel_button = QPushButton("Cancel order", self)
        self.commit_button = QPushButton("Commit", self)
        self.release_button = QPushButton("Release", self)
        self.pick_button = QPushButton("Pick &list…", self)
        self.pick_button.setToolTip("A pick list of the selected open orders, bin by bin")
        self.slip_button = QPushButton("Packing &slip…", self)
        self.pick_button.setEnabled(False)
        self.slip_button.setEnabled(False)
        can = actor.can(Permission.STOCK)
        for button in (
            self.fulfil_button,
            self.cancel_button,
            self.commit_button,
            self.release_button,
        ):
            button.setVisible(can)
            button.setEnabled(False)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(
            self._tab(
                self.orders_table,
                self.pick_button,
                self.slip_button,
                self.fulfil_button,
                self.cancel_button,
            ),
            "Orders",
        )
        self.tabs.addTab(
            self._tab(self.reservations_table, self.commit_button, self.release_button),
            "Reservations",
        )
        QVBoxLayout(self).addWidget(self.tabs)

        self.orders_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reservations_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.fulfil_button.clicked.connect(lambda: self._order_action(orders.fulfil_order))
        self.cancel_button.clicked.connect(lambda: self._order_action(orders.cancel_order))
        self.commit_button.clicked.connect(lambda: self._hold_action(reservations.commit))
        self.pick_button.clicked.connect(lambda: self.pick_list_dialog().open())
        self.slip_button.clicked.connect(lambda: self.packing_slip_dialog().open())
        self.release_button.clicked.connect(lambda: self._hold_action(reservations.release))
        self._ticker = QTimer(self)
        self._ticker.setInterval(15_000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self.refresh()

    def _tab(self, view: QWidget, *buttons: QPushButton) -> QWidget:
        page = QWidget(self)
        bar = QHBoxLayout()
        bar.addStretch(1)
        for button in buttons:
            bar.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(view)
        return page

    def selected_orders(self) -> list[OrderView]:
        rows = sorted(self.orders_table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.orders_model.data(row, ROW_ROLE) for row in rows]

    def selected_order(self) -> OrderView | None:
        """The one order selected (None when none or several are)."""
        chosen = self.selected_orders()
        return chosen[0] if len(chosen) == 1 else None

    def pick_list_dialog(self) -> PrintDocumentDialog:
        """The pick list of the selected orders, read now, in a dialog not yet shown."""
        refs = [order.reference for order in self.selected_orders()]
        db, actor = self._db, self._actor
        return PrintDocumentDialog("Pick list", lambda: pick_list(db, actor, refs), self)

    def packing_slip_dialog(self) -> PrintDocumentDialog:
        order = self.selected_orders()[0]
        db, actor = self._db, self._actor
        return PrintDocumentDialog(
            "Packing slip", lambda: packing_slip(db, actor, order.reference), self
        )

    def selected_reservation(self) -> ReservationView | None:
        rows = self.reservations_table.selectionModel().selectedRows()
        return self.reservations_model.data(rows[0], ROW_ROLE) if rows else None

    @Slot()
    def refresh(self) -> None:
        """Read orders and reservations off the GUI thread; the newest read wins."""
        db, actor = self._db, self._actor

        def work() -> tuple[list[OrderView], list[ReservationView]]:
            return (
                orders.list_orders(db, actor, limit=1000),
                reservations.list_reservations(db, actor, limit=1000),
            )

        def show(result: tuple[list[OrderView], list[ReservationView]]) -> None:
            found, holds = result
            reselect(self.orders_table, lambda: self.orders_model.set_rows(found), _order_key)
            reselect(
                self.reservations_table,
                lambda: self.reservations_model.set_rows(holds),
                _hold_key,
            )
            self._update_buttons()
            self.loaded.emit()

        background.default().run(work, show, parent=self, newest=self)

    @Slot(frozenset, object)
    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Connect to LiveUpdates.changed."""
        if kinds & self.KINDS:
            self.refresh()

    @Slot()
    def _tick(self) -> None:
        for model in (self.orders_model, self.reservations_model):
            if model.rowCount():
                last = model.index(model.rowCount() - 1, model.columnCount() - 1)
                model.dataChanged.emit(model.index(0, model.columnCount() - 1), last)

    @Slot()
    def _update_buttons(self, *_: Any) -> None:
        order = self.selected_order()
        is_open = order is not None and order.status is OrderStatus.OPEN
        self.fulfil_button.setEnabled(is_open)
        self.cancel_button.setEnabled(is_open)
        chosen = self.selected_orders()
        self.pick_button.setEnabled(
            bool(chosen) and all(o.status is OrderStatus.OPEN for o in chosen)
        )
        shipped = (OrderStatus.OPEN, OrderStatus.FULFILLED)
        self.slip_button.setEnabled(order is not None and order.status in shipped)
        hold = self.selected_reservation()
        active = hold is not None and hold.status is ReservationStatus.ACTIVE
        self.commit_button.setEnabled(active)
        self.release_button.setEnabled(active)

    def _order_action(self, action: Any) -> None:
        order = self.selected_order()
        if order is None:
            return
        try:
            action(self._db, order.reference, self._actor)
        except InvdeskError as error:
            show_error(self, error)
        self.refresh()

    def _hold_action(self, action: Any) -> None:
        hold = self.selected_reservation()
        if hold is None:
            return
        try:
            action(self._db, hold.id, self._actor)
        except InvdeskError as error:
            show_error(self, error)
        self.refresh()
