"""A post racing sales and counts, on SQLite and PostgreSQL: every sale is kept, the post books
its differences once, nothing deadlocks, and the ledger, counters and quants agree after."""

from __future__ import annotations

import random
import threading

from invdesk.domain.counts import OpenCount, PostCount, RecordCount
from invdesk.domain.errors import Conflict
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.counts import lines, posting, sheets
from invdesk.services.stock import operations
from invdesk.services.trust import verify
from tests import support
from tests.integration.test_counts import BOSS, CLERK

SKUS = [f"R-{n:02d}" for n in range(12)]


def test_sales_and_counts_racing_a_post_are_all_kept(db):
    support.warehouse(db, "MAIN")
    for sku in SKUS:
        support.product(db, sku)
        support.stocked(db, sku, 100)
    sheet = sheets.open_count(db, OpenCount("MAIN"), BOSS).id
    for sku in SKUS[:6]:
        lines.record_count(db, RecordCount(sheet, "-", sku, 99), CLERK)  # one missing each
    sold: list[str] = []
    late: list[str] = []
    start = threading.Barrier(3)

    def sell() -> None:
        rng = random.Random(7)
        start.wait()
        for _ in range(30):
            sku = rng.choice(SKUS)
            operations.issue(db, IssueStock("MAIN", (Line(sku, 1),)), CLERK)
            sold.append(sku)

    def count_late() -> None:
        start.wait()
        for sku in SKUS[6:]:
            try:
                lines.record_count(db, RecordCount(sheet, "-", sku, 100), CLERK)
                late.append(sku)
            except Conflict:
                pass  # the sheet was posted first: refused, nothing written

    threads = [threading.Thread(target=sell), threading.Thread(target=count_late)]
    for thread in threads:
        thread.start()
    start.wait()
    posted = posting.post_count(db, PostCount(sheet), BOSS)
    for thread in threads:
        thread.join(timeout=60)

    assert len(sold) == 30
    # Each counted line books counted - expected as seen at its count: -1 for the first six;
    # a late count (before the post) books 100 - what was there then.
    total = sum(support.on_hand(db, sku)[0] for sku in SKUS)
    assert total == 100 * len(SKUS) - 30 + posted.units
    if not late:  # the post came first: only the six early lines were booked
        assert posted.units == -6
    assert verify.verify(db, BOSS) == []
