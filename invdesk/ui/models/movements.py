"""The ledger as a table that grows as the view scrolls (fetchMore), newest first, by keyset."""

from __future__ import annotations

import enum
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from invdesk.domain.security import Actor
from invdesk.domain.stock import LedgerFilter, MovementKind, MovementView
from invdesk.services.reads import queries
from invdesk.services.system.database import Database
from invdesk.ui.background import Background
from invdesk.ui.models.columns import Index, TableModel, money, qty, when

PAGE_SIZE = 200


class Column(enum.IntEnum):
    AT = 0
    KIND = 1
    SKU = 2
    NAME = 3
    WAREHOUSE = 4
    QTY = 5
    BALANCE = 6
    UNIT_COST = 7
    REFERENCE = 8
    USER = 9


HEADERS = {
    Column.AT: "When",
    Column.KIND: "Kind",
    Column.SKU: "SKU",
    Column.NAME: "Product",
    Column.WAREHOUSE: "Warehouse",
    Column.QTY: "Qty",
    Column.BALANCE: "Balance",
    Column.UNIT_COST: "Unit cost",
    Column.REFERENCE: "Reference / reason",
    Column.USER: "User",
}
KIND_LABELS = {
    MovementKind.RECEIVE: "Receive",
    MovementKind.ISSUE: "Issue",
    MovementKind.TRANSFER_OUT: "Transfer out",
    MovementKind.TRANSFER_IN: "Transfer in",
    MovementKind.RETURN: "Return",
    MovementKind.RETURN_DAMAGED: "Return (damaged)",
    MovementKind.ADJUST: "Adjust",
    MovementKind.RESERVE: "Reserve",
    MovementKind.RELEASE: "Release",
    MovementKind.EXPIRE: "Expire",
    MovementKind.SHIP: "Ship (to transit)",
    MovementKind.TRANSIT_IN: "Transit in",
}
NUMERIC = {Column.QTY, Column.BALANCE, Column.UNIT_COST}
_IN, _OUT = QColor("#1e7d46"), QColor("#b03a2e")

# Column widths wherever ledger rows are listed (the Movements page, the Dashboard).
WIDTHS = {Column.AT: 125, Column.KIND: 130, Column.SKU: 85, Column.NAME: 210,
          Column.WAREHOUSE: 80, Column.QTY: 80, Column.BALANCE: 70, Column.UNIT_COST: 75,
          Column.REFERENCE: 110}  # fmt: skip


def display(row: MovementView, column: Column) -> str:
    match column:
        case Column.AT:
            return when(row.at)
        case Column.KIND:
            return KIND_LABELS.get(row.kind, str(row.kind))
        case Column.SKU:
            return row.sku
        case Column.NAME:
            return row.product_name
        case Column.WAREHOUSE:
            return row.warehouse
        case Column.QTY:
            return row.change
        case Column.BALANCE:
            return qty(row.balance_after)
        case Column.UNIT_COST:
            return money(row.unit_cost)
        case Column.REFERENCE:
            # The lot (or serial) first where a row names one: double-clicking the row traces it.
            lot = f"Lot {row.lot}" if row.lot else None
            return " · ".join(t for t in (lot, row.reference, row.reason) if t)
        case Column.USER:
            return row.user


class MovementModel(TableModel):
    COLUMNS = Column
    HEADERS = HEADERS
    NUMERIC = NUMERIC

    loaded = Signal(int)
    failed = Signal(object)

    def __init__(
        self, db: Database, actor: Actor, parent: Any = None, background: Background | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._actor = db, actor
        self._background = background or Background(self, inline=True)
        self.filter = LedgerFilter(limit=PAGE_SIZE)
        self._rows: list[MovementView] = []
        self._more = False
        self._generation = 0

    def set_filter(self, flt: LedgerFilter) -> None:
        self.filter = replace(flt, limit=PAGE_SIZE, before_id=None)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, flt = self._generation, self.filter

        def work() -> list[MovementView]:
            return queries.history(self._db, self._actor, flt)

        def apply(rows: list[MovementView]) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._rows, self._more = rows, len(rows) == PAGE_SIZE
            self.endResetModel()
            self.loaded.emit(len(rows))

        self._background.run(work, apply, self._fail)

    def _fail(self, error: BaseException) -> None:
        self.beginResetModel()
        self._rows, self._more = [], False
        self.endResetModel()
        self.failed.emit(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or not self._rows:
            return
        flt = replace(self.filter, before_id=self._rows[-1].id)
        try:
            rows = queries.history(self._db, self._actor, flt)
        except Exception as error:
            self._more = False
            self.failed.emit(error)
            return
        self._more = len(rows) == PAGE_SIZE
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def row_at(self, row: int) -> MovementView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def display(self, row: Any, column: Any) -> str:
        return display(row, column)

    def style(self, row: Any, column: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.QTY and row.qty:
            return _IN if row.qty > 0 else _OUT
        return None
