"""Products, barcodes, categories and warehouses through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invdesk.domain.catalog import BarcodeView, CreateProduct, EditProduct, EditWarehouse
from invdesk.domain.errors import (
    Conflict,
    InvdeskError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import IssueStock, LedgerFilter, Line, ReceiveStock
from invdesk.services.catalog import categories, products, warehouses
from invdesk.services.reads import queries
from invdesk.services.stock import operations
from tests import support

ACTOR = support.ACTOR
CLERK = Actor("clara", Role.CLERK)
UNIT_EAN13 = "4006381333931"
CASE_GTIN14 = "12345678901231"
UPC_A = "036000291452"


def _create(db, sku: str = "P-1", name: str = "Blue widget", category: str = "Tools", **kw):
    return products.create_product(db, CreateProduct(sku, name, category, **kw), ACTOR)


def _skus(products) -> list[str]:
    return [p.sku for p in products]


# --- products and barcodes ----------------------------------------------------------------------


def test_created_product_keeps_its_fields_and_is_found_by_sku_or_any_barcode(db):
    created = _create(
        db,
        unit="box",
        price="12.50",
        cost="7.1234",
        barcodes=((UNIT_EAN13, 1), (CASE_GTIN14, 12)),
    )

    fetched = products.get_product(db, "P-1", ACTOR)
    assert fetched == created
    assert (fetched.sku, fetched.name, fetched.category, fetched.unit) == (
        "P-1",
        "Blue widget",
        "Tools",
        "box",
    )
    assert (fetched.price, fetched.cost) == (Decimal("12.50"), Decimal("7.1234"))
    assert (fetched.active, fetched.version) == (True, 1)
    assert fetched.barcodes == (BarcodeView(UNIT_EAN13, 1), BarcodeView(CASE_GTIN14, 12))
    assert products.get_product(db, CASE_GTIN14, ACTOR) == fetched
    assert products.get_product(db, f"  {UNIT_EAN13} ", ACTOR) == fetched


def test_creating_a_product_with_an_existing_sku_is_a_conflict(db):
    _create(db)

    with pytest.raises(Conflict) as raised:
        _create(db, name="Another widget")

    assert raised.value.field == "sku"
    assert "P-1" in raised.value.message
    assert _skus(products.list_products(db, ACTOR)) == ["P-1"]


@pytest.mark.parametrize("how", ["create", "add"])
def test_a_barcode_already_used_by_another_product_is_a_conflict(db, how):
    _create(db, barcodes=((UNIT_EAN13, 1),))
    if how == "add":
        _create(db, "P-2")

    with pytest.raises(Conflict) as raised:
        if how == "create":
            _create(db, "P-2", barcodes=((UNIT_EAN13, 1),))
        else:
            products.add_barcode(db, "P-2", UNIT_EAN13, 1, ACTOR)

    assert raised.value.field == "barcode"
    assert UNIT_EAN13 in raised.value.message and "P-1" in raised.value.message
    assert products.get_product(db, UNIT_EAN13, ACTOR).sku == "P-1"


@pytest.mark.parametrize("how", ["create", "add"])
def test_a_barcode_equal_to_another_products_sku_is_a_conflict(db, how):
    _create(db, "ABC-123")
    if how == "add":
        _create(db, "P-2")

    with pytest.raises(Conflict) as raised:
        if how == "create":
            _create(db, "P-2", barcodes=(("ABC-123", 1),))
        else:
            products.add_barcode(db, "P-2", "ABC-123", 1, ACTOR)

    assert raised.value.field == "barcode"
    assert "ABC-123" in raised.value.message
    assert products.get_product(db, "ABC-123", ACTOR).sku == "ABC-123"


@pytest.mark.parametrize("how", ["create", "edit"])
def test_a_sku_equal_to_another_products_barcode_is_a_conflict(db, how):
    _create(db, barcodes=(("CASE-7", 12),))
    if how == "edit":
        _create(db, "P-2")
    before = products.list_products(db, ACTOR)

    with pytest.raises(Conflict) as raised:
        if how == "create":
            _create(db, "CASE-7", "Loose sevens")
        else:
            products.edit_product(db, EditProduct("P-2", new_sku="CASE-7"), ACTOR)

    assert raised.value.field == "sku"
    assert "CASE-7" in raised.value.message and "P-1" in raised.value.message
    assert products.list_products(db, ACTOR) == before
    assert products.get_product(db, "CASE-7", ACTOR).sku == "P-1"


def test_a_sku_may_be_the_products_own_unit_barcode(db):
    created = _create(db, UNIT_EAN13, barcodes=((UNIT_EAN13, 1),))
    _create(db, "P-2", barcodes=((UPC_A, 1),))

    renamed = products.edit_product(db, EditProduct("P-2", new_sku=UPC_A), ACTOR)

    assert created.sku == UNIT_EAN13 and renamed.sku == UPC_A
    assert products.get_product(db, UPC_A, ACTOR).sku == UPC_A


@pytest.mark.parametrize("how", ["create", "edit"])
def test_a_sku_cannot_be_the_products_own_case_barcode(db, how):
    """Look-ups try SKUs first: the case would then count as one unit, not as its pack."""
    if how == "edit":
        _create(db, barcodes=((CASE_GTIN14, 12),))
    before = products.list_products(db, ACTOR)

    with pytest.raises(ValidationError) as raised:
        if how == "create":
            _create(db, CASE_GTIN14, barcodes=((CASE_GTIN14, 12),))
        else:
            products.edit_product(db, EditProduct("P-1", new_sku=CASE_GTIN14), ACTOR)

    assert raised.value.field == "sku"
    assert "case of 12" in raised.value.message
    assert products.list_products(db, ACTOR) == before


def test_an_added_barcode_finds_the_product_and_a_removed_one_no_longer_does(db):
    _create(db)

    added = products.add_barcode(db, "P-1", UPC_A, 6, ACTOR)
    assert BarcodeView(UPC_A, 6) in added.barcodes
    assert products.get_product(db, UPC_A, ACTOR).sku == "P-1"

    products.remove_barcode(db, UPC_A, ACTOR)
    with pytest.raises(NotFound):
        products.get_product(db, UPC_A, ACTOR)


def test_an_unknown_category_is_not_found(db):
    with pytest.raises(NotFound) as raised:
        _create(db, category="Gadgets")

    assert raised.value.field == "category"
    assert "Gadgets" in raised.value.message
    assert products.list_products(db, ACTOR, include_inactive=True) == []


def test_category_lookup_ignores_letter_case(db):
    typed = ["tools", "TOOLS", "  tOoLs "]
    for number, name in enumerate(typed):
        _create(db, f"P-{number}", category=name)

    assert {p.category for p in products.list_products(db, ACTOR)} == {"Tools"}
    found = {name: _skus(products.list_products(db, ACTOR, category=name)) for name in typed}
    assert found == {name: ["P-0", "P-1", "P-2"] for name in typed}


def test_category_lookup_ignores_case_of_accented_letters(db):
    categories.create_category(db, "Écrous", ACTOR)

    assert _create(db, category="écrous").category == "Écrous"


def test_a_category_differing_only_in_the_case_of_accented_letters_is_a_conflict(db):
    categories.create_category(db, "Écrous", ACTOR)
    categories.create_category(db, "Vis", ACTOR)
    before = categories.list_categories(db, ACTOR)

    with pytest.raises(Conflict):
        categories.create_category(db, "ÉCROUS", ACTOR)
    with pytest.raises(Conflict):
        categories.rename_category(db, "vis", "écrous", ACTOR)

    assert categories.list_categories(db, ACTOR) == before
    assert categories.rename_category(db, "VIS", "Vis à bois", ACTOR).name == "Vis à bois"
    assert categories.rename_category(db, "écrous", "ÉCROUS", ACTOR).name == "ÉCROUS"


@pytest.mark.parametrize(
    "new_name",
    ["Tools", "tools", "TOOLS", " tOoLs "],
)
def test_renaming_a_category_to_an_existing_name_is_a_conflict(db, new_name):
    before = categories.list_categories(db, ACTOR)

    with pytest.raises(Conflict) as raised:
        categories.rename_category(db, "Food", new_name, ACTOR)

    assert raised.value.field == "category"
    assert categories.list_categories(db, ACTOR) == before


def test_editing_fields_bumps_the_version_and_keeps_the_rest(db):
    _create(db, price="2.00", cost="1.00", barcodes=((UNIT_EAN13, 1),))

    edited = products.edit_product(
        db, EditProduct("P-1", expected_version=1, name="Navy widget", price="2.50"), ACTOR
    )

    assert edited.version == 2
    assert (edited.name, edited.price) == ("Navy widget", Decimal("2.50"))
    assert (edited.cost, edited.category, edited.unit) == (Decimal("1.00"), "Tools", "each")
    assert edited.barcodes == (BarcodeView(UNIT_EAN13, 1),)
    assert products.get_product(db, "P-1", ACTOR) == edited


def test_editing_the_sku_keeps_barcodes_and_the_old_sku_is_gone(db):
    _create(db, barcodes=((UNIT_EAN13, 1),))

    products.edit_product(db, EditProduct("P-1", new_sku="P-100"), ACTOR)

    assert products.get_product(db, UNIT_EAN13, ACTOR).sku == "P-100"
    with pytest.raises(NotFound):
        products.get_product(db, "P-1", ACTOR)


def test_second_edit_from_the_same_stale_version_is_a_conflict(db):
    version = _create(db).version
    products.edit_product(db, EditProduct("P-1", expected_version=version, name="Mine"), ACTOR)

    with pytest.raises(Conflict) as raised:
        products.edit_product(db, EditProduct("P-1", expected_version=version, name="Yours"), ACTOR)

    assert "changed by someone else" in raised.value.message
    assert raised.value.exit_code == 5
    current = products.get_product(db, "P-1", ACTOR)
    assert (current.name, current.version) == ("Mine", version + 1)


def test_a_deactivated_product_cannot_be_received(db):
    support.warehouse(db)
    _create(db)
    products.set_product_active(db, "P-1", False, ACTOR)

    with pytest.raises(ValidationError) as raised:
        operations.receive(db, ReceiveStock("MAIN", (Line("P-1", 1),)), ACTOR)

    assert "inactive" in raised.value.message
    assert raised.value.field == "product"
    assert support.on_hand(db, "P-1") == (0, 0)


def test_a_deactivated_product_can_still_be_issued_and_received_once_reactivated(db):
    support.warehouse(db)
    _create(db)
    support.stocked(db, "P-1", qty=5)
    products.set_product_active(db, "P-1", False, ACTOR)

    operations.issue(db, IssueStock("MAIN", (Line("P-1", 2),)), ACTOR)
    assert support.on_hand(db, "P-1") == (3, 0)

    products.set_product_active(db, "P-1", True, ACTOR)
    operations.receive(db, ReceiveStock("MAIN", (Line("P-1", 1),)), ACTOR)
    assert support.on_hand(db, "P-1") == (4, 0)


# --- listing and searching ----------------------------------------------------------------------


@pytest.fixture
def shelf(db):
    _create(db, "BOLT-M6", "Hex bolt M6", "Tools", barcodes=((UNIT_EAN13, 1),))
    _create(db, "BOLT-M8", "Hex bolt M8", "Tools")
    _create(db, "PEN-BLUE", "Ballpoint pen, blue", "Office", barcodes=((UPC_A, 1),))
    _create(db, "TEA-1", "Green tea", "Food")
    _create(db, "OLD-9", "Retired bolt", "Tools")
    products.set_product_active(db, "OLD-9", False, ACTOR)
    return db


SEARCHES = {
    "bolt-m": ["BOLT-M6", "BOLT-M8"],  # SKU fragment, any case
    "M8": ["BOLT-M8"],  # SKU fragment
    "BLUE": ["PEN-BLUE"],  # name fragment, any case
    "green": ["TEA-1"],  # name fragment
    UPC_A: ["PEN-BLUE"],  # exact barcode
    f" {UNIT_EAN13} ": ["BOLT-M6"],  # exact barcode as scanned, with spaces around
    UNIT_EAN13[:6]: [],  # a barcode fragment is not a match
    "zzz": [],
}


def test_list_products_searches_sku_and_name_fragments_and_exact_barcodes(shelf):
    found = {term: _skus(products.list_products(shelf, ACTOR, search=term)) for term in SEARCHES}

    assert found == SEARCHES


def test_list_products_search_treats_underscore_literally(db):
    _create(db, "M_1", "Underscored")
    _create(db, "MX1", "Lettered")

    assert _skus(products.list_products(db, ACTOR, search="M_")) == ["M_1"]


def test_list_products_search_treats_percent_and_backslash_literally(db):
    _create(db, "M%1", "Percent")
    _create(db, "M\\1", "Backslash")
    _create(db, "MX1", "Lettered")
    _create(db, "TEE-1", "100% cotton tee")
    _create(db, "TEE-2", "1000 cotton tees")

    found = {term: _skus(products.list_products(db, ACTOR, search=term)) for term in SPECIALS}

    assert found == SPECIALS


SPECIALS = {
    "M%": ["M%1"],
    "M\\": ["M\\1"],
    "\\1": ["M\\1"],
    "100%": ["TEE-1"],
    "%": ["M%1", "TEE-1"],
}


def test_list_products_filters_by_category_hides_inactive_and_pages_in_sku_order(shelf):
    assert _skus(products.list_products(shelf, ACTOR, category="Tools")) == ["BOLT-M6", "BOLT-M8"]
    assert _skus(products.list_products(shelf, ACTOR, category="tools", include_inactive=True)) == [
        "BOLT-M6",
        "BOLT-M8",
        "OLD-9",
    ]
    assert _skus(products.list_products(shelf, ACTOR, search="bolt")) == ["BOLT-M6", "BOLT-M8"]
    assert _skus(products.list_products(shelf, ACTOR, search="bolt", include_inactive=True)) == [
        "BOLT-M6",
        "BOLT-M8",
        "OLD-9",
    ]
    assert _skus(products.list_products(shelf, ACTOR, category="Clothing")) == []
    first = products.list_products(shelf, ACTOR, limit=2)
    second = products.list_products(shelf, ACTOR, limit=2, offset=2)
    assert _skus(first) + _skus(second) == ["BOLT-M6", "BOLT-M8", "PEN-BLUE", "TEA-1"]


# --- warehouses ---------------------------------------------------------------------------------


def test_a_warehouse_code_is_stored_in_capitals_and_found_in_any_case(db):
    created = warehouses.create_warehouse(db, " east-2 ", "East yard", ACTOR, address="Dock 4")

    assert created.code == "EAST-2"
    assert (created.name, created.address, created.active, created.version) == (
        "East yard",
        "Dock 4",
        True,
        1,
    )
    assert warehouses.get_warehouse(db, "East-2", ACTOR) == created


def test_a_duplicate_warehouse_code_in_any_case_is_a_conflict(db):
    support.warehouse(db, "MAIN")

    with pytest.raises(Conflict) as raised:
        warehouses.create_warehouse(db, "main", "Second main", ACTOR)

    assert raised.value.field == "code"
    assert [w.name for w in warehouses.list_warehouses(db, ACTOR)] == ["Warehouse MAIN"]


def test_a_warehouse_code_with_characters_other_than_letters_digits_dash_underscore_is_refused(
    db,
):
    refused = {}
    for code in ["MA IN", "A/B", "W.1", "N°1", "WH;DROP", "A+B"]:
        with pytest.raises(ValidationError) as raised:
            warehouses.create_warehouse(db, code, "Somewhere", ACTOR)
        refused[code] = (raised.value.field, "letters, digits" in raised.value.message)

    assert set(refused.values()) == {("code", True)}
    assert warehouses.list_warehouses(db, ACTOR) == []


def test_editing_a_warehouse_with_a_stale_version_is_a_conflict(db):
    created = warehouses.create_warehouse(db, "MAIN", "Main", ACTOR)
    edited = warehouses.edit_warehouse(
        db, EditWarehouse("MAIN", expected_version=created.version, name="Main hall"), ACTOR
    )
    assert edited.version == created.version + 1

    with pytest.raises(Conflict) as raised:
        warehouses.edit_warehouse(
            db, EditWarehouse("MAIN", expected_version=created.version, address="x"), ACTOR
        )

    assert "changed by someone else" in raised.value.message
    assert warehouses.get_warehouse(db, "MAIN", ACTOR) == edited


def test_a_deactivated_warehouse_refuses_receiving_but_allows_issuing(db):
    support.warehouse(db, "MAIN")
    support.product(db, "P-1")
    support.stocked(db, "P-1", qty=5)
    warehouses.edit_warehouse(db, EditWarehouse("MAIN", active=False), ACTOR)

    with pytest.raises(ValidationError) as raised:
        operations.receive(db, ReceiveStock("MAIN", (Line("P-1", 1),)), ACTOR)
    assert "inactive" in raised.value.message
    assert raised.value.field == "warehouse"

    operations.issue(db, IssueStock("MAIN", (Line("P-1", 2),)), ACTOR)
    assert support.on_hand(db, "P-1") == (3, 0)
    assert [w.code for w in warehouses.list_warehouses(db, ACTOR, include_inactive=False)] == []


# --- permissions --------------------------------------------------------------------------------


CLERK_EDITS = {
    "create product": lambda db: products.create_product(
        db, CreateProduct("P-2", "Clerk's", "Tools"), CLERK
    ),
    "edit product": lambda db: products.edit_product(db, EditProduct("P-1", name="Mine"), CLERK),
    "deactivate product": lambda db: products.set_product_active(db, "P-1", False, CLERK),
    "add barcode": lambda db: products.add_barcode(db, "P-1", UPC_A, 1, CLERK),
    "create warehouse": lambda db: warehouses.create_warehouse(db, "EAST", "East", CLERK),
    "edit warehouse": lambda db: warehouses.edit_warehouse(
        db, EditWarehouse("MAIN", name="x"), CLERK
    ),
    "create category": lambda db: categories.create_category(db, "Toys", CLERK),
    "rename category": lambda db: categories.rename_category(db, "Food", "Snacks", CLERK),
}


def test_a_clerk_cannot_change_products_warehouses_or_categories(db):
    support.warehouse(db, "MAIN")
    support.product(db, "P-1")
    state = (
        products.list_products(db, ACTOR, include_inactive=True),
        warehouses.list_warehouses(db, ACTOR),
        categories.list_categories(db, ACTOR),
    )

    outcome: dict[str, object] = {}
    for what, action in CLERK_EDITS.items():
        try:
            action(db)
            outcome[what] = "allowed"
        except InvdeskError as error:
            outcome[what] = (
                type(error),
                error.exit_code,
                "clara (clerk) is not allowed" in error.message,
            )

    assert outcome == dict.fromkeys(CLERK_EDITS, (PermissionDenied, 6, True))
    assert state == (
        products.list_products(db, ACTOR, include_inactive=True),
        warehouses.list_warehouses(db, ACTOR),
        categories.list_categories(db, ACTOR),
    )


def test_a_clerk_can_receive_issue_and_look_up(db):
    support.warehouse(db, "MAIN")
    support.product(db, "P-1")

    operations.receive(db, ReceiveStock("MAIN", (Line("P-1", 4),)), CLERK)
    operations.issue(db, IssueStock("MAIN", (Line("P-1", 1),)), CLERK)

    assert products.get_product(db, "P-1", CLERK).sku == "P-1"
    assert [(r.sku, r.on_hand) for r in queries.stock_levels(db, CLERK)] == [("P-1", 3)]
    rows = queries.history(db, CLERK, LedgerFilter(product="P-1"))
    assert [(r.kind.value, r.user) for r in rows] == [("issue", "clara"), ("receive", "clara")]
