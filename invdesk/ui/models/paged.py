"""A table model over a sorted SQL result of any size: a row count and pages fetched on demand.

Only the pages the view shows are held (a small cache). A page next to a cached one is read by
keyset (rows after its last key); any other page by an offset from the nearer end, so both the
first and the last page of a million rows take one short query.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from invdesk.domain.browse import Page, PageRequest
from invdesk.domain.security import Actor
from invdesk.services.system.database import Database
from invdesk.ui.background import Background
from invdesk.ui.models.columns import Index, TableModel

log = logging.getLogger(__name__)
PAGE_SIZE = 100
CACHED_PAGES = 40


class PagedTableModel(TableModel):
    loaded = Signal(int)
    """Emitted with the row count after each reload."""
    failed = Signal(object)

    page_size = PAGE_SIZE

    def __init__(self, parent: Any = None, background: Background | None = None) -> None:
        super().__init__(parent)
        # Without the window's runner (a model used on its own) reads run at once.
        self._background = background or Background(self, inline=True)
        self._total = 0
        self._pages: OrderedDict[int, Page[Any]] = OrderedDict()
        self._generation = 0
        self._asked: set[Any] = set()  # row ids waiting for a re-read
        self._rereading = False
        self.reread_all: Callable[[], None] = self.reload
        """What a live re-read does when the rows shown no longer fit the query (a page may
        set one that keeps its selection and scroll position)."""

    descending = False
    """Whether the current sort is descending (keys compare the other way round)."""

    # Subclasses: what to count and fetch for the current query.
    def count(self) -> int:
        raise NotImplementedError

    def fetch(self, request: PageRequest) -> Page[Any]:
        raise NotImplementedError

    # Subclasses that follow live updates: the ids of a row, and a re-read of the asked ones.
    def row_ids(self, row: Any) -> tuple[Any, ...]:
        """The ids a live-update hint may name this row by."""
        raise NotImplementedError

    def fetch_rows(self, ids: frozenset[Any]) -> Page[Any]:
        """The rows named by `ids` that match the current query, with their keys."""
        raise NotImplementedError

    def refresh_rows(self, ids: Any) -> None:
        """Re-read the rows named by `ids` (off the GUI thread with the window's Background) and
        update those on the cached pages in place (dataChanged): selection and scroll stay.

        A row that left the query, moved in the sort order, or newly falls among the cached
        rows makes a full reload instead. Re-reads run one at a time, so an older read never
        overwrites a newer one; ids asked meanwhile are read next.
        """
        self._asked.update(ids)
        if not self._rereading and self._asked:
            self._reread()

    def _reread(self) -> None:
        ids, self._asked = frozenset(self._asked), set()
        self._rereading = True
        generation = self._generation

        def then(page: Page[Any]) -> None:
            self._rereading = False
            if generation == self._generation:
                self._apply(ids, page)
            if self._asked:
                self._reread()

        def failed(error: BaseException) -> None:
            self._rereading = False  # the rows shown stay; the next change or check reads again
            self.failed.emit(error)

        self._background.run(lambda: self.fetch_rows(ids), then, failed)

    def _apply(self, ids: frozenset[Any], fresh: Page[Any]) -> None:
        found: dict[Any, tuple[Any, Any]] = {}
        for row, key in zip(fresh.rows, fresh.keys, strict=True):
            for rid in self.row_ids(row):
                found[rid] = (row, key)
        seen: set[Any] = set()
        changed: list[int] = []
        for number, page in list(self._pages.items()):
            rows = list(page.rows)
            for offset, row in enumerate(rows):
                mine = [rid for rid in self.row_ids(row) if rid in ids or rid in found]
                if not mine:
                    continue
                hit = next((found[rid] for rid in mine if rid in found), None)
                if hit is None or hit[1] != page.keys[offset]:
                    self.reread_all()  # it left the query or moves in the sort order
                    return
                seen.add(id(hit[0]))
                if hit[0] != row:
                    rows[offset] = hit[0]
                    changed.append(number * self.page_size + offset)
            self._pages[number] = Page(tuple(rows), page.keys)
        if any(id(row) not in seen and self._among_cached(key) for row, key in found.values()):
            self.reread_all()  # a row new to the query, where the view already shows rows
            return
        last = self.columnCount() - 1
        for row in changed:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _among_cached(self, key: Any) -> bool:
        """Whether a row with sort key `key` would sit on (or between) the cached pages."""
        if not self._pages:
            return True  # an empty view: any new row shows
        try:
            for number, page in self._pages.items():
                if not page.keys:
                    continue
                lo, hi = page.keys[0], page.keys[-1]
                after = self._pages.get(number + 1)
                if after is not None and after.keys:
                    hi = after.keys[0]
                if self.descending:
                    lo, hi = hi, lo
                first = number == 0 and (key < lo if not self.descending else key > hi)
                end = number * self.page_size + len(page.rows) >= self._total
                last = end and (key > hi if not self.descending else key < lo)
                if lo <= key <= hi or first or last:
                    return True
        except TypeError:  # keys that do not compare (a NULL): be safe
            return True
        return False

    def reload(self) -> None:
        """Read the first page again, then count the rows (both off the GUI thread with the window's
        Background). The first page shows as soon as it is read; the count, which grows with the
        table, follows and extends the rows the view can scroll to."""
        self._generation += 1
        generation = self._generation

        def work() -> Page[Any]:
            return self.fetch(PageRequest(limit=self.page_size))

        def show(first: Page[Any]) -> None:
            if generation != self._generation:
                return  # a newer query replaced this one while it ran
            self.beginResetModel()
            self._total, self._pages = len(first.rows), OrderedDict({0: first})
            self.endResetModel()
            if self._total < self.page_size:
                self.loaded.emit(self._total)  # a short first page is the whole result
            else:
                self._run(self.count, counted)

        def counted(total: int) -> None:
            if generation != self._generation:
                return
            if total > self._total:
                self.beginInsertRows(QModelIndex(), self._total, total - 1)
                self._total = total
                self.endInsertRows()
            self.loaded.emit(self._total)

        self._run(work, show)

    def _run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self._background.run(work, then, self._fail)

    def _fail(self, error: BaseException) -> None:
        self.beginResetModel()
        self._total, self._pages = 0, OrderedDict()
        self.endResetModel()
        self.failed.emit(error)

    def row_at(self, row: int) -> Any:
        """The DTO at `row`, reading its page if needed; None outside the rows or on an error."""
        if not 0 <= row < self._total:
            return None
        number, offset = divmod(row, self.page_size)
        page = self._page(number)
        if page is None or offset >= len(page.rows):
            return None
        return page.rows[offset]

    def _page(self, number: int) -> Page[Any] | None:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        try:
            page = self.fetch(self._request(number))
        except Exception as error:  # data() must never raise
            log.warning("reading page %s failed: %s", number, error)
            self.failed.emit(error)
            return None
        self._pages[number] = page
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _request(self, number: int) -> PageRequest:
        size = self.page_size
        start = number * size
        rows = min(size, self._total - start)
        before, after = self._pages.get(number - 1), self._pages.get(number + 1)
        if before is not None and len(before.keys) == size:
            return PageRequest(limit=rows, after=before.keys[-1])
        if after is not None and after.keys:
            return PageRequest(limit=rows, before=after.keys[0])
        if start <= self._total // 2:
            return PageRequest(limit=rows, offset=start)
        return PageRequest(limit=rows, offset=self._total - start - rows, from_end=True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    @property
    def cached_pages(self) -> list[int]:
        return list(self._pages)


class QueryTableModel(PagedTableModel):
    """A paged table over one query value (filters and sort) of a browse service: a new query
    reloads, a header click sorts by that column's key in `SORTS`."""

    SORTS: Mapping[int, Any] = {}
    """Column -> the query's sort key; columns not listed do not sort."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        query: Any,
        parent: Any = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(parent, background)
        self._db, self._actor = db, actor
        self.query = query

    def set_query(self, query: Any) -> None:
        if query != self.query:
            self.query = query
            self.reload()

    @property
    def descending(self) -> bool:  # type: ignore[override]
        return bool(self.query.descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        by = self.SORTS.get(column)
        if by is not None:
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_query(replace(self.query, sort=by, descending=descending))
