"""The contract every page of the main window keeps, and the titled frame most pages use.

The window and its wiring talk to pages only through `Page`: what a page offers (a search box,
a product table for the right-click menu, remembered column widths, the change kinds it shows)
is declared here with a default, so nothing asks a page whether it happens to have something.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from invdesk.domain.errors import InvdeskError
from invdesk.domain.security import Actor, Permission
from invdesk.services.system.database import Database
from invdesk.ui import background

SERVER_KINDS = frozenset({"admin"})
"""Change kinds only the Admin page shows: API tokens, webhooks and their deliveries."""


class Page(QWidget):
    """A page of the main window, built with (db, actor, parent) when first shown."""

    TITLE: ClassVar[str] = ""
    ICON: ClassVar[str] = ""
    PERMISSION: ClassVar[Permission] = Permission.VIEW
    """Who sees the page in the side bar."""
    KINDS: ClassVar[frozenset[str] | None] = None
    """The live-update change kinds this page shows; None: any change of the shop's data
    (stock, catalogue, orders...) may concern it; the server's own lists ("admin") do not."""

    open_product = Signal(str)
    """Asks the window for the product editor on this SKU."""
    open_warehouse = Signal(str)
    """Asks the window for the warehouse editor on this code."""
    open_document = Signal(str, object)
    """Asks the window for a stock dialog by class name, with its keyword arguments (a dict)."""
    open_trace = Signal(str, str)
    """Asks the window for the Traceability page on this (SKU, lot or serial): a lot cell's click."""
    watch_requested = Signal()
    """Asks the window for the watched-warehouses dialog."""
    alert_mail_requested = Signal()
    """Asks the window for the user's alert e-mail dialog."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor

    def refresh(self) -> None:
        """Read the page's data again."""
        raise NotImplementedError

    def follows(self, kinds: frozenset[str]) -> bool:
        """Whether a change of these kinds may concern what the page shows."""
        if self.KINDS is None:
            return bool(kinds - SERVER_KINDS)
        return bool(kinds & self.KINDS)

    def on_changed(self, kinds: frozenset[str], ids: Any = None) -> None:
        """A live change while the page is on screen (the window marks hidden pages stale).
        Pages that can re-read only the rows named in `ids` override this."""
        self.refresh()

    def search_box(self) -> QLineEdit | None:
        """The box Ctrl+F goes to, if the page has one."""
        return None

    def tables(self) -> dict[str, QTableView]:
        """Tables whose column widths are remembered (and exported), by a stable name."""
        return {}

    def product_table(self) -> QTableView | None:
        """A table of products whose right-click menu opens documents for `selected_sku()`."""
        return None

    def selected_sku(self) -> str | None:
        return None

    def current_warehouse(self) -> str | None:
        """The warehouse a new stock document opens on (the page's filter), if any."""
        return None

    def wait_for_jobs(self, timeout_ms: int = 30000) -> bool:
        """Block until the page's own workers finished (screenshots, shutdown)."""
        return True

    def framed(self, parent: QWidget) -> QWidget:
        """What the window's stack shows: the page under its title."""
        return titled(self.TITLE, self, parent)


class TitledPage(Page):
    """A page with its own title row and status line. Subclasses set SUBTITLE and fill
    `filters` and `body`."""

    SUBTITLE: ClassVar[str] = ""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(db, actor, parent)
        self.setObjectName(f"page_{type(self).__name__}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        top = QHBoxLayout()
        title = QLabel(self.TITLE, self)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        self.status = QLabel("", self)
        self.status.setObjectName("pageStatus")
        top.addStretch(1)
        top.addWidget(self.status)
        layout.addLayout(top)
        if self.SUBTITLE:
            subtitle = QLabel(self.SUBTITLE, self)
            subtitle.setObjectName("pageSubtitle")
            subtitle.setWordWrap(True)
            layout.addWidget(subtitle)
        self.filters = QHBoxLayout()
        self.filters.setSpacing(8)
        layout.addLayout(self.filters)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)

    def framed(self, parent: QWidget) -> QWidget:
        return self

    def show_failure(self, error: object) -> None:
        """A failed read: a known error in the page's status line, a bug in the crash dialog."""
        if isinstance(error, InvdeskError):
            self.status.setText(error.message)
        elif isinstance(error, BaseException):
            self.status.setText("Could not read the data.")
            background.show_error(self, error)


def titled(title: str, page: QWidget, parent: QWidget) -> QWidget:
    """A page that has no title of its own, under one like every other page's."""
    frame = QWidget(parent)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 0)
    label = QLabel(title, frame)
    label.setObjectName("pageTitle")
    layout.addWidget(label)
    layout.addWidget(page, 1)
    page.setParent(frame)
    return frame
