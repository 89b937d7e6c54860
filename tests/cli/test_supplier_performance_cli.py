"""`invdesk supplier performance`: per supplier, from a script (JSON) or for a person (table)."""

from __future__ import annotations

from tests.cli.conftest import assert_one_line_error


def test_performance_after_a_delivery_and_a_bad_date(stocked):
    cli = stocked
    cli.ok("supplier", "add", "acme", "Acme Cables", "--lead-days", "5")
    number = cli.ok("po", "create", "ACME", "MAIN", "--line", "CAB-001:10:3.00").stdout.strip()
    cli.ok("po", "send", number)
    cli.ok("po", "receive", number, "--line", "CAB-001:4")
    (acme,) = cli.json("supplier", "performance", "--since", "2000-01-01")
    assert (acme["supplier"], acme["orders"], acme["lines"], acme["on_time_rate"]) == (
        "ACME", 1, 1, 1.0,
    )  # fmt: skip
    assert acme["fill_rate"] is None  # the PO is still open
    assert [amount for _month, amount in acme["spend_by_month"]] == ["12.0000"]
    table = cli.ok("supplier", "performance").stdout
    assert "ACME" in table and "100%" in table
    bad = cli("supplier", "performance", "--since", "last week")
    assert "is not a date" in assert_one_line_error(bad, 2)
