"""The stock count dialog: on hand and the difference shown live, the count recorded once."""

from __future__ import annotations

from invdesk.domain.stock import MovementKind, ReserveStock
from invdesk.services.stock import reservations
from invdesk.ui.dialogs import AdjustDialog
from tests import support
from tests.ui.dialogs.shop import CASE_EAN, CLERK, post, shown


def _open(qtbot, db, **kwargs):
    dialog = AdjustDialog(db, CLERK, warehouse="MAIN", **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_count_shows_on_hand_and_the_difference_before_posting(qtbot, any_shop):
    dialog = _open(qtbot, any_shop)
    assert not dialog.can_post()
    assert dialog.handle_scan("CAB-1")
    assert dialog.on_hand.text() == "10 each"
    assert not dialog.can_post()  # nothing counted yet
    dialog.counted.setText("7")
    assert "-3" in dialog.difference.text() and "missing" in dialog.difference.text()
    dialog.counted.setText("12")
    assert "+2" in dialog.difference.text()
    dialog.reason.setText("Cycle count")
    with qtbot.waitSignal(dialog.posted) as blocker:
        dialog.post()
    (movement,) = blocker.args[0].movements
    assert (movement.kind, movement.qty, movement.reason) == (MovementKind.ADJUST, 2, "Cycle count")
    assert support.on_hand(any_shop, "CAB-1") == (12, 0)
    post(qtbot, dialog)
    assert support.on_hand(any_shop, "CAB-1") == (12, 0)
    assert support.ledger_count(any_shop) == 2


def test_a_case_barcode_counts_units_of_the_product(qtbot, shop):
    dialog = _open(qtbot, shop, lines=[(CASE_EAN, 24)])
    assert dialog.item is not None and dialog.item.sku == "CAB-1"
    with qtbot.waitSignal(dialog.posted):
        dialog.post()
    assert support.on_hand(shop, "CAB-1") == (24, 0)


def test_an_unknown_product_or_a_bad_count_keeps_post_disabled(qtbot, shop):
    dialog = _open(qtbot, shop)
    assert not dialog.set_product("NOPE")
    assert shown(dialog.form.labels["product"])
    assert "NOPE" in dialog.form.labels["product"].text()
    assert dialog.product.property("scan_state") == "unknown"
    dialog.counted.setText("5")
    assert not dialog.can_post()
    dialog.set_product("SKU-2")
    assert dialog.can_post()
    assert not shown(dialog.form.labels["product"])
    dialog.counted.setText("")
    assert not dialog.can_post()


def test_a_count_below_the_reserved_units_is_refused_at_the_count(qtbot, shop):
    reservations.reserve(shop, ReserveStock("CAB-1", "MAIN", 6), CLERK)
    dialog = _open(qtbot, shop, lines=[("CAB-1", 4)])
    assert "6 reserved" in dialog.on_hand.text()
    before = support.ledger_count(shop)
    post(qtbot, dialog)
    assert dialog.posted_result is None and dialog.isVisible()
    assert "reserved" in dialog.form.labels["counted"].text()
    assert support.ledger_count(shop) == before
