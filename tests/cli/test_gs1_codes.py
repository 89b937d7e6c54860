"""Every code argument of the CLI takes a GS1 element string: the GTIN finds the product (the
14 digits find the EAN-13 on file), a case's GTIN counts its pack, a bad scan is one error line."""

from __future__ import annotations

import pytest

from tests.cli.conftest import assert_one_line_error

GS = "\x1d"


@pytest.mark.parametrize(
    ("args", "main_after"),
    [
        (["receive", "(01)04006381333931(30)5", "MAIN", "5"], (123, 0, 123)),
        (["receive", "]C1" + "0104006381333931" + "3005" + GS, "MAIN", "5"], (123, 0, 123)),
        (["issue", "]d2" + "0114006381333938", "MAIN", "1"], (106, 0, 106)),  # a case of 12
        (["reserve", "(01)04006381333931", "MAIN", "3"], (118, 3, 115)),
    ],
    ids=["printed form", "GS1-128 with GS", "DataMatrix case", "reserve"],
)
def test_a_gs1_code_is_taken_wherever_a_code_is(stocked, args, main_after):
    stocked.ok(*args)
    assert stocked.levels()[("CAB-001", "MAIN")] == main_after


def test_a_bad_gs1_code_is_one_clear_error_and_changes_nothing(stocked):
    before = stocked.snapshot()
    result = stocked("receive", "(01)04006381333932(10)L1", "MAIN", "1")
    line = assert_one_line_error(result, result.exit_code)
    assert result.exit_code != 0
    assert "wrong check digit: it should end in 1" in line
    assert stocked.snapshot() == before
