"""Lots, serials and bins on the command line; a shop without them gets the output it always got."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.cli.conftest import assert_one_line_error

LEDGER_KEYS = {
    "id", "kind", "sku", "product_name", "warehouse", "qty", "reserved_delta", "units",
    "balance_after", "unit_cost", "reference", "reason", "user", "at", "request_id",
    "transfer_id", "reservation_id",
}  # fmt: skip


def _soon(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def test_a_lot_tracked_product_is_received_by_lot_and_issued_first_expiry_first(invdesk):
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    product = invdesk.json(
        "product", "add", "MILK", "Milk 1 l", "--category", "Food", "--tracking", "lot",
        "--shelf-life", "10",
    )  # fmt: skip
    assert (product["tracking"], product["shelf_life_days"]) == ("lot", 10)
    invdesk.ok("receive", "MILK", "MAIN", "5", "--lot", "LATE", "--expiry", _soon(60))
    invdesk.ok("receive", "MILK", "MAIN", "5", "--lot", "SOON", "--expiry", _soon(5))

    issued = invdesk.json("issue", "MILK", "MAIN", "7")
    text = invdesk.ok("issue", "MILK", "MAIN", "1", "--lot", "LATE").stdout

    assert [(m["lot"], m["qty"]) for m in issued["movements"]] == [("SOON", -5), ("LATE", -2)]
    assert "[lot LATE]" in text
    error = assert_one_line_error(invdesk("receive", "MILK", "MAIN", "1"), 2)
    assert "tracked by lot" in error


def test_serials_are_named_one_per_unit(invdesk):
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    invdesk.ok(
        "product", "add", "PHONE", "Phone", "--category", "Electronics", "--tracking", "serial"
    )
    invdesk.ok("receive", "PHONE", "MAIN", "2", "--serial", "SN1", "--serial", "SN2")

    issued = invdesk.json("issue", "PHONE", "MAIN", "1", "--serial", "SN2")

    assert [(m["lot"], m["qty"]) for m in issued["movements"]] == [("SN2", -1)]


def test_a_shop_without_lots_or_bins_gets_the_json_it_always_got(invdesk):
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    product = invdesk.json("product", "add", "BOLT", "Bolt", "--category", "Tools")
    received = invdesk.json("receive", "BOLT", "MAIN", "5")

    assert "tracking" not in product and "shelf_life_days" not in product
    assert set(received["movements"][0]) == LEDGER_KEYS
    assert "[" not in invdesk.ok("issue", "BOLT", "MAIN", "1").stdout
