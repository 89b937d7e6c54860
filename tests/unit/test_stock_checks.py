"""A stock command is checked once, in the domain: the first error a person should see, on the
line it is about, and a payload whose fingerprint stays what earlier versions stored."""

import pytest

from invdesk.domain.errors import InsufficientStock, ValidationError, about_line
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.stock import AdjustStock, IssueStock, Line, ReceiveStock, TransferStock
from invdesk.domain.stock_checks import (
    check_adjust,
    check_issue,
    check_lines,
    check_receive,
    check_transfer,
)


def test_a_bad_quantity_names_its_line_by_index_and_in_words():
    lines = (Line("A-1", 2), Line("B-2", 3), Line("C-3", "two"))
    with pytest.raises(ValidationError) as caught:
        check_lines(lines)
    assert caught.value.line == 2
    assert caught.value.field == "qty"
    assert "line 3" in caught.value.message


def test_a_bad_cost_names_its_line():
    lines = (Line("A-1", 2, "1.50"), Line("B-2", 3, "abc"))
    with pytest.raises(ValidationError) as caught:
        check_lines(lines, with_cost=True)
    assert (caught.value.line, caught.value.field) == (1, "unit_cost")


def test_a_one_line_document_names_line_zero():
    with pytest.raises(ValidationError) as caught:
        check_issue(IssueStock("main", (Line("  ", 1),)))
    assert (caught.value.line, caught.value.field) == (0, "product")


def test_errors_not_about_a_line_carry_none():
    with pytest.raises(ValidationError) as caught:
        check_transfer(TransferStock("main", "MAIN", (Line("A-1", 1),)))
    assert caught.value.line is None and caught.value.field == "destination"


def test_about_line_keeps_a_line_already_named():
    with pytest.raises(InsufficientStock) as caught, about_line(4), about_line(1):
        raise InsufficientStock("short", available=0, requested=1)
    assert caught.value.line == 1


def test_checked_values_are_clean():
    checked = check_receive(ReceiveStock(" main ", (Line(" A-1 ", "3", "2.5"),), "  PO-7 "))
    assert checked.warehouse == "MAIN" and checked.reference == "PO-7"
    assert [(line.code, line.qty, line.cost_minor, line.row) for line in checked.lines] == [
        ("A-1", 3, 25000, 0)
    ]


def test_fingerprints_are_those_earlier_versions_stored():
    """A retry sent before an upgrade and repeated after it must still be taken as a retry."""
    receive = check_receive(ReceiveStock("MAIN", (Line("A-1", 3, "2.5"),), "PO-7"))
    assert fingerprint("receive", receive.payload()) == fingerprint(
        "receive", ["MAIN", [["A-1", 3, 25000]], "PO-7"]
    )
    count = check_adjust(AdjustStock("A-1", "main", "12"))
    assert count.payload() == ["A-1", "MAIN", 12, "Stock count", None]
