"""The audit trail as a Qt table: rows are AuditRow DTOs from the audit service."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from invdesk.domain.audit import AuditRow, describe_details


class Column(enum.IntEnum):
    WHEN = 0
    USER = 1
    ACTION = 2
    WHAT = 3
    DETAILS = 4


HEADERS = {
    Column.WHEN: "When",
    Column.USER: "User",
    Column.ACTION: "Action",
    Column.WHAT: "What",
    Column.DETAILS: "Details",
}
Index = QModelIndex | QPersistentModelIndex
RowRole = Qt.ItemDataRole.UserRole + 1


class AuditModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == Column.DETAILS:
            return describe_details(row.details)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = Column(index.column())
        if column is Column.WHEN:
            return row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column is Column.USER:
            return row.user
        if column is Column.ACTION:
            return row.action
        if column is Column.WHAT:
            return f"{row.entity} {row.key}"
        return describe_details(row.details)
