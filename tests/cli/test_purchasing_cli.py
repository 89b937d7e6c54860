"""`invdesk supplier ...` and `invdesk po ...`: the purchasing loop from a script."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.cli.conftest import assert_one_line_error


def _supplied(cli):
    cli.ok("supplier", "add", "acme", "Acme Cables", "--email", "po@acme.test", "--lead-days", "5")
    cli.ok("supplier", "link", "CAB-001", "ACME", "--supplier-sku", "AC-1", "--price", "30",
           "--pack", "10", "--min", "20", "--preferred")  # fmt: skip
    return cli


def test_create_send_receive_twice_and_the_po_is_received(stocked, tmp_path):
    cli = _supplied(stocked)
    (supplier,) = cli.json("supplier", "list")
    assert (supplier["code"], supplier["lead_days"]) == ("ACME", 5)
    number = cli.ok("po", "create", "ACME", "MAIN", "--line", "CAB-001:30", "--expected",
                    "2099-01-31").stdout.strip()  # fmt: skip
    assert number.startswith("PO-")
    shown = cli.json("po", "show", number)
    assert shown["status"] == "draft" and shown["lines"][0]["unit_price"] == "3.0000"
    before = cli.levels()[("CAB-001", "MAIN")]
    cli.ok("po", "send", number)
    (row,) = [r for r in cli.json("stock", "CAB-001") if r["warehouse"] == "MAIN"]
    assert row["on_order"] == 30

    args = ("po", "receive", number, "--line", "CAB-001:12", "--request-id", "d1")
    first = cli.ok(*args)
    assert f"{number} is partial" in first.stdout
    again = cli.ok(*args)
    assert "already applied" in again.stdout
    assert cli.levels()[("CAB-001", "MAIN")][0] == before[0] + 12

    refused = cli("po", "receive", number, "--line", "CAB-001:19")
    assert "Confirm to receive the extra" in assert_one_line_error(refused, 2)
    cli.ok("po", "receive", number, "--line", "CAB-001:18")
    assert cli.json("po", "show", number)["status"] == "received"
    assert [p["number"] for p in cli.json("po", "list", "--status", "received")] == [number]
    (row,) = [r for r in cli.json("stock", "CAB-001") if r["warehouse"] == "MAIN"]
    assert row["on_order"] == 0
    out = tmp_path / "po.xlsx"
    assert cli.ok("po", "xlsx", number, "--out", str(out)).stdout.startswith("Wrote")
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert number in cells and "AC-1" in cells


def test_from_reorder_drafts_once_and_bad_input_is_one_line(stocked):
    cli = _supplied(stocked)
    cli.ok("policy", "set", "MAIN", "--product", "CAB-001", "--kind", "reorder_point",
           "--point", "1000", "--qty", "25")  # fmt: skip
    made = cli.ok("po", "from-reorder", "--warehouse", "MAIN").stdout.split()
    assert len(made) == 1
    (line,) = cli.json("po", "show", made[0])["lines"]
    assert line["ordered"] == 30  # 25 rounded up to packs of 10
    assert cli.ok("po", "from-reorder", "--warehouse", "MAIN").stdout.strip() == ""
    bad = cli("po", "create", "ACME", "MAIN", "--line", "CAB-001")
    assert "SKU:QTY" in assert_one_line_error(bad, 2)
    missing = cli("po", "show", "PO-424242")
    assert assert_one_line_error(missing, 4) == "Error: There is no purchase order PO-424242."
    cancelled = cli.ok("po", "cancel", made[0], "--reason", "changed our mind")
    assert "cancelled" in cancelled.stdout


def test_company_details_are_set_by_an_admin_and_shown(stocked):
    assert "Not set" in stocked.ok("company", "show").stdout
    stocked.ok("company", "set", "--name", "Cable Co", "--address", "1 Quay St, Harbourtown",
               "--email", "buy@cable.example")  # fmt: skip
    shown = stocked.json("company", "show")
    assert (shown["name"], shown["address"], shown["version"]) == (
        "Cable Co",
        "1 Quay St, Harbourtown",
        1,
    )
    bad = stocked("company", "set", "--email", "nope")
    assert "not an e-mail address" in assert_one_line_error(bad, 2)
