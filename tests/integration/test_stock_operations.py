"""Stock operations and their ledger rows: the happy paths and the rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from invdesk.db.models import StockLevel
from invdesk.domain.errors import InsufficientStock, ValidationError
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    LedgerFilter,
    Line,
    MovementKind,
    ReceiveStock,
    ReservationStatus,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.services.reads import queries
from invdesk.services.stock import operations, reservations
from invdesk.services.trust import verify
from tests import support

ACTOR = support.ACTOR
K = MovementKind
CASE_EAN13 = "5901234123457"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock for `Database.clock`: operations are stamped with `now`."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(db) -> Clock:
    db.clock = Clock()
    return db.clock


@pytest.fixture
def main(db):
    """MAIN then BACK (so MAIN has the lower id) and SKU-1 (standard cost 1.00)."""
    support.warehouse(db, "MAIN")
    support.warehouse(db, "BACK")
    support.product(db, "SKU-1")
    return db


def receive(db, sku: str, qty: int, cost: str | None = None, wh: str = "MAIN", **kw):
    return operations.receive(db, ReceiveStock(wh, (Line(sku, qty, cost),), **kw), ACTOR)


def issue(db, sku: str, qty: int, wh: str = "MAIN", **kw):
    return operations.issue(db, IssueStock(wh, (Line(sku, qty),), **kw), ACTOR)


def level(db, sku: str, wh: str = "MAIN"):
    (row,) = queries.stock_levels(db, ACTOR, product=sku, warehouse=wh, include_empty=True)
    return row


def ledger(db, **flt):
    """Ledger rows, oldest first, as (kind, sku, warehouse, qty, units, balance_after)."""
    rows = queries.history(db, ACTOR, LedgerFilter(**flt))
    return [(r.kind, r.sku, r.warehouse, r.qty, r.units, r.balance_after) for r in reversed(rows)]


# --- receive and the moving-average cost --------------------------------------------------------


def test_receive_sets_on_hand_and_writes_one_receive_row(main, clock):
    result = receive(main, "SKU-1", 7, "1.25", wh="main", reference="PO-77", request_id="rq-1")

    assert support.on_hand(main, "SKU-1") == (7, 0)
    (row,) = result.movements
    assert (row.kind, row.sku, row.warehouse) == (K.RECEIVE, "SKU-1", "MAIN")
    assert (row.qty, row.units, row.reserved_delta, row.balance_after) == (7, 7, 0, 7)
    assert (row.unit_cost, row.reference, row.reason) == (Decimal("1.25"), "PO-77", None)
    assert (row.user, row.request_id, row.at, row.transfer_id) == ("tester", "rq-1", START, None)
    assert (result.request_id, result.replayed) == ("rq-1", False)
    assert queries.history(main, ACTOR, LedgerFilter()) == [row]


def test_moving_average_cost_follows_each_receipt_rounded_to_four_places(main):
    receipts = {
        "WEIGHTED": [(10, "1.00"), (30, "2.00")],  # (10 + 60) / 40 = 1.75
        "HALF-UP": [(1, "1.00"), (2, "2.00")],  # 5 / 3 = 1.66666...
        "DOWN": [(2, "1.00"), (1, "2.00")],  # 4 / 3 = 1.33333...
        "FIFTH-PLACE": [(3, "1.00"), (3, "0.0001")],  # 3.0003 / 6 = 0.50005
        "NO-COST-KEEPS": [(10, "1.00"), (30, "2.00"), (5, None)],
        "FIRST-NO-COST": [(5, None)],  # starts at the product's standard cost
        "FREE-GOODS": [(1, "3.00"), (1, "0")],
    }
    for sku, lines in receipts.items():
        support.product(main, sku, cost="1.00")
        for qty, cost in lines:
            receive(main, sku, qty, cost)

    averages = {sku: level(main, sku).avg_cost for sku in receipts}

    assert averages == {
        "WEIGHTED": Decimal("1.75"),
        "HALF-UP": Decimal("1.6667"),
        "DOWN": Decimal("1.3333"),
        "FIFTH-PLACE": Decimal("0.5001"),
        "NO-COST-KEEPS": Decimal("1.75"),
        "FIRST-NO-COST": Decimal("1.00"),
        "FREE-GOODS": Decimal("1.50"),
    }


def test_issue_and_return_leave_the_average_cost_alone(main):
    receive(main, "SKU-1", 10, "1.00")
    receive(main, "SKU-1", 30, "2.00")

    out = issue(main, "SKU-1", 15).movements[0]
    back = operations.return_stock(main, ReturnStock("MAIN", (Line("SKU-1", 5),)), ACTOR).movements[
        0
    ]

    assert out.unit_cost == back.unit_cost == Decimal("1.75")
    assert level(main, "SKU-1").avg_cost == Decimal("1.75")


def test_a_case_barcode_moves_its_pack_size_in_units_per_scan(main):
    support.product(main, "CAN", barcodes=((CASE_EAN13, 12),))

    received = receive(main, CASE_EAN13, 2).movements[0]
    issued = issue(main, CASE_EAN13, 1).movements[0]

    assert (received.sku, received.qty, received.units) == ("CAN", 24, 24)
    assert (issued.qty, issued.units, issued.balance_after) == (-12, 12, 12)
    assert support.on_hand(main, "CAN") == (12, 0)


# --- issue --------------------------------------------------------------------------------------


def test_issue_reduces_on_hand_and_writes_an_issue_row(main):
    receive(main, "SKU-1", 10, "1.50")

    (row,) = issue(main, "SKU-1", 4, reference="SO-9", reason="Sale").movements

    assert support.on_hand(main, "SKU-1") == (6, 0)
    assert (row.kind, row.qty, row.units, row.balance_after) == (K.ISSUE, -4, 4, 6)
    assert (row.unit_cost, row.reference, row.reason) == (Decimal("1.50"), "SO-9", "Sale")


def test_issue_of_more_than_on_hand_fails_naming_what_is_available(main):
    receive(main, "SKU-1", 5)

    with pytest.raises(InsufficientStock) as raised:
        issue(main, "SKU-1", 6)

    assert (raised.value.available, raised.value.requested) == (5, 6)
    assert "5 available" in raised.value.message
    assert support.on_hand(main, "SKU-1") == (5, 0)


def test_issue_counts_reserved_units_as_unavailable(main):
    receive(main, "SKU-1", 10)
    reservations.reserve(main, ReserveStock("SKU-1", "MAIN", 7), ACTOR)

    with pytest.raises(InsufficientStock) as raised:
        issue(main, "SKU-1", 4)
    assert (raised.value.available, raised.value.requested) == (3, 4)
    assert "3 available" in raised.value.message

    issue(main, "SKU-1", 3)
    assert support.on_hand(main, "SKU-1") == (7, 7)
    assert level(main, "SKU-1").available == 0


# --- transfer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "destination"), [("MAIN", "BACK"), ("BACK", "MAIN")])
def test_transfer_writes_paired_rows_sharing_a_transfer_id_and_carries_the_average_cost(
    main, source, destination
):
    support.product(main, "SKU-2")
    receive(main, "SKU-1", 10, "1.00", wh=source)
    receive(main, "SKU-1", 30, "2.00", wh=source)  # average 1.75; none at the destination
    receive(main, "SKU-2", 10, "2.00", wh=source)
    receive(main, "SKU-2", 10, "1.00", wh=destination)  # 10 + 10 at 2.00 -> 1.50

    result = operations.transfer(
        main,
        TransferStock(source, destination, (Line("SKU-1", 40), Line("SKU-2", 10)), reference="T1"),
        ACTOR,
    )

    rows = [
        (r.kind, r.sku, r.warehouse, r.qty, r.balance_after, r.unit_cost) for r in result.movements
    ]
    assert rows == [
        (K.TRANSFER_OUT, "SKU-1", source, -40, 0, Decimal("1.75")),
        (K.TRANSFER_IN, "SKU-1", destination, 40, 40, Decimal("1.75")),
        (K.TRANSFER_OUT, "SKU-2", source, -10, 0, Decimal("2.00")),
        (K.TRANSFER_IN, "SKU-2", destination, 10, 20, Decimal("2.00")),
    ]
    transfer_ids = {r.transfer_id for r in result.movements}
    assert len(transfer_ids) == 1 and None not in transfer_ids
    assert {r.reference for r in result.movements} == {"T1"}
    assert level(main, "SKU-1", destination).avg_cost == Decimal("1.75")
    assert level(main, "SKU-2", destination).avg_cost == Decimal("1.50")
    assert [(r.on_hand, r.reserved) for r in queries.stock_levels(main, ACTOR)] == [
        (40, 0),
        (20, 0),
    ]


# --- return and adjust --------------------------------------------------------------------------


def test_a_return_restocks(main):
    receive(main, "SKU-1", 3, "2.00")

    (row,) = operations.return_stock(
        main, ReturnStock("MAIN", (Line("SKU-1", 2),), reason="Wrong size"), ACTOR
    ).movements

    assert support.on_hand(main, "SKU-1") == (5, 0)
    assert (row.kind, row.qty, row.units, row.balance_after) == (K.RETURN, 2, 2, 5)
    assert (row.unit_cost, row.reason) == (Decimal("2.00"), "Wrong size")


def test_a_damaged_return_is_recorded_without_restocking(main):
    receive(main, "SKU-1", 3)

    (row,) = operations.return_stock(
        main, ReturnStock("MAIN", (Line("SKU-1", 2),), damaged=True, reason="Crushed"), ACTOR
    ).movements

    assert support.on_hand(main, "SKU-1") == (3, 0)
    assert (row.kind, row.qty, row.units, row.balance_after) == (K.RETURN_DAMAGED, 0, 2, 3)
    assert row.reason == "Crushed"


def test_adjust_records_the_signed_difference_to_the_counted_quantity_with_a_reason(main):
    receive(main, "SKU-1", 10)

    up = operations.adjust(main, AdjustStock("SKU-1", "MAIN", 13, reason="Found a box"), ACTOR)
    down = operations.adjust(main, AdjustStock("SKU-1", "MAIN", "4"), ACTOR)
    same = operations.adjust(main, AdjustStock("SKU-1", "MAIN", 4, reason="Recount"), ACTOR)
    fresh = operations.adjust(main, AdjustStock("SKU-1", "BACK", 6), ACTOR)  # no row there before

    rows = [r.movements[0] for r in (up, down, same, fresh)]
    assert [(r.kind, r.warehouse, r.qty, r.units, r.balance_after, r.reason) for r in rows] == [
        (K.ADJUST, "MAIN", 3, 3, 13, "Found a box"),
        (K.ADJUST, "MAIN", -9, 9, 4, "Stock count"),
        (K.ADJUST, "MAIN", 0, 0, 4, "Recount"),
        (K.ADJUST, "BACK", 6, 6, 6, "Stock count"),
    ]
    assert support.on_hand(main, "SKU-1") == (4, 0)
    assert support.on_hand(main, "SKU-1", "BACK") == (6, 0)


def test_adjust_may_count_down_to_the_reserved_units_but_not_below(main):
    receive(main, "SKU-1", 10)
    reservations.reserve(main, ReserveStock("SKU-1", "MAIN", 4), ACTOR)

    with pytest.raises(ValidationError) as raised:
        operations.adjust(main, AdjustStock("SKU-1", "MAIN", 3), ACTOR)
    assert raised.value.field == "counted"
    assert "reserved" in raised.value.message
    assert support.on_hand(main, "SKU-1") == (10, 4)

    operations.adjust(main, AdjustStock("SKU-1", "MAIN", 4), ACTOR)
    assert support.on_hand(main, "SKU-1") == (4, 4)


# --- documents, request ids and reservations ----------------------------------------------------


def test_a_three_line_receive_is_one_request_with_three_rows(main):
    support.product(main, "SKU-2")
    support.product(main, "SKU-3")

    result = operations.receive(
        main,
        ReceiveStock(
            "MAIN",
            (Line("SKU-3", 3, "3.00"), Line("SKU-1", 1), Line("SKU-2", 2, "2.00")),
            reference="PO-3",
        ),
        ACTOR,
    )

    assert [(r.sku, r.qty) for r in result.movements] == [("SKU-1", 1), ("SKU-2", 2), ("SKU-3", 3)]
    assert {r.request_id for r in result.movements} == {result.request_id}
    assert support.ledger_count(main) == 3
    assert [(r.sku, r.on_hand) for r in queries.stock_levels(main, ACTOR)] == [
        ("SKU-1", 1),
        ("SKU-2", 2),
        ("SKU-3", 3),
    ]


def test_repeating_a_request_id_returns_the_first_result_and_changes_nothing(main):
    receive(main, "SKU-1", 10)
    first = issue(main, "SKU-1", 3, request_id="till-4-sale-18")

    again = issue(main, "SKU-1", 3, request_id="till-4-sale-18")

    assert again.replayed is True
    assert again.movements == first.movements
    assert support.on_hand(main, "SKU-1") == (7, 0)
    assert support.ledger_count(main) == 2


def test_a_committed_hold_is_issued_and_a_released_one_is_available_again(main):
    receive(main, "SKU-1", 10)
    sold = reservations.reserve(main, ReserveStock("SKU-1", "MAIN", 3, reference="WEB-1"), ACTOR)
    dropped = reservations.reserve(main, ReserveStock("SKU-1", "MAIN", 2), ACTOR)
    assert support.on_hand(main, "SKU-1") == (10, 5)

    (committed,) = reservations.commit(main, sold.id, ACTOR).movements
    (released,) = reservations.release(main, dropped.id, ACTOR).movements

    assert support.on_hand(main, "SKU-1") == (7, 0)
    assert (committed.kind, committed.qty, committed.reserved_delta) == (K.ISSUE, -3, -3)
    assert (committed.reference, committed.reservation_id) == ("WEB-1", sold.id)
    assert (released.kind, released.qty, released.reserved_delta) == (K.RELEASE, 0, -2)
    statuses = {r.id: r.status for r in reservations.list_reservations(main, ACTOR)}
    assert statuses == {
        sold.id: ReservationStatus.COMMITTED,
        dropped.id: ReservationStatus.RELEASED,
    }


def test_a_hold_can_last_thirty_days(main, clock):
    receive(main, "SKU-1", 1)

    hold = reservations.reserve(
        main, ReserveStock("SKU-1", "MAIN", 1, ttl_seconds=30 * 24 * 3600), ACTOR
    )

    assert hold.expires_at == START + timedelta(days=30)


# --- the ledger: history filters and the integrity check ----------------------------------------


@pytest.fixture
def week(main, clock):
    """Four days of movements, one per day, stamped 09:00 from Monday 2 March."""
    support.product(main, "SKU-2")
    receive(main, "SKU-1", 10)  # Mon, MAIN
    clock.advance(days=1)
    receive(main, "SKU-2", 5, wh="BACK")  # Tue, BACK
    clock.advance(days=1)
    issue(main, "SKU-1", 2)  # Wed, MAIN
    clock.advance(days=1)
    operations.transfer(main, TransferStock("MAIN", "BACK", (Line("SKU-1", 3),)), ACTOR)  # Thu
    return main


def test_history_filters_by_product_warehouse_kinds_and_time(week):
    tue, thu = START + timedelta(days=1), START + timedelta(days=3)
    mon_in, tue_in = (K.RECEIVE, "SKU-1", "MAIN", 10, 10, 10), (K.RECEIVE, "SKU-2", "BACK", 5, 5, 5)
    wed_out = (K.ISSUE, "SKU-1", "MAIN", -2, 2, 8)
    thu_out = (K.TRANSFER_OUT, "SKU-1", "MAIN", -3, 3, 5)
    thu_in = (K.TRANSFER_IN, "SKU-1", "BACK", 3, 3, 3)

    assert ledger(week) == [mon_in, tue_in, wed_out, thu_out, thu_in]
    assert ledger(week, product="SKU-1") == [mon_in, wed_out, thu_out, thu_in]
    assert ledger(week, warehouse="back") == [tue_in, thu_in]
    assert ledger(week, product="SKU-1", warehouse="BACK") == [thu_in]
    assert ledger(week, kinds=(K.ISSUE, K.TRANSFER_OUT)) == [wed_out, thu_out]
    assert ledger(week, since=tue) == [tue_in, wed_out, thu_out, thu_in]
    assert ledger(week, until=tue) == [mon_in]  # until is exclusive
    assert ledger(week, since=tue, until=thu) == [tue_in, wed_out]
    assert ledger(week, since=thu + timedelta(seconds=1)) == []


def test_history_pages_newest_first_by_id(week):
    everything = queries.history(week, ACTOR, LedgerFilter())
    ids = [r.id for r in everything]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5

    pages, before = [], None
    while page := queries.history(week, ACTOR, LedgerFilter(limit=2, before_id=before)):
        pages.append([r.id for r in page])
        before = page[-1].id

    assert pages == [ids[0:2], ids[2:4], ids[4:]]
    assert queries.history(week, ACTOR, LedgerFilter(product="SKU-1", limit=1)) == everything[:1]


def test_verify_finds_nothing_wrong_after_every_kind_of_operation(main, clock):
    support.product(main, "CAN", barcodes=((CASE_EAN13, 12),))
    receive(main, "SKU-1", 20, "1.00")
    receive(main, CASE_EAN13, 2, "6.00")
    issue(main, "SKU-1", 3)
    operations.transfer(
        main, TransferStock("MAIN", "BACK", (Line("SKU-1", 5), Line("CAN", 4))), ACTOR
    )
    operations.transfer(main, TransferStock("BACK", "MAIN", (Line("SKU-1", 1),)), ACTOR)
    operations.return_stock(main, ReturnStock("MAIN", (Line("SKU-1", 2),)), ACTOR)
    operations.return_stock(
        main, ReturnStock("BACK", (Line("CAN", 1),), damaged=True, reason="dented"), ACTOR
    )
    operations.adjust(main, AdjustStock("SKU-1", "MAIN", 11), ACTOR)
    operations.adjust(main, AdjustStock("CAN", "BACK", 6), ACTOR)
    held = [
        reservations.reserve(main, ReserveStock("SKU-1", "MAIN", 2, ttl_seconds=60), ACTOR)
        for _ in range(4)
    ]
    reservations.commit(main, held[0].id, ACTOR)
    reservations.release(main, held[1].id, ACTOR)
    clock.advance(minutes=5)  # the other two expire: one by a refused commit, one by the sweeper
    with pytest.raises(ValidationError, match="expired"):
        reservations.commit(main, held[2].id, ACTOR)
    levels = {
        (r.sku, r.warehouse): (r.on_hand, r.reserved) for r in queries.stock_levels(main, ACTOR)
    }

    assert levels == {
        ("CAN", "BACK"): (6, 0),
        ("CAN", "MAIN"): (20, 0),
        ("SKU-1", "BACK"): (4, 0),
        ("SKU-1", "MAIN"): (9, 0),
    }
    assert len(ledger(main, kinds=(K.EXPIRE,))) == 1  # the read showed the last hold released
    assert reservations.sweep(main, ACTOR) == 1
    assert len(ledger(main, kinds=(K.EXPIRE,))) == 2
    assert verify.verify(main, ACTOR) == []


def test_verify_reports_a_counter_that_disagrees_with_the_ledger(main):
    receive(main, "SKU-1", 5)
    with main.engine.begin() as conn:  # a counter changed behind the services' back
        conn.execute(update(StockLevel).values(on_hand=6))

    (problem,) = verify.verify(main, ACTOR)

    assert (problem.sku, problem.warehouse, problem.on_hand, problem.ledger_on_hand) == (
        "SKU-1",
        "MAIN",
        6,
        5,
    )


def test_a_damaged_return_without_a_reason_is_refused_and_writes_nothing(main):
    before = queries.history(main, ACTOR, LedgerFilter())
    with pytest.raises(ValidationError, match="damaged") as refused:
        operations.return_stock(main, ReturnStock("MAIN", (Line("SKU-1", 1),), damaged=True), ACTOR)
    assert refused.value.field == "reason"
    assert queries.history(main, ACTOR, LedgerFilter()) == before
