"""`invdesk transfer ... --ship`, `transfer receive|list|show`: goods in transit from a script."""

from __future__ import annotations

from tests.cli.conftest import assert_one_line_error


def test_a_shipped_transfer_is_listed_in_transit_until_received_short(stocked):
    shipped = stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "10", "--ship", "--ref", "T-9")
    transfer_id = shipped.stdout.splitlines()[0]
    assert stocked.levels()[("CAB-001", "MAIN")] == (108, 0, 108)
    assert stocked.levels()[("CAB-001", "SHOP")] == (24, 0, 24)

    (listed,) = stocked.json("transfer", "list", "--in-transit")
    assert (listed["id"], listed["status"], listed["shipped"]) == (transfer_id, "in_transit", 10)

    received = stocked.ok("transfer", "receive", transfer_id, "--line", "CAB-001:7")
    assert "Discrepancy: 3 units short." in received.stdout
    shown = stocked.json("transfer", "show", transfer_id)
    assert shown["status"] == "closed"
    assert [(x["received"], x["short"]) for x in shown["lines"]] == [(7, 3)]
    assert stocked.json("transfer", "list", "--in-transit") == []
    assert stocked.levels()[("CAB-001", "SHOP")] == (31, 0, 31)
    kinds = {row["kind"] for row in stocked.json("history") if row["transfer_id"] == transfer_id}
    assert kinds == {"ship", "transit_in"}


def test_receipts_keep_open_and_retry_by_request_id(stocked):
    shipped = stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "5", "--ship", "--request-id", "s1")
    transfer_id = shipped.stdout.splitlines()[0]
    again = stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "5", "--ship", "--request-id", "s1")
    assert again.stdout.splitlines()[0] == transfer_id
    assert "already applied" in again.stdout
    args = ("transfer", "receive", transfer_id, "--line", "CAB-001:2", "--keep-open")
    stocked.ok(*args, "--request-id", "r1")
    stocked.ok(*args, "--request-id", "r1")
    assert stocked.json("transfer", "show", transfer_id)["status"] == "partial"
    stocked.ok("transfer", "receive", transfer_id)
    shown = stocked.json("transfer", "show", transfer_id)
    assert (shown["status"], shown["lines"][0]["received"]) == ("received", 5)


def test_receiving_more_than_expected_is_refused_and_changes_nothing(stocked):
    transfer_id = stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "2", "--ship").stdout.split()[0]
    before = stocked.snapshot()
    result = stocked("transfer", "receive", transfer_id, "--line", "CAB-001:3")
    assert "Only 2 of CAB-001" in assert_one_line_error(result, 2)
    assert stocked.snapshot() == before
    missing = stocked("transfer", "show", "nope")
    assert assert_one_line_error(missing, 4) == "Error: No transfer nope."
