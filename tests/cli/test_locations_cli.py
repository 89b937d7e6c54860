"""`invdesk location ...`, `putaway` and `stock --by` on each database; a shop without locations
sees the `stock` output it always saw."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.cli.conftest import SCRIPT, Invdesk, assert_one_line_error

# `stock --json` rows as they were before locations existed (keys in this order, no others).
# `on_order` came with purchasing (issue 12); locations add nothing to a row.
STOCK_KEYS = [
    "sku",
    "name",
    "warehouse",
    "on_hand",
    "reserved",
    "available",
    "avg_cost",
    "unit",
    "on_order",
]


def _scripted(db_url: str) -> Invdesk:
    invdesk = Invdesk(db_url, CliRunner())
    for command in SCRIPT[:5]:  # two warehouses, two products, 120 CAB-001 received into MAIN
        invdesk.ok(*command)
    return invdesk


def test_locations_are_added_listed_edited_and_deactivated(db_url):
    invdesk = _scripted(db_url)

    added = invdesk.ok("location", "add", "main", "zone-a", "--name", "Zone A")
    invdesk.ok("location", "add", "MAIN", "a-03-2", "--type", "quarantine", "--zone", "ZONE-A")
    edited = invdesk.json("location", "edit", "MAIN", "A-03-2", "--no-zone", "--name", "Bin 2")
    stale = invdesk("location", "edit", "MAIN", "A-03-2", "--name", "X", "--expected-version", "1")
    invdesk.ok("location", "deactivate", "MAIN", "ZONE-A")
    table = invdesk.ok("location", "list", "MAIN").stdout

    assert added.stdout == "Added location ZONE-A to MAIN.\n"
    assert (edited["code"], edited["name"], edited["zone"], edited["version"]) == (
        "A-03-2",
        "Bin 2",
        None,
        2,
    )
    assert "changed by someone else" in assert_one_line_error(stale, 5)
    assert table.splitlines()[0].split() == ["Code", "Name", "Type", "Zone", "On", "hand", "Active"]
    assert [
        (r["code"], r["type"], r["active"]) for r in invdesk.json("location", "list", "MAIN")
    ] == [
        ("A-03-2", "quarantine", True),
        ("ZONE-A", "storage", False),
    ]
    assert "default location" in invdesk.ok("location", "list", "SHOP").stdout


def test_a_stocked_location_is_not_deactivated_and_putaway_is_set_and_cleared(db_url):
    invdesk = _scripted(db_url)
    invdesk.ok("location", "add", "MAIN", "A-1")
    invdesk.ok("move", "CAB-001", "MAIN", "-", "A-1", "20")

    refused = invdesk("location", "deactivate", "MAIN", "A-1")
    put = invdesk.ok("putaway", "CAB-001", "MAIN", "a-1")
    cleared = invdesk.json("putaway", "CAB-001", "MAIN", "--clear")
    neither = invdesk("putaway", "CAB-001", "MAIN")

    assert "A-1 still holds 20 unit(s)" in assert_one_line_error(refused, 2)
    assert put.stdout == "CAB-001 is put away in MAIN at A-1.\n"
    assert cleared == {"sku": "CAB-001", "warehouse": "MAIN", "location": None}
    assert neither.exit_code == 2 and "--clear" in neither.stderr


def test_stock_json_is_unchanged_without_by_even_after_moves_between_locations(db_url):
    invdesk = _scripted(db_url)
    before = invdesk.ok("stock", "--json").stdout
    invdesk.ok("location", "add", "MAIN", "A-1")

    moved = invdesk.ok("move", "CAB-001", "MAIN", "-", "a-1", "20", "--ref", "REPL-1")
    after = invdesk.ok("stock", "--json").stdout

    assert after == before
    assert [list(row) for row in json.loads(after)] == [STOCK_KEYS]
    assert (json.loads(after)[0]["sku"], json.loads(after)[0]["on_hand"]) == ("CAB-001", 120)
    assert moved.stdout.splitlines() == [
        "move_out  -20 CAB-001 in MAIN at the default location",
        "move_in   +20 CAB-001 in MAIN at A-1",
    ]
    assert invdesk.json("location", "list", "MAIN")[0]["on_hand"] == 20


def test_stock_by_location_after_receipts_into_a_location_and_by_putaway(db_url):
    invdesk = _scripted(db_url)
    invdesk.ok("location", "add", "MAIN", "A-1")
    invdesk.ok("location", "add", "MAIN", "B-1")
    invdesk.ok("putaway", "TAPE-01", "MAIN", "B-1")

    invdesk.ok("receive", "CAB-001", "MAIN", "20", "--location", "a-1")
    invdesk.ok("receive", "TAPE-01", "MAIN", "4")  # to its putaway location
    by_location = invdesk.json("stock", "-w", "MAIN", "--by", "location")
    by_both = invdesk.json("stock", "CAB-001", "--by", "location", "--by", "lot")
    table = invdesk.ok("stock", "-w", "MAIN", "--by", "location").stdout

    assert by_location == [
        {"sku": "CAB-001", "name": "USB-C cable 2 m", "warehouse": "MAIN", "location": None,
         "on_hand": 120, "unit": "each"},
        {"sku": "CAB-001", "name": "USB-C cable 2 m", "warehouse": "MAIN", "location": "A-1",
         "on_hand": 20, "unit": "each"},
        {"sku": "TAPE-01", "name": "Packing tape", "warehouse": "MAIN", "location": "B-1",
         "on_hand": 4, "unit": "each"},
    ]  # fmt: skip
    assert [(r["location"], r["lot"], r["expiry"], r["on_hand"]) for r in by_both] == [
        (None, None, None, 120),
        ("A-1", None, None, 20),
    ]
    assert "(default)" in table and "B-1" in table
