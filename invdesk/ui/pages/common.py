"""Bits the live pages share: a fixed-row-height table, error display, the kinds a page refreshes on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMessageBox, QTableView, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.ui.models.columns import ROW_ROLE


class _FittedTable(QTableView):
    """A short list (at most a few thousand rows): columns fit what the visible rows show."""

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.resizeColumnsToContents)
            model.rowsInserted.connect(self.resizeColumnsToContents)
            self.resizeColumnsToContents()


def table(parent: QWidget) -> QTableView:
    view = _FittedTable(parent)
    view.horizontalHeader().setResizeContentsPrecision(40)  # measure visible rows only
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def show_error(parent: QWidget, error: InvdeskError) -> None:
    QMessageBox.warning(parent, "invdesk", error.message)


def reselect(table: QTableView, replace: Callable[[], None], key: Callable[[Any], Any]) -> None:
    """Run `replace` (new rows for the table's ListTableModel), then select the row with the same
    `key` as the one selected before, and keep the scroll position."""
    model = table.model()
    chosen = table.selectionModel().selectedRows()
    before = model.data(chosen[0], ROW_ROLE) if chosen else None
    scroll = table.verticalScrollBar().value()
    replace()
    table.verticalScrollBar().setValue(scroll)
    if before is None:
        return
    for number in range(model.rowCount()):
        row = model.data(model.index(number, 0), ROW_ROLE)
        if row is not None and key(row) == key(before):
            table.selectRow(number)
            return
