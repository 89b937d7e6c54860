"""invdesk verify: recompute stock from the ledger; exit 1 and name the row when a counter is off."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

from tests.cli.conftest import Invdesk


def _tamper(invdesk: Invdesk, sql: str) -> None:
    path = invdesk.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(sql)


def test_verify_passes_on_a_consistent_database(stocked):
    result = stocked("verify")

    assert result.exit_code == 0
    assert result.stdout == (
        "All stock levels agree with the ledger.\n"
        "Ledger: 7 rows, running balances agree; 0 sealed and unchanged, 7 not sealed yet.\n"
        "Audit trail: 4 rows; 0 sealed and unchanged, 4 not sealed yet.\n"
    )


def test_seal_then_verify_counts_every_row_sealed(stocked):
    assert stocked.ok("seal").stdout == "Wrote 2 new seal(s).\n"

    result = stocked.ok("verify")

    assert "Ledger: 7 rows, running balances agree; 7 sealed and unchanged, 0 not sealed" in (
        result.stdout
    )


def test_a_sealed_row_rewritten_by_hand_fails_verify_and_is_named(stocked):
    stocked.ok("seal")
    _tamper(stocked, "DROP TRIGGER movement_no_update")
    _tamper(stocked, "UPDATE movement SET user = 'boss' WHERE id = 3")

    result = stocked("verify")

    assert result.exit_code == 1
    assert result.stdout == (
        "ledger rows 1-7: seal 1 does not match: a row between ids 1 and 7 was changed after "
        "it was sealed\n"
    )
    assert result.stderr == "1 problem(s) found in the ledger or audit trail.\n"


def test_seal_export_then_against_proves_nothing_changed(stocked, tmp_path):
    kept = tmp_path / "seals.json"
    stocked.ok("seal")

    exported = stocked.ok("verify", "--seal-export", str(kept))
    assert f"Wrote the newest seals to {kept}." in exported.stdout
    stocked.ok("issue", "TAPE-01", "SHOP", "1")

    result = stocked.ok("verify", "--against", str(kept))

    assert f"Nothing up to the seals in {kept} has changed." in result.stdout


def test_verify_against_a_file_that_is_no_seal_export_is_refused(stocked, tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text("[1, 2]")

    result = stocked("verify", "--against", str(bogus))

    assert result.exit_code == 2
    assert result.stderr == f"Error: The seal file {bogus} is not an invdesk seal export.\n"


def test_verify_fails_after_a_counter_is_changed_behind_the_ledgers_back(stocked):
    _tamper(
        stocked,
        "UPDATE stock_level SET on_hand = on_hand + 5 WHERE product_id = "
        "(SELECT id FROM product WHERE sku = 'CAB-001') AND warehouse_id = "
        "(SELECT id FROM warehouse WHERE code = 'MAIN')",
    )

    result = stocked("verify")

    assert result.exit_code == 1
    assert result.stdout == ("CAB-001 in MAIN: on hand is 123 but the ledger adds up to 118\n")
    assert result.stderr == "1 stock level(s) disagree with the ledger.\n"


def test_verify_names_every_tampered_row(stocked):
    _tamper(stocked, "UPDATE stock_level SET on_hand = on_hand + 5")

    result = stocked("verify")

    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "CAB-001 in MAIN",
        "CAB-001 in SHOP",
        "TAPE-01 in SHOP",
    ]


def test_verify_json_lists_the_differences_and_exits_1(stocked):
    _tamper(stocked, "UPDATE stock_level SET on_hand = on_hand + 5")

    result = stocked("verify", "--json")

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    found = {
        (d["sku"], d["warehouse"], d["on_hand"], d["ledger_on_hand"])
        for d in document["differences"]
    }
    assert found == {
        ("CAB-001", "MAIN", 123, 118),
        ("CAB-001", "SHOP", 29, 24),
        ("TAPE-01", "SHOP", 12, 7),
    }


def test_verify_notices_a_reserved_counter_without_a_hold(stocked):
    _tamper(stocked, "UPDATE stock_level SET reserved = 3")

    result = stocked("verify")

    assert result.exit_code == 1
    assert "reserved is 3 but the ledger adds up to 0" in result.stdout
    assert "open reservations hold 0" in result.stdout


def test_verify_passes_with_open_reservations(stocked):
    stocked.ok("reserve", "CAB-001", "MAIN", "4")

    assert stocked("verify").exit_code == 0
