"""`invdesk count`: open prints the sheet's number, line records a count at a location (- is the
default), show previews the variance, post books the differences once."""

from __future__ import annotations

import re
from decimal import Decimal

from tests.cli.conftest import assert_one_line_error


def test_a_scripted_count_books_only_the_difference(stocked):
    sheet = stocked.ok("count", "open", "MAIN").stdout
    assert re.fullmatch(r"[1-9][0-9]*\n", sheet)
    sheet = sheet.strip()

    line = stocked.ok("count", "line", sheet, "-", "CAB-001", "115")
    stocked.ok("issue", "CAB-001", "MAIN", "4")  # a sale after the count

    assert "CAB-001 at -: counted 115, expected 118 (-3)" in line.stdout
    shown = stocked.json("count", "show", sheet)
    (counted,) = shown["counted"]
    assert (counted["variance"], counted["moved_after"], counted["recount"]) == (-3, True, False)
    assert Decimal(shown["value"]) == Decimal("-9.15")  # 3 at the average cost of 3.05
    posted = stocked.ok("count", "post", sheet, "--request-id", "count-7")
    again = stocked.ok("count", "post", sheet, "--request-id", "count-7")

    assert "1 adjustments, -3 units" in posted.stdout
    assert "already applied; nothing changed" in again.stdout
    assert stocked.levels()[("CAB-001", "MAIN")] == (111, 0, 111)  # 115 counted, 4 sold since
    stocked.ok("verify")


def test_show_lists_uncounted_lines_apart(stocked):
    sheet = stocked.ok("count", "open", "SHOP").stdout.strip()
    stocked.ok("count", "line", sheet, "-", "TAPE-01", "7")

    shown = stocked.ok("count", "show", sheet).stdout

    assert "Variance: +0 units" in shown
    assert "Not counted (1 lines" in shown and "CAB-001" in shown.split("Not counted")[1]


def test_a_negative_count_is_one_line_error(stocked):
    sheet = stocked.ok("count", "open", "MAIN", "--product", "CAB-001").stdout.strip()
    error = assert_one_line_error(stocked("count", "line", sheet, "-", "CAB-001", "-1"), 2)
    assert "cannot be negative" in error


def test_cancel_and_list(stocked):
    sheet = stocked.ok("count", "open", "MAIN").stdout.strip()
    stocked.ok("count", "cancel", sheet)
    (listed,) = stocked.json("count", "list")
    assert (listed["id"], listed["status"]) == (int(sheet), "cancelled")
