"""Bits the live pages share: a fixed-row-height table, error display, the kinds a page refreshes on."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invdesk.domain.errors import InvdeskError
from invdesk.ui.models.columns import ROW_ROLE
from invdesk.ui.models.paged import PagedTableModel
from invdesk.ui.widgets import make_table, reload_in_place, set_widths

if TYPE_CHECKING:
    from invdesk.ui.pages.base import TitledPage


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


def captioned(parent: QWidget, caption: str, view: QWidget) -> QWidget:
    """A view under a one-line caption (the parts of a page split in several tables)."""
    box = QWidget(parent)
    inner = QVBoxLayout(box)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.addWidget(QLabel(caption, box))
    inner.addWidget(view)
    return box


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


def refill(combo: QComboBox, first: str, items: Iterable[tuple[str, Any]]) -> None:
    """Replace a filter's choices (`first` meaning "all", then (text, value) pairs), keeping the
    chosen value if it is still there, without announcing the refill as a change of filter."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


def paged_table(
    page: TitledPage,
    model: PagedTableModel,
    *,
    widths: dict[int, int],
    sortable: Collection[int],
    noun: str,
    on_open: Callable[[QModelIndex], None],
) -> QTableView:
    """The table of a page over a paged model: sortable columns, widths, a reload that keeps the
    place, opening a row, a failed read shown on the page, and the row count in its status line."""
    view = make_table(model, page, sortable=sortable)
    set_widths(view, widths)
    page.body.addWidget(view)
    model.reread_all = lambda: reload_in_place(view, model)
    view.activated.connect(on_open)
    model.failed.connect(page.show_failure)
    model.loaded.connect(lambda n: page.status.setText(f"{n:,} {noun}"))
    return view
