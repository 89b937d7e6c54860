"""Channel exports: a real-shaped Shopify product CSV (variants on continuation rows, blank SKUs,
an image row, a UTF-8 BOM, quoted commas, a draft and an archived product) gives one product per
variant with its name, barcode, price, status and stock; WooCommerce's columns are understood."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from invdesk.domain.errors import ValidationError
from invdesk.services.catalog import categories, products
from invdesk.services.importing.apply import ImportOptions, preview_import, run_import
from invdesk.services.importing.fields import match_headers
from invdesk.services.importing.files import ImportKind, read_table
from invdesk.services.reads import queries
from tests import support

SHOPIFY = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "shopify_products.csv"
P, S = ImportKind.PRODUCTS, ImportKind.STOCK
ADMIN = support.ACTOR


def test_a_shopify_export_gives_one_product_per_variant_with_its_stock(db):
    support.warehouse(db, "MAIN")
    table = read_table(SHOPIFY)
    options = ImportOptions(warehouse="main", create_categories=True)

    result = run_import(db, ADMIN, P, table, options)

    by_sku = {
        p.sku: p for p in products.list_products(db, ADMIN, include_inactive=True, limit=None)
    }
    shown = {
        sku: (p.name, p.category, str(p.price), [b.code for b in p.barcodes], p.active)
        for sku, p in by_sku.items()
    }
    assert shown == {
        "TEE-S-RED": ("Classic Tee - S / Red", "Shirts & Tops", "19.9000", ["4012345600018"], True),
        "TEE-M-RED": ("Classic Tee - M / Red", "Shirts & Tops", "19.9000", ["4012345600025"], True),
        "TEE-M-BLUE": ("Classic Tee - M / Blue", "Shirts & Tops", "19.9000", ["4012345600032"], True),
        "MUG-12": ("Mug, 12 oz", "Kitchen", "8.5000", ["4012345600049"], False),
        "CAP-OLD": ('Old "Dad" Cap', "Hats", "5.0000", [], False),
    }  # fmt: skip
    assert by_sku["TEE-M-RED"].description == (
        "Soft cotton, 180 g/m².\n- Machine wash\n- Made in Portugal"
    )
    assert by_sku["MUG-12"].description == "Stoneware mug.\nDishwasher safe"
    assert str(by_sku["TEE-M-BLUE"].cost) == "7.2500"
    levels = {
        (r.sku, r.warehouse): r.on_hand for r in queries.stock_levels(db, ADMIN, include_empty=True)
    }
    assert levels[("TEE-S-RED", "MAIN")] == 10
    assert levels[("TEE-M-RED", "MAIN")] == 7
    assert levels[("MUG-12", "MAIN")] == 25
    assert levels.get(("TEE-M-BLUE", "MAIN"), 0) == 0
    skipped = {r.row: r.reasons[0] for r in result.preview.skipped}
    assert skipped == {
        4: "Variant L / Red of classic-tee has no SKU; give it one in the shop to import it.",
        6: "No SKU: an extra row of classic-tee (an image or a note), not a product.",
    }
    assert (result.applied, result.skipped, result.stocked) == (5, 2, 5)  # five counts
    assert result.preview.new_categories == ("Hats", "Kitchen", "Shirts & Tops")
    again = run_import(db, ADMIN, P, table, options)
    assert again.applied == 0 and again.stocked == 0
    assert levels == {
        (r.sku, r.warehouse): r.on_hand for r in queries.stock_levels(db, ADMIN, include_empty=True)
    }


def test_unknown_categories_are_created_only_on_request(db):
    table = read_table(SHOPIFY)
    preview = preview_import(db, ADMIN, P, table, ImportOptions())

    reasons = {r.row: r.reasons for r in preview.rows if not r.ok}
    assert reasons[2] == ("Unknown category “Shirts & Tops”.",)
    assert reasons[7] == ("Unknown category “Kitchen”.",)  # no Product Category: its Type
    assert preview.matched.preset == "shopify"
    assert "Choose a warehouse" in preview.notes[0]
    with pytest.raises(ValidationError, match="bad row"):
        run_import(db, ADMIN, P, table, ImportOptions())
    assert "Kitchen" not in {c.name for c in categories.list_categories(db, ADMIN)}


def test_a_shopify_stock_import_counts_into_the_chosen_warehouse(db):
    support.warehouse(db, "SHOP")
    run_import(db, ADMIN, P, read_table(SHOPIFY), ImportOptions(create_categories=True))
    table = read_table(SHOPIFY)
    with pytest.raises(ValidationError, match="choose the warehouse"):
        preview_import(db, ADMIN, S, table, ImportOptions())

    result = run_import(db, ADMIN, S, table, ImportOptions(warehouse="SHOP"))

    assert result.applied == 5 and len(result.preview.skipped) == 2
    assert support.on_hand(db, "TEE-S-RED", "SHOP") == (10, 0)


def test_woocommerce_columns_skip_the_parent_of_variations(db, tmp_path):
    text = (
        "ID,Type,SKU,Name,Published,Short description,Description,Regular price,Categories,"
        "Stock,Parent\n"
        '10,variable,HOOD,Hoodie,1,Warm,"<p>Fleece, lined</p>",,"Clothing > Hoodies, Sale",,\n'
        "11,variation,HOOD-BLU,Hoodie - Blue,1,,,45,,4,id:10\n"
        '12,simple,BEANIE,Beanie,-1,,,"12.50",Clothing,2,\n'
    )
    (tmp_path / "wc.csv").write_text(text, encoding="utf-8")
    table = read_table(tmp_path / "wc.csv")
    preview = preview_import(db, ADMIN, P, table, ImportOptions(create_categories=True))
    by_sku = {r.values.get("sku"): r for r in preview.rows}
    assert preview.matched.preset == "woocommerce"
    assert by_sku["HOOD"].action == "skip"
    assert by_sku["BEANIE"].values["active"] is False
    assert by_sku["BEANIE"].values["category"] == "Clothing"
    assert by_sku["HOOD-BLU"].values["price"] is not None


def test_headers_match_ignoring_case_and_spacing_and_bad_field_names_list_the_valid_ones():
    matched = match_headers(P, ("variant sku", "TITLE", "product  category"), preset=None)
    assert "sku" not in matched.columns  # no preset: "variant sku" is no built-in name
    mapped = match_headers(
        P, ("variant sku", "TITLE", "x"), {"Variant-SKU": "SKU", "x": "Category"}
    )
    assert mapped.columns == {"sku": 0, "name": 1, "category": 2}
    with pytest.raises(ValidationError, match="the fields are: sku, name, category"):
        match_headers(P, ("a",), {"a": "colour"})


def test_a_workbook_that_expands_past_the_bound_is_refused_before_parsing(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 5_000_000)  # 30 MB of one tag
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 200_000

    with pytest.raises(ValidationError, match=r"expands .* times"):
        read_table(path)
