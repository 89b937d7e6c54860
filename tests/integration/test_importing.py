"""Importing products and stock from .csv and .xlsx: the preview flags each kind of bad row,
all-or-nothing changes nothing, re-imports update and never double stock."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from invdesk.domain.errors import Cancelled, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import products
from invdesk.services.importing.apply import ImportOptions, preview_import, run_import
from invdesk.services.importing.files import ImportKind, read_table
from invdesk.services.reads import queries
from tests import support

ADMIN = support.ACTOR
P, S = ImportKind.PRODUCTS, ImportKind.STOCK

PRODUCTS_CSV = """Item code,Description,Category,Sale price,Cost,EAN,Colour
NEW-1,USB cable,electronics,9.90,3.10,4006381333931,red
NEW-2,Toy car,Toys,5,2,,blue
NEW-1,Duplicate,Tools,1,1,,green
NEW-3,Bad barcode,Tools,1,1,4006381333932,
NEW-4,Tape,Office,2.50,1,036000291452;14006381333938:12,
"""


def write_csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(tmp_path, name, rows):
    path = tmp_path / name
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def snapshot(db):
    found = products.list_products(db, ADMIN, include_inactive=True, limit=1000)
    return found, queries.stock_levels(db, ADMIN, include_empty=True), support.ledger_count(db)


def test_the_preview_flags_each_kind_of_bad_row_with_its_reason(db, tmp_path):
    table = read_table(write_csv(tmp_path, "p.csv", PRODUCTS_CSV))
    preview = preview_import(db, ADMIN, P, table, ImportOptions())
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].action == "create" and by_row[2].ok
    assert by_row[2].values["category"] == "Electronics"
    assert by_row[3].reasons == ("Unknown category “Toys”.",)
    assert by_row[4].reasons == ("Duplicate SKU NEW-1 (also on row 2).",)
    assert "check digit should be 1" in by_row[5].reasons[0]
    assert by_row[6].ok and by_row[6].values["barcodes"] == (
        ("036000291452", 1),
        ("14006381333938", 12),
    )
    assert preview.matched.unknown == ("Colour",)
    assert preview.errors == 3


def test_all_or_nothing_leaves_the_database_unchanged(db, tmp_path):
    table = read_table(write_csv(tmp_path, "p.csv", PRODUCTS_CSV))
    before = snapshot(db)
    with pytest.raises(ValidationError, match="3 bad row"):
        run_import(db, ADMIN, P, table, ImportOptions())
    assert snapshot(db) == before


def test_valid_rows_only_imports_the_good_rows_and_a_reimport_updates(db, tmp_path):
    table = read_table(write_csv(tmp_path, "p.csv", PRODUCTS_CSV))
    result = run_import(db, ADMIN, P, table, ImportOptions(valid_only=True))
    assert (result.applied, result.skipped) == (2, 3)
    tape = products.get_product(db, "14006381333938", ADMIN)
    assert (tape.sku, str(tape.price), tape.category) == ("NEW-4", "2.5000", "Office")
    again = run_import(db, ADMIN, P, table, ImportOptions(valid_only=True))
    assert again.applied == 0 and again.preview.counts()["unchanged"] == 2
    changed = write_csv(
        tmp_path, "p2.csv", "sku,name,category,price\nNEW-4,Packing tape,Office,2.75\n"
    )
    result = run_import(db, ADMIN, P, read_table(changed), ImportOptions())
    assert result.preview.rows[0].action == "update"
    found = products.list_products(db, ADMIN, search="NEW-4")
    assert len(found) == 1
    assert (found[0].name, str(found[0].price)) == ("Packing tape", "2.7500")
    assert len(found[0].barcodes) == 2  # kept


def test_unknown_headers_can_be_mapped_and_missing_ones_are_refused(db, tmp_path):
    path = write_xlsx(
        tmp_path, "p.xlsx", [["Artikel", "Bezeichnung", "Warengruppe"], ["X-1", "Ding", "Tools"]]
    )
    table = read_table(path)
    with pytest.raises(ValidationError, match="no column for SKU, Name, Category"):
        preview_import(db, ADMIN, P, table, ImportOptions())
    mapping = {"Artikel": "sku", "Bezeichnung": "name", "Warengruppe": "category"}
    result = run_import(db, ADMIN, P, table, ImportOptions(mapping=mapping))
    assert result.applied == 1
    assert products.get_product(db, "X-1", ADMIN).name == "Ding"


@pytest.fixture
def stocked(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "A-1", barcodes=(("4006381333931", 1),))
    support.product(db, "B-2")
    support.stocked(db, "A-1", qty=10)
    return db


def test_stock_preview_flags_unknown_skus_warehouses_and_negative_quantities(stocked, tmp_path):
    text = "SKU,Warehouse,Qty\nA-1,MAIN,7\nZZZ,MAIN,1\nB-2,NOPE,2\nB-2,MAIN,-3\nA-1,main,8\n"
    table = read_table(write_csv(tmp_path, "s.csv", text))
    preview = preview_import(stocked, ADMIN, S, table, ImportOptions())
    reasons = {r.row: r.reasons for r in preview.rows}
    assert reasons[2] == ()
    assert reasons[3] == ("Unknown SKU or barcode “ZZZ”.",)
    assert reasons[4] == ("Unknown warehouse “NOPE”.",)
    assert reasons[5] == ("Negative quantity -3.",)
    assert reasons[6] == ("Duplicate row for A-1 in MAIN (also on row 2).",)
    before = snapshot(stocked)
    with pytest.raises(ValidationError):
        run_import(stocked, ADMIN, S, table, ImportOptions())
    assert snapshot(stocked) == before


def test_stock_counts_set_on_hand_and_a_repeat_changes_nothing(stocked, tmp_path):
    text = "SKU,Warehouse,Counted\n4006381333931,MAIN,7\nB-2,SHOP,5\n"
    table = read_table(write_csv(tmp_path, "count.csv", text))
    result = run_import(stocked, ADMIN, S, table, ImportOptions())
    assert result.applied == 2
    assert support.on_hand(stocked, "A-1") == (7, 0)
    assert support.on_hand(stocked, "B-2", "SHOP") == (5, 0)
    rows = support.ledger_count(stocked)
    again = run_import(stocked, ADMIN, S, table, ImportOptions())
    assert (again.applied, again.replayed) == (0, 2)
    assert support.ledger_count(stocked) == rows


def test_opening_stock_receipts_are_not_doubled_by_a_reimport(stocked, tmp_path):
    path = write_xlsx(
        tmp_path, "open.xlsx", [["sku", "warehouse", "qty", "unit cost"], ["B-2", "MAIN", 40, 1.25]]
    )
    options = ImportOptions(stock_mode="receive")
    run_import(stocked, ADMIN, S, read_table(path), options)
    run_import(stocked, ADMIN, S, read_table(path), options)
    assert support.on_hand(stocked, "B-2") == (40, 0)
    level = queries.stock_levels(stocked, ADMIN, product="B-2")[0]
    assert str(level.avg_cost) == "1.2500"


def test_a_dry_run_changes_nothing(stocked, tmp_path):
    table = read_table(write_csv(tmp_path, "s.csv", "sku,warehouse,qty\nB-2,MAIN,3\n"))
    before = snapshot(stocked)
    result = run_import(stocked, ADMIN, S, table, ImportOptions(), dry_run=True)
    assert result.dry_run and result.applied == 0
    assert snapshot(stocked) == before


def test_imports_check_permissions(stocked, tmp_path):
    table = read_table(write_csv(tmp_path, "p.csv", PRODUCTS_CSV))
    with pytest.raises(PermissionDenied):
        preview_import(stocked, Actor("clerk", Role.CLERK), P, table, ImportOptions())


def test_stock_imports_are_a_managers_right_too(stocked, tmp_path):
    table = read_table(write_csv(tmp_path, "s.csv", "sku,warehouse,qty\nB-2,MAIN,3\n"))
    before = snapshot(stocked)
    with pytest.raises(PermissionDenied):
        run_import(stocked, Actor("clerk", Role.CLERK), S, table, ImportOptions())
    assert snapshot(stocked) == before
    result = run_import(stocked, Actor("mia", Role.MANAGER), S, table, ImportOptions())
    assert result.applied == 1


def test_unreadable_files_are_refused_with_a_reason(tmp_path):
    with pytest.raises(ValidationError, match=r"not an \.xlsx or \.csv"):
        read_table(write_csv(tmp_path, "x.pdf", "hello"))
    with pytest.raises(ValidationError, match="is empty"):
        read_table(write_csv(tmp_path, "x.csv", "\n\n"))
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="not a readable"):
        read_table(tmp_path / "bad.xlsx")


def test_a_row_refused_while_applying_rolls_back_the_whole_file(stocked, tmp_path):
    from invdesk.domain.stock import ReserveStock
    from invdesk.services.stock import reservations

    reservations.reserve(stocked, ReserveStock("A-1", "MAIN", 6), ADMIN)
    # Both rows pass the preview; counting A-1 below its 6 reserved units fails when applied.
    text = "sku,warehouse,qty\nB-2,MAIN,9\nA-1,MAIN,2\n"
    table = read_table(write_csv(tmp_path, "count.csv", text))
    assert preview_import(stocked, ADMIN, S, table, ImportOptions()).errors == 0
    before = snapshot(stocked)
    with pytest.raises(ValidationError, match="reserved"):
        run_import(stocked, ADMIN, S, table, ImportOptions())
    assert snapshot(stocked) == before
    assert support.on_hand(stocked, "B-2") == (0, 0)


def _cancel_after(calls: int):
    """A cancelled() that turns true on its `calls`-th call."""
    seen = {"n": 0}

    def cancelled() -> bool:
        seen["n"] += 1
        return seen["n"] >= calls

    return cancelled


def test_an_import_cancelled_while_applying_changes_nothing(db, tmp_path):
    rows = "\n".join(f"C-{i:04d},Cancelled {i},Tools" for i in range(300))
    table = read_table(write_csv(tmp_path, "c.csv", "sku,name,category\n" + rows + "\n"))
    before = snapshot(db)
    reported: list[int] = []
    # 300 checks, one before applying, then stop half-way through writing the products.
    with pytest.raises(Cancelled):
        run_import(
            db, ADMIN, P, table, ImportOptions(), progress=reported.append,
            cancelled=_cancel_after(300 + 1 + 150),
        )  # fmt: skip
    assert snapshot(db) == before
    assert reported == [0, 100, 200, 300]


def test_a_stock_import_cancelled_while_checking_changes_nothing(db, tmp_path):
    support.warehouse(db, "MAIN")
    support.product(db, "A-1")
    table = read_table(write_csv(tmp_path, "s.csv", "sku,warehouse,qty\nA-1,MAIN,5\nA-1,MAIN,6\n"))
    before = snapshot(db)
    with pytest.raises(Cancelled):
        run_import(db, ADMIN, S, table, ImportOptions(), cancelled=_cancel_after(2))
    assert snapshot(db) == before


def test_opening_stock_of_lots_and_bins_is_received_where_and_which(stocked, tmp_path):
    from datetime import datetime

    support.tracked(stocked, "FRESH", "lot")
    support.location(stocked, "MAIN", "A-1")
    path = write_xlsx(
        tmp_path,
        "lots.xlsx",
        [
            ["sku", "warehouse", "qty", "batch", "best before", "bin"],
            ["FRESH", "MAIN", 6, "L1", datetime(2099, 5, 1), "A-1"],
            ["FRESH", "MAIN", 4, "L2", "2099-06-01", None],
            ["FRESH", "MAIN", 1, "L3", "01/07/2099", None],
        ],
    )
    table = read_table(path)
    preview = preview_import(stocked, ADMIN, S, table, ImportOptions(stock_mode="receive"))
    assert "YYYY-MM-DD" in preview.rows[2].reasons[0]

    run_import(stocked, ADMIN, S, table, ImportOptions(stock_mode="receive", valid_only=True))

    assert support.quants(stocked, "FRESH") == {("A-1", "L1"): 6, (None, "L2"): 4}
