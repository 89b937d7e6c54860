"""`invdesk category ...`, product descriptions and `product list` telling when more rows exist."""

from __future__ import annotations

from tests.cli.conftest import assert_one_line_error


def test_a_manager_adds_nests_renames_merges_and_retires_categories(invdesk):
    invdesk.ok("category", "add", "Shirts", "--parent", "Clothing")
    invdesk.ok("category", "add", "Tees")
    invdesk.ok("product", "add", "TEE-1", "Tee", "--category", "Tees")
    invdesk.ok("category", "rename", "shirts", "Shirts & tops")

    merged = invdesk.ok("category", "merge", "Tees", "Shirts & tops")

    assert "now holds 1 products" in merged.stdout
    assert invdesk.json("product", "show", "TEE-1")["category"] == "Shirts & tops"
    listed = {c["name"]: c for c in invdesk.json("category", "list")}
    assert "Tees" not in listed
    assert listed["Shirts & tops"]["parent"] == "Clothing"
    assert listed["Shirts & tops"]["products"] == 1
    table = invdesk.ok("category", "list").stdout
    assert "Clothing > Shirts & tops" in table
    invdesk.ok("category", "deactivate", "Office")
    assert "Office" not in {c["name"] for c in invdesk.json("category", "list")}
    assert "Office" in {c["name"] for c in invdesk.json("category", "list", "--inactive")}
    error = assert_one_line_error(
        invdesk("category", "add", "Polo", "--parent", "Shirts & tops"), 2
    )
    assert "one level" in error


def test_unknown_category_names_the_way_to_add_one(invdesk):
    invdesk.ok("product", "add", "A-1", "A", "--category", "Other")
    error = assert_one_line_error(invdesk("product", "add", "A-2", "A", "--category", "Toys"), 4)
    assert "Toys" in error


def test_a_description_is_added_shown_and_cleared(invdesk):
    invdesk.ok("product", "add", "A-1", "A", "--category", "Tools", "--description", "Line 1")
    invdesk.ok("product", "edit", "A-1", "--description", "Line 1\nLine 2")
    assert "  | Line 2" in invdesk.ok("product", "show", "A-1").stdout
    invdesk.ok("product", "edit", "A-1", "--description", "")
    assert invdesk.json("product", "show", "A-1")["description"] is None


def test_product_list_says_when_more_rows_exist_and_all_shows_them(invdesk):
    for n in range(4):
        invdesk.ok("product", "add", f"P-{n}", f"Product {n}", "--category", "Tools")

    limited = invdesk.ok("product", "list", "--limit", "3")

    assert "P-2" in limited.stdout and "P-3" not in limited.stdout
    assert "more products match" in limited.stderr
    every = invdesk.ok("product", "list", "--all")
    assert "P-3" in every.stdout and every.stderr == ""
    assert invdesk.ok("product", "list", "--limit", "4").stderr == ""
    assert len(invdesk.json("product", "list", "--all")) == 4
