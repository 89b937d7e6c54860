"""`invdesk report` and `invdesk import` on the scripted shop."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.cli.conftest import assert_one_line_error


def test_report_valuation_writes_a_workbook_that_matches_the_stock(stocked, tmp_path):
    out = tmp_path / "valuation.xlsx"
    result = stocked.ok("report", "valuation", "--out", str(out))
    assert "Wrote Stock on hand and valuation" in result.stdout
    assert "all categories, as of " in result.stdout  # a snapshot: when, not a period
    ws = load_workbook(out)["Stock on hand"]
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if r[0] != "Total"]
    assert {(r[1], r[0]): r[5] for r in rows} == {
        ("CAB-001", "MAIN"): 118,
        ("CAB-001", "SHOP"): 24,
        ("TAPE-01", "SHOP"): 7,
    }


def test_report_full_with_filters_and_json(stocked, tmp_path):
    out = tmp_path / "full.xlsx"
    doc = json.loads(
        stocked.ok(
            "report", "full", "--out", str(out), "--warehouse", "main", "--since", "2020-01-01",
            "--json",
        ).stdout
    )  # fmt: skip
    assert doc["report"] == "full" and "Movements" in doc["sheets"]
    assert "warehouse MAIN" in doc["filters"] and " to " in doc["filters"]
    assert load_workbook(out).sheetnames == doc["sheets"]


def test_report_errors_follow_the_cli_contract(stocked, tmp_path):
    line = assert_one_line_error(
        stocked("report", "valuation", "--out", str(tmp_path / "x.xlsx"), "--warehouse", "NOPE"),
        4,
    )
    assert "NOPE" in line
    assert not (tmp_path / "x.xlsx").exists()
    bad = stocked("report", "valuation", "--out", str(tmp_path / "x.csv"))
    assert bad.exit_code == 2


def test_import_products_dry_run_json_then_valid_only(stocked, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("sku,name,category\nNEW-1,New,Tools\nNEW-2,Other,Toys\n", encoding="utf-8")
    checked = stocked("import", "products", str(path), "--dry-run", "--json")
    assert checked.exit_code == 2  # a dry run with a bad row says so to a script
    doc = json.loads(checked.stdout)
    assert doc["dry_run"] and doc["errors"] == 1
    assert [r["action"] for r in doc["rows"]] == ["create", "error"]
    assert doc["rows"][1]["reasons"] == ["Unknown category “Toys”."]
    refused = stocked("import", "products", str(path))
    assert refused.exit_code == 2
    assert "nothing imported" in refused.stderr
    assert "NEW-1" not in stocked.ok("product", "list").stdout
    ok = stocked.ok("import", "products", str(path), "--valid-only")
    assert "Applied 1, skipped 1" in ok.stdout
    assert "NEW-1" in stocked.ok("product", "list").stdout


def test_a_shopify_export_imports_from_the_command_line(stocked):
    shopify = str(
        Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "shopify_products.csv"
    )
    checked = stocked("import", "products", shopify, "--dry-run")
    assert checked.exit_code == 2 and "Unknown category “Shirts & Tops”" in checked.stdout
    assert "row 4: skipped: Variant L / Red of classic-tee has no SKU" in checked.stdout

    done = stocked.ok("import", "products", shopify, "--warehouse", "SHOP", "--create-categories")

    assert "Read as a Shopify product export." in done.stdout
    assert "Applied 5, stock rows 5, skipped 2" in done.stdout
    assert stocked.json("product", "show", "TEE-M-RED")["name"] == "Classic Tee - M / Red"
    assert stocked.levels()[("MUG-12", "SHOP")] == (25, 0, 25)


def test_a_mapping_to_an_unknown_field_lists_the_valid_ones(stocked, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Artikel,Name,Category\nA-1,A,Tools\n", encoding="utf-8")
    refused = stocked("import", "products", str(path), "--map", "Artikel=article no")
    assert refused.exit_code == 2
    assert "the fields are: sku, name, category" in refused.stderr
    stocked.ok("import", "products", str(path), "--map", "artikel = SKU")
    assert stocked.json("product", "show", "A-1")["name"] == "A"


def test_import_stock_counts_apply_once(stocked, tmp_path):
    path = tmp_path / "count.csv"
    path.write_text("sku;warehouse;qty\nCAB-001;MAIN;100\n", encoding="utf-8")
    stocked.ok("import", "stock", str(path))
    again = stocked.ok("import", "stock", str(path))
    assert "already imported 1" in again.stdout
    assert stocked.levels()[("CAB-001", "MAIN")] == (100, 0, 100)


def test_import_stock_with_a_mapped_header(stocked, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("sku,warehouse,Menge\nTAPE-01,SHOP,5\n", encoding="utf-8")
    assert stocked("import", "stock", str(path)).exit_code == 2
    stocked.ok("import", "stock", str(path), "--map", "Menge=qty", "--mode", "receive")
    assert stocked.levels()[("TAPE-01", "SHOP")] == (12, 0, 12)
