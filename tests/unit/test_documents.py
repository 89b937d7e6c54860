"""What printed documents say, without Qt or a database: columns, walking order, the split."""

from __future__ import annotations

from datetime import UTC, datetime

from invdesk.domain.locations import walking_key
from invdesk.domain.orders import Channel, OrderLineView, OrderStatus, OrderView
from invdesk.domain.picking import PickLine, PickPlan, PickShort, PickSplit, share, unmet
from invdesk.reports.documents.model import Party, code128
from invdesk.reports.documents.pick_list import pick_list_document

AT = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


def _order(ref: str) -> OrderView:
    line = OrderLineView(1, "X", "X", "MAIN", 1, None, None)
    return OrderView(1, ref, Channel.WEB_SHOP, OrderStatus.OPEN, "ann", AT, AT, None, (line,))


def _line(location, sku, qty, *orders, lot=None):
    splits = tuple(PickSplit(o, q) for o, q in orders) or (PickSplit("W-1", qty),)
    return PickLine("MAIN", location, None, sku, f"Name {sku}", "each", lot, None, qty, splits)


def test_bins_are_walked_in_the_natural_order_of_their_codes_zone_by_zone():
    codes = [("B", "B-1"), (None, "A-10"), ("B", "A-9"), (None, "A-2"), (None, None), ("A", "C")]
    walked = sorted(codes, key=lambda zc: walking_key(*zc))
    assert walked == [(None, "A-2"), (None, "A-10"), ("A", "C"), ("B", "A-9"), ("B", "B-1"),
                      (None, None)]  # fmt: skip


def test_takes_are_shared_first_order_first_and_the_rest_is_short():
    wants = [PickSplit("W-1", 3), PickSplit("W-2", 4)]
    assert share([5, 1], wants) == [
        (PickSplit("W-1", 3), PickSplit("W-2", 2)),
        (PickSplit("W-2", 1),),
    ]
    assert unmet([5, 1], wants) == (PickSplit("W-2", 1),)
    assert unmet([7], wants) == ()


def test_a_batch_pick_list_shows_each_bin_once_and_the_split_per_order():
    plan = PickPlan(
        (_order("W-1"), _order("W-2")),
        (
            _line("A-2", "BOLT", 5, ("W-1", 3), ("W-2", 2)),
            _line("A-2", "NUT", 1),
            _line("B-1", "MILK", 2, lot="L1"),
        ),
        (PickShort("MAIN", "GLUE", "Glue", 2, (PickSplit("W-2", 2),)),),
        locations=True,
    )
    doc = pick_list_document(plan, Party("", "Main warehouse"), AT, "ann")
    headers = [c.header for c in doc.columns]
    assert headers == ["Bin", "SKU", "Product", "Lot / expiry", "Qty", "Unit",
                       "For orders", "Picked"]  # fmt: skip
    assert doc.column_texts("Bin") == ["A-2", "", "B-1"]
    assert [r.group_start for r in doc.rows] == [True, False, True]
    assert doc.column_texts("For orders")[0] == "W-1\u00a0×\u00a03, W-2\u00a0×\u00a02"
    assert doc.columns[-1].tick
    assert doc.barcode is None and doc.number == "W-1 +1"
    assert dict(doc.fields)["Units"] == "8"
    assert doc.notes == ("Short: GLUE (Glue) in MAIN, 2 not in usable stock (for W-2 2).",)


def test_a_single_order_without_bins_or_lots_is_a_plain_list_with_its_barcode():
    plan = PickPlan((_order("WEB 7"),), (_line(None, "BOLT", 2),), locations=False)
    doc = pick_list_document(plan, None, AT, "ann")
    assert [c.header for c in doc.columns] == ["SKU", "Product", "Qty", "Unit", "Picked"]
    assert doc.barcode == "WEB 7" and doc.title == "Pick list WEB 7"


def test_a_code_128_is_refused_for_text_it_cannot_carry():
    assert code128("ORD-1") == "ORD-1"
    assert code128("Bestellung-Ä") is None
    assert code128("x" * 49) is None
