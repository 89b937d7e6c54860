"""A post that waits seconds for a PostgreSQL row lock never freezes the window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from sqlalchemy import create_engine, text

from invdesk.db.engine import Database
from invdesk.ui.dialogs import IssueDialog
from tests import support
from tests.fixtures.databases import _admin_url, _empty
from tests.ui.dialogs.shop import CLERK, seed


def _waiting_on_a_lock(probe) -> int:
    return int(
        probe.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    )


def test_a_post_waiting_for_a_row_lock_keeps_the_gui_thread_running(qtbot, pg_url):
    with Database.open(pg_url) as fresh:
        _empty(fresh)
    db = Database.open(pg_url)
    other = create_engine(_admin_url(pg_url))  # another PC, in the middle of its own post
    try:
        seed(db)
        dialog = IssueDialog(db, CLERK, warehouse="MAIN", lines=[("CAB-1", 4)])
        qtbot.addWidget(dialog)
        dialog.show()
        ticks: list[int] = []
        timer = QTimer(dialog)
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        with other.connect() as holder, other.connect() as probe:
            holder.execute(
                text(
                    "SELECT sl.on_hand FROM stock_level sl JOIN product p ON p.id = sl.product_id "
                    "WHERE p.sku = 'CAB-1' FOR UPDATE OF sl"
                )
            )
            job = dialog.post()
            assert job is not None  # the post returned at once: it runs off the GUI thread
            qtbot.waitUntil(lambda: _waiting_on_a_lock(probe) >= 1, timeout=3000)
            blocked_at = len(ticks)
            # The post is held by the lock; the GUI thread keeps serving its timers and events.
            qtbot.waitUntil(lambda: len(ticks) >= blocked_at + 10, timeout=2000)
            assert _waiting_on_a_lock(probe) >= 1 and dialog.posted_result is None
            assert dialog.isVisible() and not dialog.can_post()
            with qtbot.waitSignal(dialog.posted, timeout=10_000):
                holder.rollback()  # the other PC finishes: the lock goes
        timer.stop()
        assert support.on_hand(db, "CAB-1") == (6, 0)
    finally:
        other.dispose()
        db.dispose()
