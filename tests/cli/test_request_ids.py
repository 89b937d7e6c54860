"""--request-id: a retried command applies once; reusing an id for something else is refused."""

from __future__ import annotations

from tests.cli.conftest import assert_one_line_error


def _rows_for(invdesk, request_id):
    return [row for row in invdesk.json("history") if row["request_id"] == request_id]


def test_the_same_request_id_and_payload_applies_once_and_says_so(stocked):
    first = stocked.ok("receive", "CAB-001", "MAIN", "5", "--ref", "PO-9", "--request-id", "r-1")
    after_first = stocked.snapshot()

    again = stocked.ok("receive", "CAB-001", "MAIN", "5", "--ref", "PO-9", "--request-id", "r-1")

    assert "already applied" not in first.stdout
    assert again.stdout.splitlines()[0] == "Request r-1 was already applied; nothing changed."
    assert first.stdout.splitlines()[-1] in again.stdout  # the first result, printed again
    assert stocked.snapshot() == after_first
    assert len(_rows_for(stocked, "r-1")) == 1
    assert stocked.levels()[("CAB-001", "MAIN")] == (123, 0, 123)


def test_a_replayed_request_reports_the_first_result_as_json(stocked):
    first = stocked.json("issue", "CAB-001", "MAIN", "2", "--request-id", "r-2")
    again = stocked.json("issue", "CAB-001", "MAIN", "2", "--request-id", "r-2")

    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["movements"] == first["movements"]


def test_a_replayed_transfer_keeps_its_two_ledger_rows(stocked):
    stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "4", "--request-id", "t-1")
    stocked.ok("transfer", "CAB-001", "MAIN", "SHOP", "4", "--request-id", "t-1")

    assert sorted(r["kind"] for r in _rows_for(stocked, "t-1")) == ["transfer_in", "transfer_out"]
    assert stocked.levels()[("CAB-001", "SHOP")] == (28, 0, 28)


def test_the_same_request_id_with_a_different_payload_exits_5_and_changes_nothing(stocked):
    stocked.ok("receive", "CAB-001", "MAIN", "5", "--request-id", "r-3")
    before = stocked.snapshot()

    result = stocked("receive", "CAB-001", "MAIN", "6", "--request-id", "r-3")

    line = assert_one_line_error(result, 5)
    assert line.startswith("Error: Request id r-3 was already used for a different receive")
    assert stocked.snapshot() == before


def test_a_request_id_cannot_be_reused_for_another_kind_of_operation(stocked):
    stocked.ok("receive", "CAB-001", "MAIN", "5", "--request-id", "r-4")
    before = stocked.snapshot()

    result = stocked("issue", "CAB-001", "MAIN", "5", "--request-id", "r-4")

    assert_one_line_error(result, 5)
    assert stocked.snapshot() == before


def test_a_refused_operation_does_not_use_up_its_request_id(stocked):
    assert stocked("issue", "CAB-001", "MAIN", "500", "--request-id", "r-5").exit_code == 3

    stocked.ok("issue", "CAB-001", "MAIN", "5", "--request-id", "r-5")

    assert stocked.levels()[("CAB-001", "MAIN")] == (113, 0, 113)


def test_without_a_request_id_each_command_applies(stocked):
    stocked.ok("receive", "CAB-001", "MAIN", "5")
    stocked.ok("receive", "CAB-001", "MAIN", "5")

    assert stocked.levels()[("CAB-001", "MAIN")] == (128, 0, 128)
