"""The small reads behind the dialogs, and replacing a product's barcodes, on both databases."""

from __future__ import annotations

import pytest

from invdesk.domain.catalog import EditProduct
from invdesk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import ReserveStock
from invdesk.services.catalog import barcodes, products
from invdesk.services.reads import dialog_lookups
from invdesk.services.stock import reservations
from tests import support

UNIT_EAN = "4006381333931"
CASE_EAN = "14006381333938"
CLERK = Actor("clara", Role.CLERK)
MANAGER = Actor("max", Role.MANAGER)


@pytest.fixture
def shop(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "CAB-1", barcodes=((UNIT_EAN, 1), (CASE_EAN, 12)))
    support.product(db, "SKU-2")
    support.stocked(db, "CAB-1", 10)
    return db


def test_a_code_resolves_to_its_product_and_units_per_scan(shop):
    case = dialog_lookups.resolve_code(shop, CLERK, f" {CASE_EAN} ")
    assert (case.code, case.sku, case.pack_qty, case.unit, case.active) == (
        CASE_EAN,
        "CAB-1",
        12,
        "each",
        True,
    )
    assert dialog_lookups.resolve_code(shop, CLERK, "CAB-1").pack_qty == 1
    with pytest.raises(NotFound) as error:
        dialog_lookups.resolve_code(shop, CLERK, "NOPE")
    assert error.value.field == "product"
    with pytest.raises(ValidationError):
        dialog_lookups.resolve_code(shop, CLERK, "  ")


def test_stock_figures_read_several_products_in_one_warehouse(shop):
    reservations.reserve(shop, ReserveStock("CAB-1", "MAIN", 3), CLERK)
    figures = dialog_lookups.stock_figures(shop, CLERK, ["CAB-1", "SKU-2", "GHOST"], "main")
    assert set(figures) == {"CAB-1", "SKU-2"}
    assert (figures["CAB-1"].on_hand, figures["CAB-1"].available) == (10, 7)
    assert (figures["SKU-2"].on_hand, figures["SKU-2"].available) == (0, 0)
    assert dialog_lookups.stock_figure(shop, CLERK, CASE_EAN, "SHOP").on_hand == 0
    with pytest.raises(NotFound) as error:
        dialog_lookups.stock_figures(shop, CLERK, ["CAB-1"], "NOWHERE")
    assert error.value.field == "warehouse"


def test_barcode_owner_and_active_warehouses(shop):
    assert dialog_lookups.barcode_owner(shop, CLERK, UNIT_EAN) == "CAB-1"
    assert dialog_lookups.barcode_owner(shop, CLERK, "SKU-2") == "SKU-2"
    assert dialog_lookups.barcode_owner(shop, CLERK, "96385074") is None
    assert [w.code for w in dialog_lookups.active_warehouses(shop, CLERK)] == ["MAIN", "SHOP"]
    product_id = products.get_product(shop, "SKU-2", CLERK).id
    assert dialog_lookups.product_sku(shop, CLERK, product_id) == "SKU-2"


def test_replacing_barcodes_adds_removes_and_resizes_in_one_edit(shop):
    before = products.get_product(shop, "CAB-1", MANAGER)
    view = barcodes.replace_barcodes(
        shop,
        "CAB-1",
        ((CASE_EAN, 6), ("96385074", 1)),
        MANAGER,
        expected_version=before.version,
    )
    assert {(b.code, b.pack_qty) for b in view.barcodes} == {(CASE_EAN, 6), ("96385074", 1)}
    assert view.version > before.version
    assert dialog_lookups.barcode_owner(shop, CLERK, UNIT_EAN) is None


def test_one_product_save_is_one_transaction(shop):
    """A barcode refused on Save leaves the product's new fields unsaved as well."""
    before = products.get_product(shop, "SKU-2", MANAGER)
    edit = EditProduct(sku="SKU-2", expected_version=before.version, name="Renamed")
    with pytest.raises(Conflict) as error:
        barcodes.save_product(shop, edit, ((UNIT_EAN, 1),), MANAGER)
    assert "CAB-1" in error.value.message
    after = products.get_product(shop, "SKU-2", MANAGER)
    assert (after.name, after.version) == (before.name, before.version)
    saved = barcodes.save_product(shop, edit, (("96385074", 1),), MANAGER)
    assert saved.name == "Renamed" and [b.code for b in saved.barcodes] == ["96385074"]


def test_replacing_barcodes_refuses_stale_taken_or_invalid_codes(shop):
    stale = products.get_product(shop, "SKU-2", MANAGER).version
    barcodes.replace_barcodes(shop, "SKU-2", (("96385074", 1),), MANAGER)
    with pytest.raises(Conflict) as error:
        barcodes.replace_barcodes(shop, "SKU-2", (), MANAGER, expected_version=stale)
    assert error.value.field is None
    with pytest.raises(Conflict) as error:
        barcodes.replace_barcodes(shop, "SKU-2", ((UNIT_EAN, 1),), MANAGER)
    assert error.value.field == "barcode" and "CAB-1" in error.value.message
    with pytest.raises(ValidationError):
        barcodes.replace_barcodes(shop, "SKU-2", (("4006381333932", 1),), MANAGER)
    with pytest.raises(ValidationError):
        barcodes.replace_barcodes(shop, "SKU-2", (("96385074", 0),), MANAGER)
    with pytest.raises(PermissionDenied):
        barcodes.replace_barcodes(shop, "SKU-2", (), CLERK)
    assert [b.code for b in products.get_product(shop, "SKU-2", CLERK).barcodes] == ["96385074"]
