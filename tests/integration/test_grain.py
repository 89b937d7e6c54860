"""Stock at the grain of location and lot, on SQLite and PostgreSQL: FEFO, expiry, serials,
moves, lot-carrying transfers, holds and counts; and a shop without either sees no change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from invdesk.domain.catalog import EditProduct
from invdesk.domain.errors import InsufficientStock, NotFound, ValidationError
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    Line,
    MovementKind,
    MoveStock,
    ReceiveStock,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.services.catalog import products
from invdesk.services.stock import moves, operations, reservations
from invdesk.services.trust import seals, verify
from tests import support

ACTOR = support.ACTOR
TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def shop(db):
    db.clock = lambda: TODAY
    support.warehouse(db, "MAIN")
    support.warehouse(db, "BACK")
    support.tracked(db, "MILK", "lot")
    support.tracked(db, "PHONE", "serial")
    support.product(db, "BOLT")
    return db


def receive(db, *lines: Line, wh: str = "MAIN", **kw):
    return operations.receive(db, ReceiveStock(wh, lines, **kw), ACTOR)


def issue(db, *lines: Line, wh: str = "MAIN", **kw):
    return operations.issue(db, IssueStock(wh, lines, **kw), ACTOR)


def clean(db) -> None:
    report = verify.verify_all(db, ACTOR)
    assert report.discrepancies == [] and report.findings == [], report


def test_fefo_takes_the_earliest_expiry_first(shop):
    receive(shop, Line("MILK", 5, lot="LATE", expiry="2026-06-30"))
    receive(shop, Line("MILK", 4, lot="EARLY", expiry="2026-04-01"))
    receive(shop, Line("MILK", 3, lot="NODATE"))

    result = issue(shop, Line("MILK", 6))

    assert [(m.lot, m.qty) for m in result.movements] == [("EARLY", -4), ("LATE", -2)]
    assert support.quants(shop, "MILK") == {(None, "LATE"): 3, (None, "NODATE"): 3}
    assert support.on_hand(shop, "MILK") == (6, 0)
    clean(shop)


def test_an_issue_naming_a_lot_takes_that_lot(shop):
    receive(shop, Line("MILK", 5, lot="A", expiry="2026-04-01"))
    receive(shop, Line("MILK", 5, lot="B", expiry="2026-05-01"))

    result = issue(shop, Line("MILK", 2, lot="B"))

    assert [(m.lot, m.qty) for m in result.movements] == [("B", -2)]


def test_an_expired_lot_is_refused_and_goes_out_only_with_a_recorded_override(shop):
    receive(shop, Line("MILK", 5, lot="OLD", expiry="2026-03-01"))
    receive(shop, Line("MILK", 2, lot="NEW", expiry="2026-09-01"))

    with pytest.raises(InsufficientStock, match="5 more in expired lots"):
        issue(shop, Line("MILK", 3))
    assert support.on_hand(shop, "MILK") == (7, 0)
    with pytest.raises(ValidationError, match="Say why"):
        issue(shop, Line("MILK", 3), allow_expired=True)

    result = issue(shop, Line("MILK", 3, lot="OLD"), allow_expired=True, reason="Staff canteen")

    assert [(m.lot, m.qty, m.reason) for m in result.movements] == [
        ("OLD", -3, "Expired lot override: Staff canteen")
    ]
    clean(shop)


def test_a_hold_never_counts_on_expired_stock(shop):
    receive(shop, Line("MILK", 5, lot="OLD", expiry="2026-03-01"))
    receive(shop, Line("MILK", 2, lot="NEW", expiry="2026-09-01"))

    with pytest.raises(InsufficientStock):
        reservations.reserve(shop, ReserveStock("MILK", "MAIN", 3), ACTOR)
    hold = reservations.reserve(shop, ReserveStock("MILK", "MAIN", 2), ACTOR)
    result = reservations.commit(shop, hold.id, ACTOR)

    assert result.movements[0].lot == "NEW"
    assert support.quants(shop, "MILK") == {(None, "OLD"): 5}
    clean(shop)


def test_receiving_a_lot_tracked_product_needs_a_lot_and_dates_it_by_shelf_life(shop):
    support.tracked(shop, "YOGHURT", "lot", shelf_life=10)
    with pytest.raises(ValidationError, match="tracked by lot"):
        receive(shop, Line("MILK", 1))

    receive(shop, Line("YOGHURT", 1, lot="Y1"))
    with pytest.raises(ValidationError, match="expires on 2026-03-12"):
        receive(shop, Line("YOGHURT", 1, lot="Y1", expiry="2026-12-31"))
    assert support.on_hand(shop, "YOGHURT") == (1, 0)


def test_serials_move_one_each_and_are_never_in_two_places(shop):
    receive(shop, Line("PHONE", 2, serials=("SN1", "SN2")))
    with pytest.raises(ValidationError, match="already in stock at MAIN"):
        receive(shop, Line("PHONE", 1, serials=("SN1",)), wh="BACK")
    with pytest.raises(ValidationError, match="one serial per unit"):
        receive(shop, Line("PHONE", 2, serials=("SN3",)))
    with pytest.raises(ValidationError, match="scan the serial of each unit"):
        issue(shop, Line("PHONE", 1))
    with pytest.raises(NotFound, match="no serial number “SN9”"):
        issue(shop, Line("PHONE", 1, serials=("SN9",)))

    result = issue(shop, Line("PHONE", 1, serials=("SN2",)))
    operations.return_stock(
        shop, ReturnStock("MAIN", (Line("PHONE", 1, serials=("SN2",)),), reason="unopened"), ACTOR
    )

    assert [(m.lot, m.qty) for m in result.movements] == [("SN2", -1)]
    assert support.quants(shop, "PHONE") == {(None, "SN1"): 1, (None, "SN2"): 1}
    clean(shop)


def test_putaway_and_moves_between_locations(shop):
    support.location(shop, "MAIN", "A-01")
    support.location(shop, "MAIN", "B-02")
    support.location(shop, "MAIN", "Q", kind="quarantine")
    receive(shop, Line("BOLT", 10, location="A-01"))

    moved = moves.move(shop, MoveStock("BOLT", "MAIN", "A-01", "B-02", 4), ACTOR)
    moves.move(shop, MoveStock("BOLT", "MAIN", "A-01", "Q", 6), ACTOR)

    assert [(m.kind, m.location, m.qty) for m in moved.movements] == [
        (MovementKind.MOVE_OUT, "A-01", -4),
        (MovementKind.MOVE_IN, "B-02", 4),
    ]
    assert support.on_hand(shop, "BOLT") == (10, 0)
    assert support.quants(shop, "BOLT") == {("B-02", None): 4, ("Q", None): 6}
    # Quarantine is on hand but not taken unless named.
    with pytest.raises(InsufficientStock, match="6 more in quarantine"):
        issue(shop, Line("BOLT", 5))
    issue(shop, Line("BOLT", 5, location="Q"))
    with pytest.raises(InsufficientStock, match="at A-01"):
        moves.move(shop, MoveStock("BOLT", "MAIN", "A-01", "B-02", 1), ACTOR)
    with pytest.raises(NotFound, match="no location “Z-9”"):
        receive(shop, Line("BOLT", 1, location="Z-9"))
    clean(shop)


def test_a_transfer_carries_its_lots_to_the_destination(shop):
    receive(shop, Line("MILK", 3, lot="A", expiry="2026-04-01"))
    receive(shop, Line("MILK", 3, lot="B", expiry="2026-05-01"))

    operations.transfer(shop, TransferStock("MAIN", "BACK", (Line("MILK", 4),)), ACTOR)

    assert support.quants(shop, "MILK", "BACK") == {(None, "A"): 3, (None, "B"): 1}
    assert support.quants(shop, "MILK", "MAIN") == {(None, "B"): 2}
    clean(shop)


def test_counting_one_lot_sets_that_lot_only(shop):
    receive(shop, Line("MILK", 3, lot="A", expiry="2026-04-01"))
    receive(shop, Line("MILK", 3, lot="B", expiry="2026-05-01"))

    operations.adjust(shop, AdjustStock("MILK", "MAIN", 1, lot="B"), ACTOR)
    operations.adjust(shop, AdjustStock("BOLT", "MAIN", 4), ACTOR)
    with pytest.raises(ValidationError, match="lot by lot"):
        operations.adjust(shop, AdjustStock("MILK", "MAIN", 9), ACTOR)

    assert support.quants(shop, "MILK") == {(None, "A"): 3, (None, "B"): 1}
    assert support.on_hand(shop, "MILK") == (4, 0)
    clean(shop)


def test_tracking_changes_only_without_stock(shop):
    receive(shop, Line("BOLT", 1))
    with pytest.raises(ValidationError, match="tracking can change only"):
        products.edit_product(shop, EditProduct("BOLT", tracking="lot"), ACTOR)
    issue(shop, Line("BOLT", 1))
    assert products.edit_product(shop, EditProduct("BOLT", tracking="lot"), ACTOR).tracking == "lot"


def test_a_shop_without_locations_or_lots_writes_the_rows_it_always_wrote(shop):
    result = receive(shop, Line("BOLT", 5))
    issue(shop, Line("BOLT", 2))

    (row,) = result.movements
    assert (row.location, row.lot) == (None, None)
    assert support.quants(shop, "BOLT") == {(None, None): 3}
    clean(shop)


def test_a_lot_expiry_that_is_not_a_date_is_refused_and_changes_nothing(shop):
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        receive(shop, Line("MILK", 1, lot="X", expiry="31/12/2026"))
    assert support.on_hand(shop, "MILK") == (0, 0) and support.quants(shop, "MILK") == {}


def test_rows_naming_a_location_or_lot_are_sealed_with_them_and_verify(shop):
    support.location(shop, "MAIN", "A-01")
    receive(shop, Line("BOLT", 2))  # no location or lot: the row's text as before
    receive(shop, Line("MILK", 3, lot="L1", expiry="2026-04-01"))
    receive(shop, Line("BOLT", 1, location="A-01"))
    assert seals.seal(shop, SYSTEM) >= 1

    report = verify.verify_all(shop, ACTOR)

    assert report.findings == []
    (ledger,) = [trail for trail in report.trails if trail.trail == "ledger"]
    assert ledger.sealed == ledger.rows == 3


def test_a_quant_changed_behind_the_ledgers_back_is_found(shop):
    from sqlalchemy import text

    receive(shop, Line("MILK", 3, lot="L1", expiry="2026-04-01"))
    with shop.engine.begin() as conn:
        conn.execute(text("UPDATE quant SET on_hand = on_hand + 5"))

    report = verify.verify_all(shop, ACTOR)

    assert [(f.check, f.rows) for f in report.findings] == [
        ("quants", "MILK in MAIN (default location, lot L1)")
    ]


def test_channels_see_expired_and_quarantined_units_as_on_hand_but_not_available(shop):
    from invdesk.domain.tokens import Scope, TokenGrant
    from invdesk.services.channels import inventory

    support.location(shop, "MAIN", "Q", kind="quarantine")
    receive(shop, Line("MILK", 5, lot="OLD", expiry="2026-03-01"))
    receive(shop, Line("MILK", 4, lot="NEW", expiry="2026-09-01"))
    receive(shop, Line("BOLT", 6))
    receive(shop, Line("BOLT", 2, location="Q"))
    reservations.reserve(shop, ReserveStock("MILK", "MAIN", 1), ACTOR)
    reader = TokenGrant("shop", frozenset({Scope.READ}), None)

    milk = inventory.product_stock(shop, reader, "MILK").warehouses[0]
    bolts = inventory.product_stock(shop, reader, "BOLT")
    (page_row,) = [r for r in inventory.inventory_page(shop, reader).items if r.sku == "MILK"]

    assert (milk.on_hand, milk.reserved, milk.available) == (9, 1, 3)
    assert bolts.available == 6
    assert page_row.available == 3


def test_stock_by_lot_is_searched_in_the_database_before_its_row_limit(shop):
    from invdesk.services.reads import grain

    receive(shop, Line("MILK", 3, lot="L1", expiry="2026-04-01"))
    receive(shop, Line("BOLT", 2))

    found = grain.stock_by_grain(
        shop, ACTOR, by_location=False, by_lot=True, warehouse="MAIN", search="mil", limit=1
    )

    assert [(r.sku, r.lot, r.on_hand) for r in found] == [("MILK", "L1", 3)]
