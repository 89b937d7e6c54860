"""The fetch-more list model: the first page shows, the next is read when the view asks for
more, and the end is the end (the Reorder page's suggestions arrive this way)."""

from __future__ import annotations

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
