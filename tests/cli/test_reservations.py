"""reserve prints the hold's id for scripts; commit turns it into an issue, release gives it back."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta

import pytest

from tests.cli.conftest import assert_one_line_error


def test_reserve_prints_only_the_new_reservation_id(stocked):
    result = stocked.ok("reserve", "CAB-001", "MAIN", "5", "--ttl", "900")

    assert re.fullmatch(r"[1-9][0-9]*\n", result.stdout)
    assert result.stderr == ""
    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 5, 113)


def test_each_reservation_gets_its_own_id(stocked):
    first = stocked.ok("reserve", "CAB-001", "MAIN", "1").stdout.strip()
    second = stocked.ok("reserve", "CAB-001", "SHOP", "1").stdout.strip()

    assert first != second


def test_commit_turns_the_hold_into_an_issue(stocked):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5", "--ref", "ORDER-8").stdout.strip()

    result = stocked.ok("commit", reservation)

    assert "-5 CAB-001 in MAIN: on hand 113" in result.stdout
    assert stocked.levels()[("CAB-001", "MAIN")] == (113, 0, 113)
    newest = stocked.json("history", "--limit", "1")[0]
    assert (newest["kind"], newest["qty"], newest["reservation_id"], newest["reference"]) == (
        "issue",
        -5,
        int(reservation),
        "ORDER-8",
    )
    stocked.ok("verify")


def test_release_gives_the_units_back_to_available_stock(stocked):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5").stdout.strip()

    stocked.ok("release", reservation)

    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 0, 118)
    newest = stocked.json("history", "--limit", "1")[0]
    assert (newest["kind"], newest["qty"], newest["reserved_delta"]) == ("release", 0, -5)
    stocked.ok("verify")


def test_a_case_barcode_reserves_its_pack_size(stocked):
    stocked.ok("reserve", "14006381333938", "MAIN", "2")

    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 24, 94)


def test_a_committed_reservation_cannot_be_committed_or_released_again(stocked):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5").stdout.strip()
    stocked.ok("commit", reservation)
    before = stocked.snapshot()

    again = assert_one_line_error(stocked("commit", reservation), 2)
    release = assert_one_line_error(stocked("release", reservation), 2)

    assert (
        again == f"Error: Reservation {reservation} is already committed; it cannot be committed."
    )
    assert release == (
        f"Error: Reservation {reservation} is already committed; there is nothing to release."
    )
    assert stocked.snapshot() == before


def test_a_retried_reserve_with_the_same_request_id_holds_once(stocked):
    first = stocked.ok("reserve", "CAB-001", "MAIN", "5", "--request-id", "hold-1").stdout
    again = stocked.ok("reserve", "CAB-001", "MAIN", "5", "--request-id", "hold-1").stdout

    assert again == first
    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 5, 113)


def test_a_retried_commit_with_the_same_request_id_issues_once(stocked):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5").stdout.strip()

    stocked.ok("commit", reservation, "--request-id", "c-1")
    again = stocked.ok("commit", reservation, "--request-id", "c-1")

    assert "already applied" in again.stdout
    assert stocked.levels()[("CAB-001", "MAIN")] == (113, 0, 113)


def test_reserve_json_describes_the_hold(stocked):
    held = stocked.json("reserve", "TAPE-01", "SHOP", "3", "--ref", "WEB-1")

    assert {k: held[k] for k in ("sku", "warehouse", "qty", "status", "reference")} == {
        "sku": "TAPE-01",
        "warehouse": "SHOP",
        "qty": 3,
        "status": "active",
        "reference": "WEB-1",
    }


def _expire_in_sql(invdesk, reservation: str) -> None:
    """Move a hold's expiry into the past, as if its time had run out."""
    path = invdesk.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE reservation SET expires_at = '2000-01-01 00:00:00.000000' WHERE id = ?",
            (int(reservation),),
        )


@pytest.mark.parametrize("command", ["commit", "release"])
def test_finishing_an_expired_reservation_exits_2_and_only_releases_its_stock(stocked, command):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5").stdout.strip()
    _expire_in_sql(stocked, reservation)
    history_before = stocked.json("history")

    line = assert_one_line_error(stocked(command, reservation), 2)

    assert line == (
        f"Error: Reservation {reservation} expired at 2000-01-01 00:00 UTC and its stock has "
        "been released."
    )
    assert stocked.levels()[("CAB-001", "MAIN")] == (118, 0, 118)
    history = stocked.json("history")
    assert [row["kind"] for row in history[: len(history) - len(history_before)]] == ["expire"]
    assert_one_line_error(stocked(command, reservation), 2)  # refused again, released once
    assert len(stocked.json("history")) == len(history)
    stocked.ok("verify")


def test_a_released_reservation_cannot_be_committed(stocked):
    reservation = stocked.ok("reserve", "CAB-001", "MAIN", "5").stdout.strip()
    stocked.ok("release", reservation)
    before = stocked.snapshot()

    line = assert_one_line_error(stocked("commit", reservation), 2)

    assert line == f"Error: Reservation {reservation} is already released; it cannot be committed."
    assert stocked.snapshot() == before


def test_a_hold_may_last_thirty_days_but_not_ninety_one(stocked):
    held = stocked.json("reserve", "CAB-001", "MAIN", "1", "--ttl", str(30 * 24 * 3600))
    before = stocked.snapshot()

    line = assert_one_line_error(
        stocked("reserve", "CAB-001", "MAIN", "1", "--ttl", str(91 * 24 * 3600)), 2
    )

    created = datetime.fromisoformat(held["created_at"])
    assert datetime.fromisoformat(held["expires_at"]) - created == timedelta(days=30)
    assert line == "Error: A reservation can be held for at most 90 days."
    assert stocked.snapshot() == before


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("1000001", 4, "There is no reservation number 1000001."),  # past MAX_QTY: still an id
        ("-1", 2, "Reservation number must be at least 1 (got -1)."),
        ("1.5", 2, "Reservation number must be a whole number, not 1.5."),
    ],
)
def test_commit_checks_the_reservation_number(stocked, after_script, number, code, message):
    assert assert_one_line_error(stocked("commit", number), code) == f"Error: {message}"
    assert stocked.snapshot() == after_script
