"""What the main window offers the parts built around it (stock actions, wiring, menus).

The parts live in their own modules and reach the window through this base, not by importing
`main_window` (which imports them): the window's contract, in one place, without an import circle.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from invdesk.domain.security import Actor
from invdesk.services.system.database import Database
from invdesk.ui.pages.base import Page


class WindowHost(QMainWindow):
    """The main window as its parts see it; `MainWindow` is the one implementation."""

    data_changed = Signal(str)
    """After a write: "stock", "products" or "warehouses"; pages refresh what they show."""

    db: Database
    actor: Actor
    settings: QSettings
    stack: QStackedWidget
    refresh_action: QAction
    actions_: Any  # the window's StockActions (they take the window, so not named here)

    def current_page(self) -> Page:
        raise NotImplementedError

    def open_page(self, page_class: type[Page]) -> Page:
        raise NotImplementedError

    def built_pages(self) -> dict[int, Page]:
        raise NotImplementedError

    def mark_stale(self, number: int) -> None:
        raise NotImplementedError

    def set_badge(self, title: str, count: int) -> None:
        raise NotImplementedError

    def flash(self, good: bool, message: str) -> None:
        raise NotImplementedError
