"""Receive, issue, transfer and return: multi-line stock documents posted in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from invdesk.domain.catalog import REASON_MAX, REFERENCE_MAX
from invdesk.domain.errors import InvdeskError
from invdesk.domain.purchasing import ReceivePurchase
from invdesk.domain.security import Actor
from invdesk.domain.stock import IssueStock, ReceiveStock, ReturnStock, StockResult, TransferStock
from invdesk.services.reads import dialog_lookups
from invdesk.services.stock import operations, transit
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.document import StockDocumentDialog
from invdesk.ui.dialogs.lines import TRACKING_COLUMNS, Column
from invdesk.ui.dialogs.po_receipt import ReceivesAgainstPO
from invdesk.ui.dialogs.widgets import FieldForm, WarehouseCombo
from invdesk.ui.drafts import Draft

NO_WAREHOUSE = "No active warehouse: add one under Warehouses first."


class _SingleWarehouseDialog(StockDocumentDialog):
    """A document on one warehouse, with a reference and (where the service takes one) a reason."""

    has_reason = False
    reference_hint = "e.g. PO-1042 (optional)"

    def build_header(self, form: FieldForm, warehouse: str | None) -> None:
        self.warehouse = WarehouseCombo(self)
        self.warehouse.fill(self._warehouses(), warehouse)
        form.add("&Warehouse:", self.warehouse, "warehouse")
        self.build_extra(form)
        self.reference = _text_field(self, REFERENCE_MAX, self.reference_hint)
        form.add("R&eference:", self.reference, "reference")
        self.reason: QLineEdit | None = None
        if self.has_reason:
            self.reason = _text_field(self, REASON_MAX, "Why (optional)")
            form.add("Reas&on:", self.reason, "reason")
            self.reason.textChanged.connect(self._changed)
        self.warehouse.currentIndexChanged.connect(self._warehouse_changed)
        self.reference.textChanged.connect(self._changed)

    def build_extra(self, form: FieldForm) -> None:
        """Rows between the warehouse and the reference (the return kind)."""

    def _warehouses(self) -> list[Any]:
        try:
            return dialog_lookups.active_warehouses(self._db, self._actor)
        except InvdeskError:
            return []

    def _warehouse_changed(self, *_args: Any) -> None:
        self.line_location = None  # a location belongs to the warehouse it was scanned in
        self.refresh_available()
        self._changed()

    def header_problems(self) -> dict[str, str]:
        return {} if self.warehouse.code() else {"warehouse": NO_WAREHOUSE}

    def stock_warehouse(self) -> str | None:
        return self.warehouse.code()

    def location_warehouse(self) -> str | None:
        return self.warehouse.code()

    def _reason(self) -> str | None:
        return self.reason.text().strip() or None if self.reason is not None else None

    def header_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "warehouse": self.warehouse.code(),
            "reference": self.reference.text(),
        }
        if self.reason is not None:
            state["reason"] = self.reason.text()
        return state

    def restore_header(self, state: dict[str, Any]) -> None:
        if state.get("warehouse"):
            self.warehouse.set_code(str(state["warehouse"]))
        self.reference.setText(str(state.get("reference", "")))
        if self.reason is not None:
            self.reason.setText(str(state.get("reason", "")))


class ReceiveDialog(ReceivesAgainstPO, _SingleWarehouseDialog):
    """Goods in: a delivery scanned line by line, with an optional unit cost per line; or a
    delivery against a purchase order (`po`, or its number scanned), ticked off its lines."""

    title = "Receive stock"
    hint = "Scan the delivery item by item; each scan adds one, a case barcode a whole case."
    post_text = "&Receive"
    columns = (
        Column.CODE,
        Column.PRODUCT,
        *TRACKING_COLUMNS,
        Column.QTY,
        Column.UNITS,
        Column.COST,
    )
    lot_required = True
    reference_hint = "Purchase order or delivery note, e.g. PO-1042"

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        warehouse: str | None = None,
        lines: Sequence[tuple[str, int]] = (),
        draft: Draft | None = None,
        po: str | None = None,
    ) -> None:
        super().__init__(db, actor, parent, warehouse=warehouse, lines=lines, draft=draft)
        self.place_checklist()
        if po:
            self.purchase.open(po)

    def build_extra(self, form: FieldForm) -> None:
        self.add_po_field(form)

    def header_problems(self) -> dict[str, str]:
        return {**super().header_problems(), **self.po_problems()}

    def header_state(self) -> dict[str, Any]:
        return {**super().header_state(), "po": self.purchase.number or self.purchase.loading}

    def restore_header(self, state: dict[str, Any]) -> None:
        super().restore_header(state)
        if state.get("po"):
            self.purchase.open(str(state["po"]))

    def command(self) -> ReceiveStock | ReceivePurchase:
        against = self.po_command()
        if against is not None:
            return against
        return ReceiveStock(
            self.warehouse.code() or "",
            self.model.to_lines(),
            reference=self.reference.text().strip() or None,
            request_id=self.request_id,
        )

    def service(self) -> Callable[[Database, Any, Actor], Any]:
        return self.po_service() if self.purchase.order is not None else operations.receive


class IssueDialog(_SingleWarehouseDialog):
    """Goods out for a sale or consumption; the Available column warns before the service refuses."""

    title = "Issue stock"
    hint = "Scan what leaves the warehouse; Available shows what is there to take."
    post_text = "&Issue"
    has_reason = True
    columns = (
        Column.CODE,
        Column.PRODUCT,
        *TRACKING_COLUMNS,
        Column.QTY,
        Column.UNITS,
        Column.AVAILABLE,
    )
    reference_hint = "Order or job number, e.g. ORDER-77"

    def command(self) -> IssueStock:
        return IssueStock(
            self.warehouse.code() or "",
            self.model.to_lines(),
            reference=self.reference.text().strip() or None,
            reason=self._reason(),
            request_id=self.request_id,
        )

    def service(self) -> Callable[[Database, Any, Actor], StockResult]:
        return operations.issue


class ReturnDialog(_SingleWarehouseDialog):
    """A customer return: back into stock, or recorded as damaged without restocking."""

    title = "Return stock"
    hint = "Goods back from a customer: into stock, or recorded as damaged."
    post_text = "Record re&turn"
    has_reason = True
    reference_hint = "Order or RMA number"

    def build_extra(self, form: FieldForm) -> None:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.restock = QRadioButton("Back to stoc&k", box)
        self.damaged = QRadioButton("&Damaged (not restocked)", box)
        self.restock.setChecked(True)
        group = QButtonGroup(box)
        group.addButton(self.restock)
        group.addButton(self.damaged)
        row.addWidget(self.restock)
        row.addWidget(self.damaged)
        row.addStretch(1)
        form.add("Condition:", box, "damaged")
        self.damaged.toggled.connect(self._changed)

    def header_state(self) -> dict[str, Any]:
        return {**super().header_state(), "damaged": self.damaged.isChecked()}

    def restore_header(self, state: dict[str, Any]) -> None:
        super().restore_header(state)
        self.damaged.setChecked(bool(state.get("damaged")))

    def header_problems(self) -> dict[str, str]:
        problems = super().header_problems()
        if self.damaged.isChecked() and self.reason is not None and not self.reason.text().strip():
            problems["reason"] = "Say what is wrong with damaged goods."
        return problems

    def command(self) -> ReturnStock:
        return ReturnStock(
            self.warehouse.code() or "",
            self.model.to_lines(),
            damaged=self.damaged.isChecked(),
            reason=self._reason(),
            reference=self.reference.text().strip() or None,
            request_id=self.request_id,
        )

    def service(self) -> Callable[[Database, Any, Actor], StockResult]:
        return operations.return_stock


class TransferDialog(StockDocumentDialog):
    """Stock moved between two warehouses: out of one and into the other, atomically."""

    title = "Transfer stock"
    hint = "Goods leave one warehouse and arrive in the other in one step."
    post_text = "&Transfer"
    columns = (
        Column.CODE,
        Column.PRODUCT,
        *TRACKING_COLUMNS,
        Column.QTY,
        Column.UNITS,
        Column.AVAILABLE,
    )

    def __init__(
        self,
        db: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        warehouse: str | None = None,
        lines: Sequence[tuple[str, int]] = (),
        draft: Draft | None = None,
        source: str | None = None,
        destination: str | None = None,
    ) -> None:
        self._initial = (source or warehouse, destination)
        super().__init__(db, actor, parent, warehouse=source or warehouse, lines=lines, draft=draft)

    def build_header(self, form: FieldForm, warehouse: str | None) -> None:
        try:
            choices = dialog_lookups.active_warehouses(self._db, self._actor)
        except InvdeskError:
            choices = []
        source, destination = self._initial
        self.source = WarehouseCombo(self)
        self.source.fill(choices, source)
        self.destination = WarehouseCombo(self)
        if destination is None:
            others = [w.code for w in choices if w.code != self.source.code()]
            destination = others[0] if others else None
        self.destination.fill(choices, destination)
        form.add("&From:", self.source, "source")
        form.add("T&o:", self.destination, "destination")
        self.reference = _text_field(self, REFERENCE_MAX, "Transfer note (optional)")
        form.add("R&eference:", self.reference, "reference")
        # Another site: the goods spend days on a truck; they leave now and arrive when received.
        self.ship_later = QCheckBox("S&hip now, receive later (a different site)", self)
        self.ship_later.setToolTip(
            "The goods leave now and show under Transit until the other site receives them"
        )
        form.add("", self.ship_later, "ship")
        self.ship_later.toggled.connect(self._changed)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.destination.currentIndexChanged.connect(self._changed)
        self.reference.textChanged.connect(self._changed)

    def _source_changed(self, *_args: Any) -> None:
        self.refresh_available()
        self._changed()

    def header_problems(self) -> dict[str, str]:
        source, destination = self.source.code(), self.destination.code()
        if not source:
            return {"source": NO_WAREHOUSE}
        if not destination:
            return {"destination": "Choose where the goods go."}
        if source == destination:
            return {"destination": "Choose a different warehouse from the one goods leave."}
        return {}

    def stock_warehouse(self) -> str | None:
        return self.source.code()

    def header_state(self) -> dict[str, Any]:
        return {
            "source": self.source.code(),
            "destination": self.destination.code(),
            "reference": self.reference.text(),
            "ship": self.ship_later.isChecked(),
        }

    def restore_header(self, state: dict[str, Any]) -> None:
        for combo, key in ((self.source, "source"), (self.destination, "destination")):
            if state.get(key):
                combo.set_code(str(state[key]))
        self.reference.setText(str(state.get("reference", "")))
        self.ship_later.setChecked(bool(state.get("ship")))

    def command(self) -> TransferStock:
        return TransferStock(
            self.source.code() or "",
            self.destination.code() or "",
            self.model.to_lines(),
            reference=self.reference.text().strip() or None,
            request_id=self.request_id,
        )

    def service(self) -> Callable[[Database, Any, Actor], StockResult]:
        return transit.ship if self.ship_later.isChecked() else operations.transfer


def _text_field(parent: QWidget, max_len: int, hint: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setMaxLength(max_len)
    field.setPlaceholderText(hint)
    return field
