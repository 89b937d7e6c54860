"""Refusals: one `Error: ` line on stderr, a distinct exit code, and nothing changed in the database.

Exit codes (README): 2 invalid input, 3 not enough stock, 4 not found, 5 conflict or duplicate.
"""

from __future__ import annotations

import pytest

from tests.cli.conftest import assert_one_line_error

BAD_QUANTITIES = ["abc", "0", "1.5", "2.50", "", str(10**9)]
COMMANDS = {
    "receive": ["receive", "CAB-001", "MAIN"],
    "issue": ["issue", "CAB-001", "MAIN"],
    "transfer": ["transfer", "CAB-001", "MAIN", "SHOP"],
    "return": ["return", "CAB-001", "MAIN"],
    "reserve": ["reserve", "CAB-001", "MAIN"],
}
# Every bad quantity on issue; one on each other stock command (they share the parsing).
BAD_QUANTITY_CASES = [("issue", qty) for qty in BAD_QUANTITIES] + [
    ("receive", "1.5"),
    ("transfer", str(10**9)),
    ("return", "0"),
    ("reserve", "abc"),
]


@pytest.mark.parametrize(("name", "qty"), BAD_QUANTITY_CASES)
def test_stock_commands_refuse_a_bad_quantity_and_change_nothing(stocked, after_script, name, qty):
    result = stocked(*COMMANDS[name], qty)

    line = assert_one_line_error(result, 2)
    assert "Quantity" in line
    assert stocked.snapshot() == after_script


def test_a_negative_quantity_after_double_dash_is_refused_as_a_quantity(stocked, after_script):
    result = stocked("issue", "--", "CAB-001", "MAIN", "-1")

    assert assert_one_line_error(result, 2) == "Error: Quantity must be at least 1 (got -1)."
    assert stocked.snapshot() == after_script


def test_a_negative_quantity_exits_2_and_changes_nothing(stocked, after_script):
    result = stocked("issue", "CAB-001", "MAIN", "-1")

    assert result.exit_code == 2
    assert stocked.snapshot() == after_script


def test_a_negative_quantity_gets_the_one_line_quantity_error(stocked):
    line = assert_one_line_error(stocked("issue", "CAB-001", "MAIN", "-1"), 2)

    assert "Quantity" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["receive", "CAB-001", "MAIN", "-3", "--ref", "PO-1"], "Quantity must be at least 1 (got -3)."),
        (["receive", "--cost", "1.00", "CAB-001", "MAIN", "-3"], "Quantity must be at least 1 (got -3)."),
        (["transfer", "CAB-001", "MAIN", "SHOP", "-2"], "Quantity must be at least 1 (got -2)."),
        (["return", "CAB-001", "MAIN", "-1", "--damaged"], "Quantity must be at least 1 (got -1)."),
        (["reserve", "CAB-001", "MAIN", "-1", "--ttl", "60"], "Quantity must be at least 1 (got -1)."),
        (["adjust", "CAB-001", "MAIN", "-5", "--reason", "count"],
         "Counted quantity cannot be negative (got -5)."),
        (["issue", "CAB-001", "MAIN", "-1.5"], "Quantity must be a whole number, not -1.5."),
        (["issue", "CAB-001", "MAIN", "-0"], "Quantity must be at least 1 (got 0)."),
        (["release", "-7"], "Reservation number must be at least 1 (got -7)."),
    ],
)  # fmt: skip
def test_a_negative_number_argument_is_refused_by_its_own_rule(
    stocked, after_script, args, message
):
    assert assert_one_line_error(stocked(*args), 2) == f"Error: {message}"
    assert stocked.snapshot() == after_script


def test_an_unknown_option_is_still_refused_next_to_a_negative_number(stocked, after_script):
    result = stocked("issue", "CAB-001", "MAIN", "-1", "--bogus")

    assert result.exit_code == 2
    assert "No such option '--bogus'" in result.stderr
    assert stocked.snapshot() == after_script


def test_an_option_value_that_looks_negative_stays_the_options_value(stocked, after_script):
    line = assert_one_line_error(stocked("receive", "CAB-001", "MAIN", "1", "--cost", "-1"), 2)

    assert line == "Error: Unit cost cannot be negative."
    assert stocked.snapshot() == after_script


def test_a_quantity_message_quotes_what_was_typed(stocked):
    line = assert_one_line_error(stocked("issue", "CAB-001", "MAIN", "abc"), 2)

    assert line == "Error: Quantity must be a whole number, not “abc”."


def test_an_absurd_quantity_is_refused_naming_the_limit(stocked):
    line = assert_one_line_error(stocked("receive", "CAB-001", "MAIN", str(10**9)), 2)

    assert line == "Error: Quantity 1,000,000,000 is too large: at most 1,000,000."


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["transfer", "CAB-001", "MAIN", "main", "1"], "two different warehouses"),
        (["issue", "", "MAIN", "1"], "SKU or barcode cannot be empty"),
        (["reserve", "", "MAIN", "1"], "SKU or barcode cannot be empty"),
        (["adjust", "", "MAIN", "1"], "SKU or barcode cannot be empty"),
        (["issue", "CAB-001", "", "1"], "Warehouse code cannot be empty"),
        (["adjust", "CAB-001", "MAIN", "abc"], "Counted quantity must be a whole number"),
        (["adjust", "--", "CAB-001", "MAIN", "-5"], "Counted quantity cannot be negative"),
        (["receive", "CAB-001", "MAIN", "1", "--cost", "1.23456"], "more than 4 decimal places"),
        (["receive", "CAB-001", "MAIN", "1", "--cost", "-1"], "cannot be negative"),
        (["receive", "CAB-001", "MAIN", "1", "--ref", "R" * 101], "Reference is too long"),
        (["issue", "CAB-001", "MAIN", "1", "--request-id", " "], "Request id cannot be empty"),
        (["receive", "14006381333938", "MAIN", "100000"], "at most 1,000,000 units per line"),
        (["reserve", "CAB-001", "MAIN", "1", "--ttl", "0"], "Time to live"),
        (["commit", "abc"], "Reservation number must be a whole number"),
        (["history", "--since", "notadate"], "“notadate” is not a date"),
        (["history", "--until", "31/12/2026"], "is not a date"),
    ],
)
def test_invalid_stock_input_exits_2_and_changes_nothing(stocked, after_script, args, fragment):
    line = assert_one_line_error(stocked(*args), 2)

    assert fragment in line
    assert stocked.snapshot() == after_script


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["product", "add", "", "Name", "--category", "Tools"], "SKU cannot be empty"),
        (["product", "add", "NEW 1", "Name", "--category", "Tools"], "cannot contain spaces"),
        (["product", "add", "N" * 65, "Name", "--category", "Tools"], "SKU is too long"),
        (["product", "add", "NEW-1", "N" * 201, "--category", "Tools"], "Name is too long: 201"),
        (["product", "add", "NEW-1", "", "--category", "Tools"], "Name cannot be empty"),
        (["product", "add", "NEW-1", "a\tb", "--category", "Tools"], "control characters"),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "4006381333932"],
            "4006381333932 is not a valid EAN-13: its check digit should be 1.",
        ),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "036000291453"],
            "not a valid UPC-A: its check digit should be 2",
        ),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "96385075"],
            "96385075 is not a valid EAN-8: its check digit should be 4.",
        ),
        (
            ["product", "edit", "CAB-001", "--add-barcode", "4006381333932"],
            "4006381333932 is not a valid EAN-13: its check digit should be 1.",
        ),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "X:0"],
            "Pack size in “X:0” must be a whole number",
        ),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "X",
             "--barcode", "X:6"],
            "The same barcode is listed twice",
        ),
        (["product", "add", "NEW-1", "Name", "--category", "Tools", "--price", "1.00001"],
         "Price has more than 4 decimal places"),
        (["product", "add", "NEW-1", "Name", "--category", "Tools", "--cost", "-2"],
         "Cost cannot be negative"),
        (["product", "edit", "CAB-001", "--name", ""], "Name cannot be empty"),
        (["product", "edit", "CAB-001", "--price", "abc"], "Price must be an amount"),
        (["warehouse", "add", "BAD CODE", "Name"], "only letters, digits, - and _"),
        (["warehouse", "add", "W" * 17, "Name"], "Warehouse code is too long"),
        (["warehouse", "add", "NEW", "W" * 201], "Name is too long"),
    ],
)  # fmt: skip
def test_invalid_catalog_input_exits_2_and_changes_nothing(
    stocked, catalog_after_script, args, fragment
):
    line = assert_one_line_error(stocked(*args), 2)

    assert fragment in line
    assert stocked.snapshot(catalog=True) == catalog_after_script


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["issue", "CAB-001", "MAIN", "119"],
            "Not enough CAB-001 (USB-C cable 2 m) in MAIN: 118 available, 119 requested.",
        ),
        (
            ["issue", "14006381333938", "SHOP", "3"],  # 3 cases are 36 units; SHOP has 24
            "Not enough CAB-001 (USB-C cable 2 m) in SHOP: 24 available, 36 requested.",
        ),
        (
            ["transfer", "CAB-001", "SHOP", "MAIN", "25"],
            "Not enough CAB-001 (USB-C cable 2 m) in SHOP: 24 available, 25 requested.",
        ),
        (
            ["issue", "TAPE-01", "MAIN", "1"],  # never stocked there
            "Not enough TAPE-01 (Packing tape) in MAIN: 0 available, 1 requested.",
        ),
        (
            ["reserve", "TAPE-01", "SHOP", "8"],
            "Cannot reserve 8 of TAPE-01 in SHOP: only 7 available.",
        ),
    ],
)
def test_not_enough_stock_exits_3_and_changes_nothing(stocked, after_script, args, message):
    assert assert_one_line_error(stocked(*args), 3) == f"Error: {message}"
    assert stocked.snapshot() == after_script


def test_reserved_units_cannot_be_issued(stocked):
    stocked.ok("reserve", "TAPE-01", "SHOP", "5")
    before = stocked.snapshot()

    line = assert_one_line_error(stocked("issue", "TAPE-01", "SHOP", "3"), 3)

    assert "2 available, 3 requested" in line
    assert stocked.snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["issue", "NOPE", "MAIN", "1"], "No product has the SKU or barcode “NOPE”."),
        (
            ["receive", "5901234123457", "MAIN", "1"],  # a valid EAN-13 nobody registered
            "No product has the SKU or barcode “5901234123457”.",
        ),
        (["receive", "CAB-001", "NOWHERE", "1"], "No warehouse has the code “NOWHERE”."),
        (["transfer", "CAB-001", "MAIN", "nowhere", "1"], "No warehouse has the code “NOWHERE”."),
        (["adjust", "NOPE", "MAIN", "3"], "No product has the SKU or barcode “NOPE”."),
        (["reserve", "CAB-001", "NOWHERE", "1"], "No warehouse has the code “NOWHERE”."),
        (["commit", "999"], "There is no reservation number 999."),
        (["release", "999"], "There is no reservation number 999."),
        (["stock", "NOPE", "--json"], "No product has the SKU or barcode “NOPE”."),
        (["stock", "-w", "NOWHERE", "--json"], "No warehouse has the code “NOWHERE”."),
        (["history", "NOPE"], "No product has the SKU or barcode “NOPE”."),
        (["product", "show", "NOPE"], "No product has the SKU or barcode “NOPE”."),
        (["product", "add", "NEW-1", "Name", "--category", "Toys"], "There is no category “Toys”."),
    ],
)
def test_unknown_sku_barcode_warehouse_or_reservation_exits_4_and_changes_nothing(
    stocked, after_script, args, message
):
    assert assert_one_line_error(stocked(*args), 4) == f"Error: {message}"
    assert stocked.snapshot() == after_script


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["product", "add", "CAB-001", "Another cable", "--category", "Electronics"],
            "A product with SKU CAB-001 already exists.",
        ),
        (["warehouse", "add", "shop", "Second shop"], "A warehouse with code SHOP already exists."),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "036000291452"],
            "Barcode 036000291452 already belongs to TAPE-01.",
        ),
        (
            ["product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "TAPE-01"],
            "Barcode TAPE-01 is already the SKU of a product.",
        ),
        (
            ["product", "edit", "CAB-001", "--name", "x", "--expected-version", "7"],
            "Product CAB-001 was changed by someone else. Reload it and try again.",
        ),
        (
            ["warehouse", "edit", "SHOP", "--name", "x", "--expected-version", "7"],
            "Warehouse SHOP was changed by someone else. Reload it and try again.",
        ),
        (
            ["product", "edit", "TAPE-01", "--sku", "CAB-001"],
            "A product with SKU CAB-001 already exists.",
        ),
        (
            ["product", "edit", "TAPE-01", "--sku", "14006381333938"],
            "14006381333938 is already a barcode of product CAB-001.",
        ),
        (
            ["product", "add", "4006381333931", "Impostor", "--category", "Tools"],
            "4006381333931 is already a barcode of product CAB-001.",
        ),
    ],
)
def test_duplicates_and_stale_edits_exit_5_and_change_nothing(
    stocked, catalog_after_script, args, message
):
    assert assert_one_line_error(stocked(*args), 5) == f"Error: {message}"
    assert stocked.snapshot(catalog=True) == catalog_after_script


def test_a_sku_that_is_already_another_products_barcode_is_refused(stocked, catalog_after_script):
    result = stocked("product", "add", "4006381333931", "Impostor", "--category", "Tools")

    assert_one_line_error(result, 5)
    assert stocked.snapshot(catalog=True) == catalog_after_script


def test_scanning_a_barcode_keeps_finding_its_own_product(stocked):
    stocked("product", "add", "4006381333931", "Impostor", "--category", "Tools")

    stocked.ok("receive", "4006381333931", "MAIN", "1")

    assert stocked.levels()[("CAB-001", "MAIN")] == (119, 0, 119)


def test_renaming_a_product_to_a_sku_with_a_space_is_refused(stocked, catalog_after_script):
    assert_one_line_error(stocked("product", "edit", "TAPE-01", "--sku", "TAPE 01"), 2)
    assert stocked.snapshot(catalog=True) == catalog_after_script


def test_a_pack_size_in_unicode_digits_is_refused_with_exit_2(stocked, catalog_after_script):
    result = stocked("product", "add", "NEW-1", "Name", "--category", "Tools", "--barcode", "X:²")

    assert_one_line_error(result, 2)
    assert stocked.snapshot(catalog=True) == catalog_after_script


def test_an_error_on_a_fresh_database_is_one_line_too(invdesk):
    result = invdesk("issue", "CAB-001", "MAIN", "1")

    assert assert_one_line_error(result, 4) == "Error: No warehouse has the code “MAIN”."
