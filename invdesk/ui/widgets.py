"""Small building blocks shared by the pages: the page frame, tables, a debounced search box."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invdesk.ui.resources import icon

ROW_HEIGHT = 28
SEARCH_DELAY_MS = 250


def make_table(
    model: QAbstractItemModel, parent: QWidget, *, sortable: Collection[int] = ()
) -> QTableView:
    """A table for big models: fixed row height; the `sortable` columns sort in the model (SQL).

    Double-click and Enter on a row emit `activated`.
    """
    table = QTableView(parent)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setCornerButtonEnabled(False)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never ResizeToContents
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    vertical.hide()
    horizontal = table.horizontalHeader()
    horizontal.setStretchLastSection(True)
    horizontal.setHighlightSections(False)
    horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    horizontal.setResizeContentsPrecision(ROW_HEIGHT)  # measure visible rows only
    if sortable:
        table.setSortingEnabled(True)
        horizontal.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        shown: list[Any] = [0, Qt.SortOrder.AscendingOrder]

        def keep_to_sortable(column: int, order: Qt.SortOrder) -> None:
            if column in sortable:
                shown[:] = [column, order]
            else:  # the model ignores it: put the indicator back where the rows are sorted
                horizontal.blockSignals(True)
                horizontal.setSortIndicator(shown[0], shown[1])
                horizontal.blockSignals(False)

        horizontal.sortIndicatorChanged.connect(keep_to_sortable)
    return table


def set_widths(table: QTableView, widths: dict[int, int]) -> None:
    """Starting column widths, never narrower than the column's title."""
    header = table.horizontalHeader()
    for column, width in widths.items():
        table.setColumnWidth(column, max(width, header.sectionSizeHint(column) + 4))


class SearchBox(QLineEdit):
    """A line edit that reports its text once the user pauses typing."""

    search_changed = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(280)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.text().strip()))
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.apply_now)

    def apply_now(self) -> None:
        self._timer.stop()
        self.search_changed.emit(self.text().strip())


def card(title: str, value: str, parent: QWidget, accent: str = "") -> tuple[QFrame, QLabel]:
    """A dashboard figure: a big number over its caption."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    if accent:
        frame.setProperty("accent", accent)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    number = QLabel(value, frame)
    number.setObjectName("cardValue")
    caption = QLabel(title, frame)
    caption.setObjectName("cardCaption")
    layout.addWidget(number)
    layout.addWidget(caption)
    return frame, number


def reload_in_place(table: QTableView, model: Any) -> None:
    """A live update that has to read a paged table again: the scroll position and the
    selected row (found again by its ids among the rows on screen) stay where they were."""
    chosen = table.selectionModel().selectedRows()
    row = model.row_at(chosen[0].row()) if chosen else None
    wanted = set(model.row_ids(row)) if row is not None else set()
    scroll = table.verticalScrollBar().value()

    def restore(_count: int) -> None:
        table.verticalScrollBar().setValue(scroll)
        if not wanted:
            return
        first = max(0, table.rowAt(0))
        last = table.rowAt(table.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        for number in range(first, last + 1):
            found = model.row_at(number)
            if found is not None and wanted & set(model.row_ids(found)):
                table.selectRow(number)
                return

    model.loaded.connect(restore, Qt.ConnectionType.SingleShotConnection)
    model.reload()
