"""Bits the live pages share: a fixed-row-height table, error display, the kinds a page refreshes on."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMessageBox, QTableView, QWidget

from invdesk.domain.errors import InvdeskError


def table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
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
