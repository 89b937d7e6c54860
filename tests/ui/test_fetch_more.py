"""The fetch-more list model: the first page shows, the next is read when the view asks for
more, and the end is the end (the Reorder page's suggestions arrive this way)."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from invdesk.ui.background import Background
from invdesk.ui.models.more import FetchMoreListModel

ROWS = [f"row {n}" for n in range(5)]


def pages(after):
    start = 0 if after is None else after
    rows = ROWS[start : start + 2]
    return rows, (start + 2 if start + 2 < len(ROWS) else None)


def test_rows_arrive_a_page_at_a_time_until_the_end(qtbot, qtmodeltester):
    runner = Background(None, inline=True)
    model = FetchMoreListModel([("Row", lambda r: r)], runner=runner)
    model.start(pages)
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert [model.row_at(n) for n in range(model.rowCount())] == ROWS
    assert not model.canFetchMore()
    model.start(pages)  # a new query starts over
    assert model.rowCount() == 2 and model.canFetchMore()
    qtmodeltester.check(model)


def test_a_page_closed_while_its_read_runs_is_not_filled_afterwards(qtbot):
    """The Reorder page closed mid-read: the late result is dropped, never written into the
    deleted model (a crash of the whole app before)."""
    runner = Background(None)
    page = QWidget()
    model = FetchMoreListModel([("Row", lambda r: r)], parent=page, runner=runner)
    release = threading.Event()

    def slow(after):
        release.wait(5)
        return pages(after)

    model.start(slow)
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(model))
    release.set()
    assert runner.wait(5000)
    qtbot.wait(50)  # the result's callback runs on the GUI thread and must drop it
