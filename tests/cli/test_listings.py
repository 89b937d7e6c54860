"""Listing commands: --json prints exactly one JSON document; history filters by date."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    "args",
    [
        ["product", "list"],
        ["product", "list", "--inactive", "--limit", "1"],
        ["product", "show", "CAB-001"],
        ["warehouse", "list"],
        ["stock"],
        ["stock", "CAB-001"],
        ["history"],
        ["history", "CAB-001", "-w", "MAIN", "--kind", "receive"],
        ["verify"],
    ],
    ids=" ".join,
)
def test_json_output_is_exactly_one_document(stocked, args):
    result = stocked.ok(*args, "--json")

    json.loads(result.stdout)  # raises on a second document or on any extra text
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "empty"),
    [
        (["product", "list"], []),
        (["warehouse", "list"], []),
        (["stock"], []),
        (["history"], []),
        (["verify"], {"ok": True, "differences": [], "findings": [], "unlisted": 0}),
    ],
)
def test_json_on_an_empty_database_is_an_empty_document(invdesk, args, empty):
    found = invdesk.json(*args)
    if isinstance(empty, dict):  # verify also describes the trails it checked
        found = {key: found[key] for key in empty}
    assert found == empty


def test_product_list_json_describes_products_and_their_barcodes(stocked):
    products = {p["sku"]: p for p in stocked.json("product", "list")}

    assert sorted(products) == ["CAB-001", "TAPE-01"]
    cable = products["CAB-001"]
    assert (cable["name"], cable["category"], cable["price"], cable["cost"]) == (
        "USB-C cable 2 m",
        "Electronics",
        "9.9000",
        "3.1000",
    )
    assert sorted((b["code"], b["pack_qty"]) for b in cable["barcodes"]) == [
        ("14006381333938", 12),
        ("4006381333931", 1),
    ]


def test_product_show_finds_a_product_by_its_barcode(stocked):
    assert stocked.json("product", "show", "14006381333938")["sku"] == "CAB-001"


def test_warehouse_list_json_shows_codes_in_capitals(stocked):
    rows = stocked.json("warehouse", "list")

    assert [(w["code"], w["name"], w["address"], w["active"]) for w in rows] == [
        ("MAIN", "Main warehouse", "1 Dock Road", True),
        ("SHOP", "Shop", None, True),
    ]


def test_stock_filters_by_product_and_warehouse(stocked):
    assert [(r["sku"], r["warehouse"]) for r in stocked.json("stock", "-w", "shop")] == [
        ("CAB-001", "SHOP"),
        ("TAPE-01", "SHOP"),
    ]
    assert [r["warehouse"] for r in stocked.json("stock", "4006381333931")] == ["MAIN", "SHOP"]


def test_stock_hides_emptied_rows_unless_asked(stocked):
    stocked.ok("issue", "TAPE-01", "SHOP", "7")

    assert ("TAPE-01", "SHOP") not in stocked.levels()
    rows = stocked.json("stock", "--all")
    assert {(r["sku"], r["warehouse"], r["on_hand"]) for r in rows} >= {("TAPE-01", "SHOP", 0)}


def test_history_since_an_old_date_lists_everything(stocked):
    assert len(stocked.json("history", "--since", "2000-01-01")) == len(stocked.json("history"))
    assert stocked.json("history", "--since", "2000-01-01")


def test_history_since_a_future_date_or_until_an_old_one_is_empty(stocked):
    assert stocked.json("history", "--since", "2999-01-01") == []
    assert stocked.json("history", "--until", "2000-01-01") == []


def test_history_filters_by_product_warehouse_and_kind(stocked):
    rows = stocked.json("history", "CAB-001", "-w", "MAIN", "--kind", "receive")

    assert [(r["qty"], r["balance_after"]) for r in rows] == [(24, 144), (120, 120)]


def test_history_limit_keeps_the_newest_rows(stocked):
    (newest,) = stocked.json("history", "--limit", "1")

    assert (newest["kind"], newest["sku"]) == ("issue", "TAPE-01")


def test_tables_for_people_are_aligned_with_a_header(stocked):
    lines = stocked.ok("stock").stdout.splitlines()

    assert lines[0].split() == ["SKU", "Name", "Warehouse", "On", "hand", "Reserved", "Available",
                                "On", "order", "Avg", "cost"]  # fmt: skip
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 2 + 3


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["product", "list"], "No products.\n"),
        (["warehouse", "list"], "No warehouses.\n"),
        (["stock"], "No stock.\n"),
        (["history"], "No movements.\n"),
    ],
)
def test_empty_tables_say_so(invdesk, args, text):
    assert invdesk.ok(*args).stdout == text


@pytest.mark.parametrize("term", ["_", "%"])
def test_product_search_treats_underscore_and_percent_literally(stocked, term):
    stocked.ok("product", "add", f"PLUG{term}EU", "Plug", "--category", "Electronics")

    found = [p["sku"] for p in stocked.json("product", "list", "--search", term)]

    assert found == [f"PLUG{term}EU"]


def test_product_search_matches_part_of_a_sku_or_name_or_a_whole_barcode(stocked):
    def skus(term):
        return [p["sku"] for p in stocked.json("product", "list", "--search", term)]

    assert skus("tape") == ["TAPE-01"]
    assert skus("cab-") == ["CAB-001"]
    assert skus("036000291452") == ["TAPE-01"]
    assert skus("0360002914") == []


def test_history_shows_a_hold_as_held_units_like_the_gui(stocked):
    stocked.ok("reserve", "CAB-001", "MAIN", "3")
    table = stocked.ok("history", "CAB-001", "--kind", "reserve").stdout
    assert "+3 held" in table.splitlines()[2]


def test_until_includes_the_day_it_names(stocked):
    from datetime import date

    today = date.today().isoformat()
    assert len(stocked.json("history", "--since", today, "--until", today)) == 7
