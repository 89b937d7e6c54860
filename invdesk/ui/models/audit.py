"""The audit trail as a Qt table: rows are AuditRow DTOs from the audit service."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import Qt

from invdesk.domain.audit import AuditRow, describe_details
from invdesk.ui.models.columns import ListTableModel


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


def _display(row: AuditRow, column: Column) -> str:
    match column:
        case Column.WHEN:
            return row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        case Column.USER:
            return row.user
        case Column.ACTION:
            return row.action
        case Column.WHAT:
            return f"{row.entity} {row.key}"
        case Column.DETAILS:
            return describe_details(row.details)


class AuditModel(ListTableModel):
    HEADER_ALIGNED = False

    def __init__(self, parent: Any = None) -> None:
        super().__init__(Column, HEADERS, _display, parent=parent)

    def style(self, row: Any, column: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.DETAILS:
            return describe_details(row.details)
        return None
