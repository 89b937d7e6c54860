"""The acceptance scenario: a scripted session on a fresh database ends with exactly the right stock."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.cli.conftest import SCRIPT, SCRIPT_LEDGER_ROWS, SCRIPT_STOCK, Invdesk


def test_scripted_session_on_a_fresh_sqlite_file_leaves_exact_stock(tmp_path):
    db_file = tmp_path / "x.db"
    invdesk = Invdesk(f"sqlite:///{db_file}", CliRunner())

    invdesk.run_script()

    assert db_file.exists()
    assert invdesk.json("stock") == [
        {
            "sku": "CAB-001",
            "name": "USB-C cable 2 m",
            "warehouse": "MAIN",
            "on_hand": 118,
            "reserved": 0,
            "available": 118,
            "avg_cost": "3.0500",
            "unit": "each",
            "on_order": 0,
        },
        {
            "sku": "CAB-001",
            "name": "USB-C cable 2 m",
            "warehouse": "SHOP",
            "on_hand": 24,
            "reserved": 0,
            "available": 24,
            "avg_cost": "3.0500",
            "unit": "each",
            "on_order": 0,
        },
        {
            "sku": "TAPE-01",
            "name": "Packing tape",
            "warehouse": "SHOP",
            "on_hand": 7,
            "reserved": 0,
            "available": 7,
            "avg_cost": "0.0000",
            "unit": "each",
            "on_order": 0,
        },
    ]
    assert invdesk.levels() == SCRIPT_STOCK
    assert len(invdesk.json("history")) == SCRIPT_LEDGER_ROWS
    assert invdesk.ok("verify").stdout.startswith("All stock levels agree with the ledger.\n")


def test_each_stock_command_reports_the_new_balance(invdesk):
    outputs = [invdesk.ok(*command).stdout for command in SCRIPT]

    assert "+120 CAB-001 in MAIN: on hand 120" in outputs[4]
    assert "+24 CAB-001 in MAIN: on hand 144" in outputs[5]  # a case barcode counts 12 units
    assert "-2 CAB-001 in MAIN: on hand 142" in outputs[6]  # a unit barcode counts 1
    assert "-24 CAB-001 in MAIN: on hand 118" in outputs[7]
    assert "+24 CAB-001 in SHOP: on hand 24" in outputs[7]


def test_ledger_records_what_the_session_did_newest_first(stocked):
    rows = stocked.json("history")

    assert [(r["kind"], r["sku"], r["warehouse"], r["qty"], r["balance_after"]) for r in rows] == [
        ("issue", "TAPE-01", "SHOP", -3, 7),
        ("receive", "TAPE-01", "SHOP", 10, 10),
        ("transfer_in", "CAB-001", "SHOP", 24, 24),
        ("transfer_out", "CAB-001", "MAIN", -24, 118),
        ("issue", "CAB-001", "MAIN", -2, 142),
        ("receive", "CAB-001", "MAIN", 24, 144),
        ("receive", "CAB-001", "MAIN", 120, 120),
    ]
    transfer_out, transfer_in = rows[3], rows[2]
    assert transfer_out["transfer_id"] is not None
    assert transfer_out["transfer_id"] == transfer_in["transfer_id"]
    assert rows[4]["reference"] == "ORDER-77"
    assert rows[6]["reference"] == "PO-1042"
    assert rows[6]["unit_cost"] == "3.0500"


def test_return_and_adjust_complete_the_day(stocked):
    stocked.ok("return", "CAB-001", "SHOP", "1", "--damaged", "--reason", "cracked plug")
    stocked.ok("return", "CAB-001", "SHOP", "2")
    stocked.ok("adjust", "CAB-001", "MAIN", "93", "--reason", "cycle count")

    levels = stocked.levels()
    assert levels[("CAB-001", "SHOP")] == (26, 0, 26)  # damaged goods are not restocked
    assert levels[("CAB-001", "MAIN")] == (93, 0, 93)
    adjust = stocked.json("history", "--limit", "1")[0]
    assert (adjust["kind"], adjust["qty"], adjust["reason"]) == ("adjust", -25, "cycle count")
    stocked.ok("verify")


def test_receive_with_a_cost_moves_the_average_cost(stocked):
    stocked.ok("receive", "CAB-001", "SHOP", "24", "--cost", "4.05")

    (row,) = stocked.json("stock", "CAB-001", "-w", "SHOP")
    assert row["avg_cost"] == "3.5500"  # (24 x 3.05 + 24 x 4.05) / 48


def test_short_scripted_session_gives_exact_stock_on_each_database(db_url):
    """SQLite and PostgreSQL (db_url is parametrized and empty) behave the same for a script."""
    invdesk = Invdesk(db_url, CliRunner())
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    invdesk.ok("warehouse", "add", "SHOP", "Shop")
    invdesk.ok(
        "product", "add", "CAB-001", "Cable", "--category", "Electronics",
        "--barcode", "4006381333931", "--barcode", "14006381333938:12",
    )  # fmt: skip
    invdesk.ok("receive", "14006381333938", "MAIN", "1", "--cost", "3.05")
    invdesk.ok("receive", "CAB-001", "MAIN", "8", "--request-id", "po-1")
    invdesk.ok("receive", "CAB-001", "MAIN", "8", "--request-id", "po-1")  # a retry
    invdesk.ok("issue", "4006381333931", "MAIN", "3")
    invdesk.ok("transfer", "CAB-001", "MAIN", "SHOP", "5")
    reservation = invdesk.ok("reserve", "CAB-001", "MAIN", "2").stdout.strip()

    assert invdesk.levels() == {("CAB-001", "MAIN"): (12, 2, 10), ("CAB-001", "SHOP"): (5, 0, 5)}
    assert [r["avg_cost"] for r in invdesk.json("stock")] == ["3.0500", "3.0500"]
    assert invdesk("issue", "CAB-001", "MAIN", "11").exit_code == 3
    assert invdesk("issue", "NOPE", "MAIN", "1").exit_code == 4
    assert invdesk("product", "add", "CAB-001", "Again", "--category", "Tools").exit_code == 5
    invdesk.ok("commit", reservation)
    assert invdesk.levels() == {("CAB-001", "MAIN"): (10, 0, 10), ("CAB-001", "SHOP"): (5, 0, 5)}
    assert len(invdesk.json("history", "--since", "2000-01-01")) == 7
    checked = invdesk.json("verify")
    assert (checked["ok"], checked["differences"], checked["findings"]) == (True, [], [])


def test_the_cli_creates_the_folder_of_a_new_sqlite_file(tmp_path):
    db_file: Path = tmp_path / "new" / "folder" / "x.db"
    invdesk = Invdesk(f"sqlite:///{db_file}", CliRunner())

    invdesk.ok("warehouse", "add", "MAIN", "Main")

    assert db_file.exists()
    assert [w["code"] for w in invdesk.json("warehouse", "list")] == ["MAIN"]
