"""Reservations: soft holds on stock, active first; the newest 500 of the chosen status."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QTableView, QWidget

from invdesk.domain.security import Actor
from invdesk.domain.stock import ReservationStatus, ReservationView
from invdesk.services.stock import reservations
from invdesk.services.system.database import Database
from invdesk.ui import background
from invdesk.ui.models.small_lists import ReservationColumn, reservation_model
from invdesk.ui.pages.base import TitledPage
from invdesk.ui.widgets import make_table, set_widths

LIMIT = 500


class ReservationsPage(TitledPage):
    TITLE = "Reservations"
    ICON = "reservations"
    KINDS = frozenset({"stock", "order"})

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.model = reservation_model(self)
        self.state = QComboBox(self)
        self.state.addItem("Active holds", ReservationStatus.ACTIVE.value)
        for status in ReservationStatus:
            if status is not ReservationStatus.ACTIVE:
                self.state.addItem(status.value.capitalize(), status.value)
        self.state.addItem("All", None)
        self.filters.addWidget(self.state)
        self.filters.addStretch(1)
        self.table = make_table(self.model, self)
        set_widths(
            self.table,
            {ReservationColumn.ID: 60, ReservationColumn.SKU: 110, ReservationColumn.WAREHOUSE: 90,
             ReservationColumn.QTY: 80, ReservationColumn.STATUS: 100,
             ReservationColumn.REFERENCE: 160, ReservationColumn.USER: 100,
             ReservationColumn.CREATED: 140},
        )  # fmt: skip
        self.body.addWidget(self.table)
        self.state.currentIndexChanged.connect(lambda _i: self.refresh())

    def refresh(self) -> None:
        value = self.state.currentData()
        status = ReservationStatus(value) if value else None
        background.default().run(
            lambda: reservations.list_reservations(self.db, self.actor, status, LIMIT),
            self._show,
            parent=self,
            newest=self,
        )

    def _show(self, rows: list[ReservationView]) -> None:
        self.model.set_rows(rows)
        self.status.setText(f"{len(rows):,} reservations" + (" (newest)" * (len(rows) == LIMIT)))

    def tables(self) -> dict[str, QTableView]:
        return {"reservations": self.table}
