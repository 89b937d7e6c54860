"""Pick plans and packing lists: the stock fulfilment will take, per bin in walking order."""

from __future__ import annotations

import pytest

from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.picking import PickSplit
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import MoveStock
from invdesk.services.stock import moves, orders, picking
from tests import picking as shop_with_bins
from tests import support


@pytest.fixture
def shop(db):
    return shop_with_bins.bins_and_orders(db)


def _rows(plan):
    return [(p.location, p.sku, p.lot, p.qty, p.orders) for p in plan.lines]


def test_a_pick_list_walks_the_bins_in_order_and_splits_lines_per_order(shop):
    plan = picking.plan_picks(shop, SYSTEM, ["WEB-1", "WEB-2"])
    w1, w2 = "WEB-1", "WEB-2"
    assert _rows(plan) == [
        # A-2 before A-10 (a walk, not a string sort); MILK's first expiry first (FEFO).
        ("A-2", "BOLT", None, 2, (PickSplit(w2, 2),)),
        ("A-2", "MILK", "L-SOON", 3, (PickSplit(w2, 3),)),
        # BOLT is taken from A-10 first, as fulfilling the orders will take it.
        ("A-10", "BOLT", None, 5, (PickSplit(w1, 3), PickSplit(w2, 2))),
        ("B-1", "MILK", "L-LATE", 1, (PickSplit(w2, 1),)),
        ("B-1", "NUT", None, 2, (PickSplit(w1, 2),)),
    ]
    assert plan.locations and plan.lots and plan.units == 13 and not plan.short
    assert plan.lines[1].expiry == shop_with_bins.SOON


def test_the_pick_list_names_the_bins_fulfilment_takes(shop):
    plan = picking.plan_picks(shop, SYSTEM, ["WEB-1"])
    orders.fulfil_order(shop, "WEB-1", SYSTEM)
    left = {(q.location, q.sku): q.on_hand for q in _quants(shop)}
    taken = {(p.location, p.sku): p.qty for p in plan.lines}
    assert taken == {("A-10", "BOLT"): 3, ("B-1", "NUT"): 2}
    assert left[("A-10", "BOLT")] == 2 and left[("B-1", "NUT")] == 8


def _quants(db):
    from invdesk.services.reads import grain

    return grain.stock_by_grain(db, SYSTEM, warehouse="MAIN", by_location=True, by_lot=False)


def test_stock_moved_to_quarantine_after_ordering_shows_as_short(shop):
    support.location(shop, "MAIN", "Q", kind="quarantine")
    moves.move(shop, MoveStock("NUT", "MAIN", "B-1", "Q", 9), SYSTEM)
    plan = picking.plan_picks(shop, SYSTEM, ["WEB-1"])
    assert [(p.location, p.sku, p.qty) for p in plan.lines if p.sku == "NUT"] == [("B-1", "NUT", 1)]
    (short,) = plan.short
    assert (short.sku, short.qty, short.orders) == ("NUT", 1, (PickSplit("WEB-1", 1),))


def test_only_open_orders_are_picked(shop):
    orders.cancel_order(shop, "WEB-2", SYSTEM)
    with pytest.raises(ValidationError, match="WEB-2 is cancelled"):
        picking.plan_picks(shop, SYSTEM, ["WEB-1", "WEB-2"])
    with pytest.raises(NotFound):
        picking.plan_picks(shop, SYSTEM, ["NOPE"])
    with pytest.raises(ValidationError, match="at least one"):
        picking.plan_picks(shop, SYSTEM, [])


def test_a_warehouse_without_bins_is_listed_by_sku(db):
    support.warehouse(db, "SHOP")
    support.product(db, "Z-9")
    support.product(db, "A-1")
    support.stocked(db, "Z-9", 5, wh="SHOP")
    support.stocked(db, "A-1", 5, wh="SHOP")
    from invdesk.domain.orders import OrderLine, PlaceOrder

    lines = (OrderLine("Z-9", 1), OrderLine("A-1", 2))
    orders.place_order(db, PlaceOrder("POS-1", "SHOP", lines, "pos"), SYSTEM)
    plan = picking.plan_picks(db, SYSTEM, ["POS-1"])
    assert [(p.location, p.sku, p.qty) for p in plan.lines] == [(None, "A-1", 2), (None, "Z-9", 1)]
    assert not plan.locations and not plan.lots


def test_a_packing_list_names_the_lots_a_fulfilled_order_sent(shop):
    before = picking.packing_list(shop, SYSTEM, "WEB-2")
    assert [(p.sku, p.qty, p.unit, p.lots) for p in before.lines] == [
        ("BOLT", 4, "each", ()),
        ("MILK", 4, "each", ()),
    ]
    orders.fulfil_order(shop, "WEB-2", SYSTEM)
    after = picking.packing_list(shop, SYSTEM, "WEB-2")
    assert after.lines[1].lots == (("L-SOON", 3), ("L-LATE", 1))


def test_two_lines_of_one_product_in_an_order_are_one_part_of_the_split(shop):
    shop_with_bins.place(shop, "WEB-3", ("NUT", 1), ("NUT", 2))
    plan = picking.plan_picks(shop, SYSTEM, ["WEB-3"])
    assert [(p.sku, p.qty, p.orders) for p in plan.lines] == [("NUT", 3, (PickSplit("WEB-3", 3),))]
