"""Count sheets at the stock grain, on SQLite and PostgreSQL: zones, bins found empty or full,
lots counted lot by lot, and a post that books at each quant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from invdesk.domain.counts import PostCount, RecordCount
from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.counts import lines, posting, variance
from invdesk.services.stock import operations
from invdesk.services.trust import verify
from tests import support
from tests.integration.test_counts import BOSS, CLERK, Clock, count, open_sheet, sell


@pytest.fixture
def bins(db):
    """MAIN with zone Z holding bin Z-1; BOLT in Z-1 and in the default location; MILK in two
    lots (A expires first)."""
    db.clock = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    support.warehouse(db, "MAIN")
    support.location(db, "MAIN", "Z")
    support.location(db, "MAIN", "Z-1")
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE location SET parent_id = (SELECT id FROM location WHERE code = 'Z') "
                 "WHERE code = 'Z-1'")
        )  # fmt: skip
    support.product(db, "BOLT")
    support.tracked(db, "MILK", "lot")
    lines_in = (
        Line("BOLT", 5, location="Z-1"),
        Line("BOLT", 3),
        Line("MILK", 4, lot="A", expiry="2026-04-01"),
        Line("MILK", 2, lot="B", expiry="2026-05-01"),
    )
    operations.receive(db, ReceiveStock("MAIN", lines_in), BOSS)
    return db


def _grain(report) -> list[tuple[str, str | None, str | None]]:
    return [(line.sku, line.location, line.lot) for line in (*report.counted, *report.uncounted)]


def test_a_zone_sheet_holds_the_zone_and_the_locations_inside_it(bins):
    sheet = open_sheet(bins, zone="Z")
    assert _grain(variance.variance(bins, BOSS, sheet)) == [("BOLT", "Z-1", None)]


def test_counts_at_locations_and_lots_book_at_their_quant(bins):
    sheet = open_sheet(bins)
    assert sorted(_grain(variance.variance(bins, BOSS, sheet)), key=str) == sorted(
        [("BOLT", None, None), ("BOLT", "Z-1", None), ("MILK", None, "A"), ("MILK", None, "B")],
        key=str,
    )
    with pytest.raises(ValidationError, match="tracked by lot"):
        count(bins, sheet, "MILK", 3)  # two lots there: which one?
    assert count(bins, sheet, "MILK", 3, lot="A").expected == 4
    lines.record_count(bins, RecordCount(sheet, "Z-1", "BOLT", 6), CLERK)
    sell(bins, "MILK", 1)  # first expiry first: out of lot A, after its count

    posting.post_count(bins, PostCount(sheet), BOSS)

    quants = {(line.sku, line.location, line.lot): line.on_hand for line in _lines(bins, sheet)}
    assert quants == {
        ("BOLT", None, None): 3,
        ("BOLT", "Z-1", None): 6,
        ("MILK", None, "A"): 2,  # 3 counted, 1 sold since
        ("MILK", None, "B"): 2,
    }
    report = verify.verify_all(bins, BOSS)
    assert report.discrepancies == [] and report.findings == []


def _lines(db, sheet: int):
    report = variance.variance(db, BOSS, sheet)
    return (*report.counted, *report.uncounted)


def test_an_empty_bin_opens_an_empty_sheet_and_what_is_found_there_is_booked(bins):
    sheet = open_sheet(bins, locations=("Z",))
    assert variance.variance(bins, BOSS, sheet).uncounted == ()
    found = lines.record_count(bins, RecordCount(sheet, "Z", "BOLT", 2), CLERK)
    assert (found.expected, found.variance) == (0, 2)
    posting.post_count(bins, PostCount(sheet), BOSS)
    assert support.on_hand(bins, "BOLT") == (10, 0)  # 5 in Z-1, 3 in default, 2 found in Z
