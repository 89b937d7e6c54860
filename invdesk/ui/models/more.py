"""A list read a page at a time as the view scrolls down (Qt's canFetchMore / fetchMore).

For results that are read in order and cannot be counted cheaply (the Reorder page's
suggestions: the database finds them by walking the stock rows), so no row count and no
random access: the first page shows at once, the next is read off the GUI thread when the
view nears the end of what it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Signal

from invdesk.ui import background
from invdesk.ui.background import Background
from invdesk.ui.models.columns import ColumnDef, Index, ListTableModel

Fetch = Callable[[Any], tuple[Sequence[Any], Any]]
"""fetch(after) -> (rows, the `after` of the next page, or None at the end); None: the first."""


class FetchMoreListModel(ListTableModel):
    loaded = Signal(int)
    """Emitted with the row count after the first page and after each further page."""
    failed = Signal(object)

    def __init__(
        self,
        columns: Sequence[ColumnDef],
        parent: Any = None,
        runner: Background | None = None,
    ) -> None:
        super().__init__(columns, parent=parent)
        self._runner = runner
        self._fetch: Fetch | None = None
        self._after: Any = None
        self._more = False
        self._busy = False
        self._generation = 0

    def start(self, fetch: Fetch) -> None:
        """Read the first page with `fetch` (replacing the rows when it arrives)."""
        self._fetch, self._generation = fetch, self._generation + 1
        self._read(None, replace=True)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._busy

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._read(self._after, replace=False)

    def _read(self, after: Any, *, replace: bool) -> None:
        fetch, generation = self._fetch, self._generation
        assert fetch is not None
        self._busy = True

        def then(result: tuple[Sequence[Any], Any]) -> None:
            if not shiboken6.isValid(self):
                return  # the page (and this model) closed while the read ran: nothing to fill
            if generation != self._generation:
                return  # a newer start() replaced this read
            rows, self._after = result
            self._more, self._busy = self._after is not None, False
            if replace:
                self.set_rows(rows)
            elif rows:
                first = self.rowCount()
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
            self.loaded.emit(self.rowCount())

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                self._busy = False
                self.failed.emit(error)

        runner = self._runner or background.default()
        runner.run(lambda: fetch(after), then, failed, newest=self)
