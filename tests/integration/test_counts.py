"""Count sheets on SQLite and PostgreSQL: a sale between counting and posting survives the count,
lines that moved are flagged, a post books once and refuses as a whole, the ABC schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from invdesk.domain.counts import CountStatus, OpenCount, PostCount, RecordCount
from invdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import (
    IssueStock,
    LedgerFilter,
    Line,
    MovementKind,
    ReserveStock,
)
from invdesk.services.counts import lines, posting, sheets, variance
from invdesk.services.reads import queries
from invdesk.services.stock import operations, reservations
from invdesk.services.trust import verify
from tests import support

BOSS = Actor("boss", Role.MANAGER)
CLERK = Actor("cleo", Role.CLERK)


@pytest.fixture
def shop(db):
    """MAIN with SKU-1 (10 on hand, cost 1.00) and SKU-2 (20, cost 2.50)."""
    support.warehouse(db, "MAIN")
    support.product(db, "SKU-1")
    support.product(db, "SKU-2", cost="2.50")
    support.stocked(db, "SKU-1", 10)
    support.stocked(db, "SKU-2", 20)
    return db


def sell(db, sku: str, qty: int) -> None:
    operations.issue(db, IssueStock("MAIN", (Line(sku, qty),)), CLERK)


def count(db, sheet: int, sku: str, qty: int, **kw):
    return lines.record_count(db, RecordCount(sheet, "-", sku, qty, **kw), CLERK)


def open_sheet(db, **kw) -> int:
    return sheets.open_count(db, OpenCount("MAIN", **kw), BOSS).id


def adjustments(db) -> list[tuple[str, int]]:
    rows = queries.history(db, BOSS, LedgerFilter(kinds=(MovementKind.ADJUST,)))
    return sorted((m.sku, m.qty) for m in rows)


def test_a_sale_between_counting_and_posting_survives_the_count(shop):
    sheet = open_sheet(shop)
    counted = count(shop, sheet, "SKU-1", 8)  # two missing
    assert (counted.expected, counted.counted, counted.variance) == (10, 8, -2)
    sell(shop, "SKU-1", 3)  # after the count, before the post

    posted = posting.post_count(shop, PostCount(sheet), BOSS)

    assert (posted.movements, posted.units) == (1, -2)
    assert support.on_hand(shop, "SKU-1") == (5, 0)  # 8 counted, 3 sold since
    assert support.on_hand(shop, "SKU-2") == (20, 0)  # not counted: unchanged
    assert adjustments(shop) == [("SKU-1", -2)]
    (view,) = sheets.list_counts(shop, BOSS, sheet=sheet)
    assert view.status is CountStatus.POSTED
    assert verify.verify(shop, BOSS) == []


def test_scans_add_up_and_a_typed_count_replaces(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 1, add=True)
    assert count(shop, sheet, "SKU-1", 1, add=True).counted == 2
    assert count(shop, sheet, "SKU-1", 7).counted == 7


def test_lines_that_moved_are_flagged(shop):
    sheet = open_sheet(shop)
    sell(shop, "SKU-1", 1)  # moved after the opening, before its count
    count(shop, sheet, "SKU-1", 9)
    count(shop, sheet, "SKU-2", 20)
    sell(shop, "SKU-2", 1)  # moved after its count

    report = variance.variance(shop, BOSS, sheet)

    flags = {line.sku: (line.recount, line.moved_after) for line in report.counted}
    assert flags == {"SKU-1": (True, False), "SKU-2": (False, True)}
    assert report.uncounted == ()


def test_the_variance_report_prices_differences_and_lists_uncounted_lines_apart(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-2", 17)

    report = variance.variance(shop, BOSS, sheet)

    (line,) = report.counted
    assert (line.sku, line.variance, line.value) == ("SKU-2", -3, Decimal("-7.5"))
    assert (report.units, report.value) == (-3, Decimal("-7.5"))
    assert [(u.sku, u.counted, u.on_hand) for u in report.uncounted] == [("SKU-1", None, 10)]


def test_a_retried_post_books_once(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 12)
    first = posting.post_count(shop, PostCount(sheet, request_id="post-1"), BOSS)
    again = posting.post_count(shop, PostCount(sheet, request_id="post-1"), BOSS)

    assert (first.replayed, again.replayed) == (False, True)
    assert again.movements == 1
    assert adjustments(shop) == [("SKU-1", 2)]
    assert support.on_hand(shop, "SKU-1") == (12, 0)
    with pytest.raises(Conflict, match="already posted"):
        posting.post_count(shop, PostCount(sheet, request_id="post-2"), BOSS)


def test_a_post_without_a_request_id_is_safe_to_retry(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 4)
    posting.post_count(shop, PostCount(sheet), BOSS)
    assert posting.post_count(shop, PostCount(sheet), BOSS).replayed
    assert support.on_hand(shop, "SKU-1") == (4, 0)


def test_a_delta_that_cannot_be_booked_refuses_the_whole_post(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 11)  # fine: +1
    count(shop, sheet, "SKU-2", 5)  # -15 at posting...
    sell(shop, "SKU-2", 10)  # ...but only 10 are left
    before = support.ledger_count(shop)

    with pytest.raises(ValidationError, match="SKU-2 at the default location"):
        posting.post_count(shop, PostCount(sheet), BOSS)

    assert support.ledger_count(shop) == before
    assert support.on_hand(shop, "SKU-1") == (10, 0)
    (view,) = sheets.list_counts(shop, BOSS, sheet=sheet)
    assert view.status is CountStatus.OPEN
    count(shop, sheet, "SKU-2", 5)  # counted again: expected is 10 now
    posting.post_count(shop, PostCount(sheet), BOSS)
    assert support.on_hand(shop, "SKU-2") == (5, 0)


def test_uncounted_lines_count_as_zero_only_when_asked(shop):
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 10)
    posting.post_count(shop, PostCount(sheet, uncounted_zero=True), BOSS)
    assert support.on_hand(shop, "SKU-2") == (0, 0)
    report = variance.variance(shop, BOSS, sheet)
    assert {(line.sku, line.posted_delta) for line in report.counted} == {
        ("SKU-1", 0),
        ("SKU-2", -20),
    }
    assert verify.verify(shop, BOSS) == []


def test_a_sheet_of_some_products_and_a_cancelled_sheet(shop):
    sheet = open_sheet(shop, products=("SKU-2",))
    assert [line.sku for line in variance.variance(shop, BOSS, sheet).uncounted] == ["SKU-2"]
    sheets.cancel_count(shop, sheet, BOSS)
    with pytest.raises(Conflict, match="cancelled"):
        count(shop, sheet, "SKU-2", 1)
    with pytest.raises(Conflict, match="cancelled"):
        posting.post_count(shop, PostCount(sheet), BOSS)


def test_only_managers_open_post_and_cancel_clerks_count(shop):
    with pytest.raises(PermissionDenied):
        sheets.open_count(shop, OpenCount("MAIN"), CLERK)
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 9)
    with pytest.raises(PermissionDenied):
        posting.post_count(shop, PostCount(sheet), CLERK)
    with pytest.raises(PermissionDenied):
        sheets.cancel_count(shop, sheet, CLERK)
    assert support.on_hand(shop, "SKU-1") == (10, 0)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_the_abc_schedule_counts_a_items_monthly_b_quarterly_c_yearly(db):
    clock = db.clock = Clock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    support.warehouse(db, "MAIN")
    # Issue values over the year: A 800, B 150, C 50 (and D issued nothing: C as well).
    for sku, sold in (("A", 800), ("B", 150), ("C", 50), ("D", 0)):
        support.product(db, sku)
        support.stocked(db, sku, 1000)
        if sold:
            sell(db, sku, sold)
    first = open_sheet(db, abc=True)  # never counted: every class is due
    assert sorted(u.sku for u in variance.variance(db, BOSS, first).uncounted) == list("ABCD")
    for sku in "ABCD":
        count(db, first, sku, 1000 - {"A": 800, "B": 150, "C": 50, "D": 0}[sku])
    posting.post_count(db, PostCount(first), BOSS)

    clock.now += timedelta(days=40)  # A is due again (30 days), B and C are not
    due = open_sheet(db, abc=True)
    assert [u.sku for u in variance.variance(db, BOSS, due).uncounted] == ["A"]
    sheets.cancel_count(db, due, BOSS)

    clock.now += timedelta(days=60)  # 100 days: B too (91)
    due = open_sheet(db, abc=True)
    assert [u.sku for u in variance.variance(db, BOSS, due).uncounted] == ["A", "B"]


def test_a_count_below_live_holds_is_refused_and_overdue_holds_are_released_first(shop):
    clock = shop.clock = Clock(datetime.now(UTC))
    reservations.reserve(shop, ReserveStock("SKU-1", "MAIN", 6, ttl_seconds=60), CLERK)
    sheet = open_sheet(shop)
    count(shop, sheet, "SKU-1", 4)
    with pytest.raises(ValidationError, match="below the 6 reserved"):
        posting.post_count(shop, PostCount(sheet), BOSS)

    clock.now += timedelta(minutes=5)  # the hold is overdue, not yet swept
    posting.post_count(shop, PostCount(sheet), BOSS)

    assert support.on_hand(shop, "SKU-1") == (4, 0)
    assert verify.verify(shop, BOSS) == []
