"""The Help menu (keyboard shortcuts, about) and what a page without its own title is framed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from invdesk import __version__
from invdesk.services.system import database

if TYPE_CHECKING:
    from invdesk.ui.window_host import WindowHost

IN_DOCUMENTS = (
    ("Enter (in the scan field)", "Add the typed code as a line"),
    ("Ctrl+Enter", "Post the document"),
    ("A digit on a line", "Edit that line's quantity"),
    ("Delete (on a line)", "Remove the line"),
    ("Escape, Ctrl+W", "Close (asks first when it has lines)"),
)


def page_shortcut(number: int) -> str:
    """Pages 1-9 on Ctrl+1 … Ctrl+9, the tenth on Ctrl+0, the rest on Alt+1, Alt+2 …"""
    if number < 9:
        return f"Ctrl+{number + 1}"
    if number == 9:
        return "Ctrl+0"
    return f"Alt+{number - 9}"


def shortcuts_dialog(window: WindowHost) -> QDialog:
    """Every shortcut of the window's actions, and those of the stock documents."""
    rows = sorted(
        {
            (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), action.text())
            for action in window.findChildren(type(window.refresh_action))
            if not action.shortcut().isEmpty()
        },
        key=lambda row: row[1].replace("&", ""),
    )
    rows += list(IN_DOCUMENTS)
    dialog = QDialog(window)
    dialog.setWindowTitle("Keyboard shortcuts")
    dialog.resize(520, 640)
    table = QTableWidget(len(rows), 2, dialog)
    table.setHorizontalHeaderLabels(["Keys", "Does"])
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, 190)
    for row, (keys, does) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(keys))
        table.setItem(row, 1, QTableWidgetItem(does.replace("&", "")))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    return dialog


def about_box(window: WindowHost) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About invdesk", "", parent=window)
    box.setText(f"<b>invdesk {__version__}</b><br>Inventory for shops and warehouses.")
    box.setInformativeText(
        f"Database: {database.describe(window.db)}<br>"
        f"Signed in as {window.actor.username} ({window.actor.role})"
    )
    return box
