"""The Alerts page: open, acknowledged and resolved alerts with filters; acknowledge; badge count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.restock import AlertKind, AlertStatus, AlertView
from invdesk.domain.security import Actor, Permission
from invdesk.services.catalog import warehouses
from invdesk.services.reads import alerts
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.integrity import IntegrityBanner
from invdesk.ui.models.columns import ROW_ROLE, ListTableModel
from invdesk.ui.pages.base import Page
from invdesk.ui.pages.common import reselect, show_error, table

STATUS_FILTERS: dict[str, tuple[AlertStatus, ...]] = {
    "Open and acknowledged": (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
    "Open": (AlertStatus.OPEN,),
    "Acknowledged": (AlertStatus.ACKNOWLEDGED,),
    "Resolved": (AlertStatus.RESOLVED,),
    "All": tuple(AlertStatus),
}
COLUMNS = (
    ("Raised", lambda a: a.raised_at),
    ("Warehouse", lambda a: a.warehouse),
    ("SKU", lambda a: a.sku),
    ("Product", lambda a: a.product_name),
    ("Alert", lambda a: a.kind),
    ("Status", lambda a: a.status),
    ("Available", lambda a: a.available),
    ("Threshold", lambda a: a.threshold),
    ("Acknowledged by", lambda a: a.acknowledged_by),
    ("Resolved", lambda a: a.resolved_at),
)


class AlertsPage(Page):
    """Alerts with status, warehouse and kind filters. `badge_changed(int)`: the open count."""

    TITLE = "Alerts"
    ICON = "alerts"
    KINDS = frozenset({"alert"})
    badge_changed = Signal(int)
    loaded = Signal()
    """The list was read again and is on screen."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self._db, self._actor = db, actor
        self.status_filter = QComboBox(self)
        self.status_filter.addItems(list(STATUS_FILTERS))
        self.warehouse_filter = QComboBox(self)
        self.warehouse_filter.addItem("All warehouses", "")
        for w in warehouses.list_warehouses(db, actor, include_inactive=False):
            self.warehouse_filter.addItem(f"{w.code}  {w.name}", w.code)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem("Any alert", None)
        for kind in AlertKind:
            self.kind_filter.addItem(kind.value.replace("_", " ").capitalize(), kind)
        self.acknowledge_button = QPushButton("Acknowledge", self)
        self.acknowledge_button.setEnabled(False)
        self.acknowledge_button.setVisible(actor.can(Permission.STOCK))
        self.watch_button = QPushButton("Watched warehouses…", self)
        self.watch_button.setToolTip("Choose the warehouses whose new alerts show in the tray")
        self.mail_button = QPushButton("Alert e-mail…", self)
        self.mail_button.setToolTip(
            "Your e-mail address for alerts: at once, a daily digest or off"
        )
        self.count_label = QLabel(self)
        self.model = ListTableModel(COLUMNS, parent=self)
        self.table = table(self)
        self.table.setModel(self.model)

        bar = QHBoxLayout()
        for widget in (self.status_filter, self.warehouse_filter, self.kind_filter):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.watch_button)
        bar.addWidget(self.mail_button)
        bar.addWidget(self.acknowledge_button)
        self.integrity_banner = IntegrityBanner(db, actor, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.integrity_banner)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        for combo in (self.status_filter, self.warehouse_filter, self.kind_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.watch_button.clicked.connect(self.watch_requested)
        self.mail_button.clicked.connect(self.alert_mail_requested)
        self.refresh()

    def selected(self) -> AlertView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ROW_ROLE) if rows else None

    @Slot()
    def refresh(self) -> None:
        """Read the alerts and the open count off the GUI thread; the newest read wins."""
        statuses = STATUS_FILTERS[self.status_filter.currentText()]
        code = self.warehouse_filter.currentData()
        kind = AlertKind(found) if (found := self.kind_filter.currentData()) else None
        db, actor = self._db, self._actor

        def work() -> tuple[list[AlertView], int]:
            listed = alerts.list_alerts(
                db, actor, statuses=statuses, warehouses=(code,) if code else (), kind=kind
            )
            return listed, alerts.alert_badge_count(db, actor)

        def show(result: tuple[list[AlertView], int]) -> None:
            found, count = result
            reselect(self.table, lambda: self.model.set_rows(found), lambda a: a.id)
            self.count_label.setText(f"{count:,} open")
            self.badge_changed.emit(count)
            self._selection_changed()
            self.loaded.emit()

        background.default().run(work, show, parent=self, newest=self)
        self.integrity_banner.refresh()

    @Slot(frozenset, object)
    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """Connect to LiveUpdates.changed."""
        if kinds & self.KINDS:
            self.refresh()

    @Slot()
    def _selection_changed(self, *_: Any) -> None:
        alert = self.selected()
        self.acknowledge_button.setEnabled(alert is not None and alert.status is AlertStatus.OPEN)

    @Slot()
    def acknowledge_selected(self) -> None:
        alert = self.selected()
        if alert is None:
            return
        try:
            alerts.acknowledge(self._db, alert.id, self._actor, alert.version)
        except InvdeskError as error:
            show_error(self, error)
        self.refresh()
