"""Move stock between two locations of one warehouse, by scanner or keyboard alone.

Scan the location goods leave, the location they go to, then the product (each scan one more,
or type a count); Ctrl+Enter posts. One product per move: a move is one ledger pair, so the
dialog never posts half of several.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from invdesk.domain.catalog import REFERENCE_MAX
from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor
from invdesk.domain.stock import MoveStock, StockResult
from invdesk.services.catalog import locations
from invdesk.services.reads import dialog_lookups
from invdesk.services.stock import moves
from invdesk.services.system.database import Database
from invdesk.ui.dialogs.document import StockDocumentDialog
from invdesk.ui.dialogs.lines import Column
from invdesk.ui.dialogs.widgets import FieldForm, WarehouseCombo
from invdesk.ui.drafts import Draft

DEFAULT_LOCATION = "(default location)"
NO_WAREHOUSE = "No active warehouse: add one under Warehouses first."


class MoveDialog(StockDocumentDialog):
    """From one location to another in the same warehouse; the warehouse's stock is unchanged."""

    title = "Move stock"
    hint = "Scan the location it leaves, the location it goes to, then the product."
    post_text = "&Move"
    columns = (Column.CODE, Column.PRODUCT, Column.QTY, Column.UNITS)

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
    ) -> None:
        self._initial_source = source
        super().__init__(db, actor, parent, warehouse=warehouse, lines=lines, draft=draft)

    def build_header(self, form: FieldForm, warehouse: str | None) -> None:
        self._next_end = "source"
        self.warehouse = WarehouseCombo(self)
        try:
            choices = dialog_lookups.active_warehouses(self._db, self._actor)
        except InvdeskError:
            choices = []
        self.warehouse.fill(choices, warehouse)
        form.add("&Warehouse:", self.warehouse, "warehouse")
        self.source = QComboBox(self)
        self.destination = QComboBox(self)
        form.add("&From:", self.source, "from_location")
        form.add("T&o:", self.destination, "to_location")
        self.reference = QLineEdit(self)
        self.reference.setMaxLength(REFERENCE_MAX)
        self.reference.setPlaceholderText("e.g. replenishment list (optional)")
        form.add("R&eference:", self.reference, "reference")
        self._fill_locations()
        if self._initial_source:
            self._choose(self._initial_source)
        self.warehouse.currentIndexChanged.connect(self._warehouse_changed)
        for combo in (self.source, self.destination):
            combo.currentIndexChanged.connect(self._changed)
        self.reference.textChanged.connect(self._changed)

    def _fill_locations(self) -> None:
        code = self.warehouse.code()
        try:
            found = locations.list_locations(self._db, code, self._actor, False) if code else []
        except InvdeskError:
            found = []
        for combo in (self.source, self.destination):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(DEFAULT_LOCATION, "")
            for view in found:
                combo.addItem(f"{view.code} · {view.name}" if view.name else view.code, view.code)
            combo.blockSignals(False)
        self.destination.setCurrentIndex(1 if self.destination.count() > 1 else 0)
        self._next_end = "source"

    def _warehouse_changed(self, *_args: Any) -> None:
        self._fill_locations()
        self._changed()

    # Scans --------------------------------------------------------------------------------------
    def location_warehouse(self) -> str | None:
        return self.warehouse.code()

    def location_scanned(self, code: str) -> None:
        """The first location scanned is where goods leave, the next where they go (and so on)."""
        if self._choose(code) == "source":
            self.status.say(f"From {code}: now scan where it goes.", ok=True)
        else:
            self.status.say(f"To {code}: now scan the product.", ok=True)

    def _choose(self, code: str) -> str:
        end = self._next_end
        combo = self.source if end == "source" else self.destination
        combo.setCurrentIndex(max(0, combo.findData(code)))
        self._next_end = "destination" if end == "source" else "source"
        return end

    def add_code(self, code: str, qty: int = 1, *, quiet: bool = False) -> bool:
        """As any document, but a second product is refused: post this move first."""
        before = len(self.model.lines)
        if not super().add_code(code, qty, quiet=quiet):
            return False
        if len(self.model.lines) > max(before, 1):
            self.model.remove_rows([len(self.model.lines) - 1])
            self.status.say(
                "A move takes one product: move this one, then scan the next.", ok=False
            )
            self.scan.flash("unknown")
            return False
        return True

    # Posting ------------------------------------------------------------------------------------
    def header_problems(self) -> dict[str, str]:
        if not self.warehouse.code():
            return {"warehouse": NO_WAREHOUSE}
        if self.source.currentData() == self.destination.currentData():
            return {"to_location": "Choose a different location from the one goods leave."}
        return {}

    def command(self) -> MoveStock:
        (line,) = self.model.to_lines()
        return MoveStock(
            line.product,
            self.warehouse.code() or "",
            self.source.currentData() or None,
            self.destination.currentData() or None,
            line.qty,
            lot=line.lot,  # a lot or serials, when a line names them (else first expiry first)
            serials=line.serials,
            reference=self.reference.text().strip() or None,
            request_id=self.request_id,
        )

    def service(self) -> Callable[[Database, Any, Any], StockResult]:
        return moves.move

    def header_state(self) -> dict[str, Any]:
        return {
            "warehouse": self.warehouse.code(),
            "from": self.source.currentData(),
            "to": self.destination.currentData(),
            "reference": self.reference.text(),
        }

    def restore_header(self, state: dict[str, Any]) -> None:
        if state.get("warehouse"):
            self.warehouse.set_code(str(state["warehouse"]))
        for combo, key in ((self.source, "from"), (self.destination, "to")):
            combo.setCurrentIndex(max(0, combo.findData(state.get(key) or "")))
        self.reference.setText(str(state.get("reference", "")))
