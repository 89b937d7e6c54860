"""Excel reports read back with openpyxl: layout, formulas, escaping, and figures that agree with
the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from invdesk.db.models import Movement, Product, StockLevel, Warehouse
from invdesk.domain.errors import NotFound, PermissionDenied
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    Line,
    ReceiveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.reports import runner
from invdesk.reports.excel import FIRST_DATA_ROW, HEADER_ROW, Cancelled
from invdesk.reports.filters import ReportFilter
from invdesk.services.demo.loader import load_demo
from invdesk.services.reads import reorder
from invdesk.services.stock import operations, policies
from tests import support

MANAGER = Actor("manager", Role.MANAGER)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
END = START + timedelta(days=40)
PERIOD = ReportFilter(since=START - timedelta(days=1), until=END)
NASTY = '=HYPERLINK("http://x","y")'


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def shop(db):
    """Two warehouses, three products in two categories, 40 days of receipts, sales, a transfer,
    returns (one damaged) and a count; a product name and a reference that look like formulas."""
    clock = Clock()
    db.clock = clock
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "A-1", cost="2.00")
    support.product(db, "B-2", cost="5.00", category="Office")
    support.product(db, "C-3", cost="1.50")
    from invdesk.domain.catalog import EditProduct
    from invdesk.domain.security import SYSTEM
    from invdesk.services.catalog import products

    products.edit_product(db, EditProduct("C-3", name=NASTY), SYSTEM)

    def op(fn, cmd):
        fn(db, cmd, support.ACTOR)

    op(
        operations.receive,
        ReceiveStock("MAIN", (Line("A-1", 200, "2.50"), Line("B-2", 50, "4.00"))),
    )
    op(operations.receive, ReceiveStock("MAIN", (Line("C-3", 30),), reference="@import"))
    for day in range(1, 40):
        clock.now = START + timedelta(days=day, hours=day % 5)
        op(
            operations.issue,
            IssueStock("MAIN", (Line("A-1", 3 + day % 4),), reference=f"ORD-{day}"),
        )
        if day % 3 == 0:
            op(operations.issue, IssueStock("MAIN", (Line("B-2", 1),)))
        if day == 10:
            op(operations.transfer, TransferStock("MAIN", "SHOP", (Line("A-1", 20),)))
            op(operations.receive, ReceiveStock("MAIN", (Line("A-1", 40, "3.00"),)))
        if day == 20:
            op(operations.return_stock, ReturnStock("MAIN", (Line("A-1", 2),), reason="wrong size"))
            op(
                operations.return_stock,
                ReturnStock("MAIN", (Line("B-2", 1),), damaged=True, reason="cracked"),
            )
            op(operations.issue, IssueStock("SHOP", (Line("A-1", 5),)))
        if day == 30:
            op(operations.adjust, AdjustStock("C-3", "MAIN", 27, reason="cycle count"))
    # The warehouse's restock policy: reorder when stock covers fewer than 14 days of demand.
    cover = PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=14, lookback_days=30, target_days=45)
    policies.set_policy(db, SetPolicy("MAIN", cover), MANAGER)
    clock.now = END + timedelta(hours=1)
    return db


def _sheet(path, name):
    workbook = load_workbook(path)
    return workbook, workbook[name]


def _data(ws):
    """Data rows between the header and the totals row."""
    rows = list(ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert rows[-1][0] == "Total"
    return rows[:-1]


def _header(ws):
    return [c.value for c in ws[HEADER_ROW]]


def _col(ws, header):
    return _header(ws).index(header)


def _ledger(db, stmt):
    with db.read() as conn:
        return conn.execute(stmt).all()


def _layout_ok(ws, path):
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert ws["A1"].font.b
    assert ws.cell(HEADER_ROW, 1).font.b
    assert "by manager" in ws["A3"].value
    last = ws.max_row
    assert ws.cell(last, 1).value == "Total"
    formulas = [c.value for c in ws[last] if isinstance(c.value, str) and c.value.startswith("=")]
    return formulas


def test_valuation_agrees_with_the_ledger_and_adds_up_by_formula(shop, tmp_path):
    path = tmp_path / "valuation.xlsx"
    result = runner.generate(shop, MANAGER, "valuation", path, PERIOD)
    assert result.sheets == ("Valuation by warehouse", "Stock on hand")
    _, ws = _sheet(path, "Stock on hand")
    formulas = _layout_ok(ws, path)
    rows = _data(ws)
    last_data = FIRST_DATA_ROW + len(rows) - 1
    on_hand_col = chr(ord("A") + _col(ws, "On hand"))
    assert f"=SUM({on_hand_col}{FIRST_DATA_ROW}:{on_hand_col}{last_data})" in formulas
    # The ledger: the last balance_after of each (product, warehouse).
    last = select(func.max(Movement.id)).group_by(Movement.product_id, Movement.warehouse_id)
    ledger = {
        (w, s): b
        for s, w, b in _ledger(
            shop,
            select(Product.sku, Warehouse.code, Movement.balance_after)
            .join(Product, Product.id == Movement.product_id)
            .join(Warehouse, Warehouse.id == Movement.warehouse_id)
            .where(Movement.id.in_(last)),
        )
        if b > 0
    }
    shown = {(r[0], r[1]): r[_col(ws, "On hand")] for r in rows}
    assert shown == ledger
    costs = {
        (w, s): c
        for s, w, c in _ledger(
            shop,
            select(Product.sku, Warehouse.code, StockLevel.avg_cost)
            .join(Product, Product.id == StockLevel.product_id)
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id),
        )
    }
    for r in rows:
        assert Decimal(str(r[_col(ws, "Avg cost")])) == costs[(r[0], r[1])]
        assert r[_col(ws, "Value")] == pytest.approx(
            r[_col(ws, "On hand")] * float(costs[(r[0], r[1])])
        )
    # The per-warehouse summary has the same total value.
    _, summary = _sheet(path, "Valuation by warehouse")
    total = sum(r[4] for r in _data(summary))
    assert total == pytest.approx(sum(r[_col(ws, "Value")] for r in rows))
    assert ws.cell(FIRST_DATA_ROW, _col(ws, "Value") + 1).number_format == "#,##0.00"
    assert ws.cell(FIRST_DATA_ROW, _col(ws, "On hand") + 1).number_format == "#,##0"


def test_movement_history_lists_every_ledger_row_of_the_period(shop, tmp_path):
    path = tmp_path / "movements.xlsx"
    since = START + timedelta(days=5)
    runner.generate(shop, MANAGER, "movements", path, ReportFilter(since=since, until=END))
    _, ws = _sheet(path, "Movements")
    _layout_ok(ws, path)
    rows = _data(ws)
    expected = _ledger(
        shop,
        select(Movement.qty).where(Movement.at >= since, Movement.at < END).order_by(Movement.id),
    )
    assert [r[_col(ws, "Qty")] for r in rows] == [q for (q,) in expected]
    assert isinstance(rows[0][0], datetime)
    assert ws.cell(FIRST_DATA_ROW, 1).number_format == "yyyy-mm-dd hh:mm"


def test_a_warehouse_filter_keeps_only_that_warehouse(shop, tmp_path):
    path = tmp_path / "m.xlsx"
    runner.generate(shop, MANAGER, "movements", path, ReportFilter("shop", since=START, until=END))
    _, ws = _sheet(path, "Movements")
    rows = _data(ws)
    assert {r[_col(ws, "Warehouse")] for r in rows} == {"SHOP"}
    assert len(rows) == 2  # the transfer in and one sale
    assert "warehouse SHOP" in ws["A2"].value


def test_top_sellers_count_issued_units_and_cost(shop, tmp_path):
    path = tmp_path / "top.xlsx"
    runner.generate(shop, MANAGER, "top-sellers", path, PERIOD)
    _, ws = _sheet(path, "Top sellers")
    formulas = _layout_ok(ws, path)
    assert any(f.startswith("=IFERROR(") for f in formulas)
    rows = {r[0]: r for r in _data(ws)}
    issued = dict(
        _ledger(
            shop,
            select(Product.sku, func.sum(Movement.units))
            .join(Product, Product.id == Movement.product_id)
            .where(Movement.kind == "issue")
            .group_by(Product.sku),
        )
    )
    assert {sku: r[_col(ws, "Units sold")] for sku, r in rows.items()} == issued
    assert next(iter(rows)) == "A-1"
    assert rows["A-1"][_col(ws, "Revenue (list price)")] == pytest.approx(int(issued["A-1"]) * 2.0)


def test_turnover_uses_opening_and_closing_balances_from_the_ledger(shop, tmp_path):
    path = tmp_path / "turnover.xlsx"
    since = START + timedelta(days=15)
    runner.generate(shop, MANAGER, "turnover", path, ReportFilter(since=since, until=END))
    _, ws = _sheet(path, "Turnover")
    rows = {r[0]: r for r in _data(ws)}
    main = rows["MAIN"]

    def units_at(moment):
        last = (
            select(func.max(Movement.id))
            .where(Movement.at < moment)
            .group_by(Movement.product_id, Movement.warehouse_id)
        )
        w = select(Warehouse.id).where(Warehouse.code == "MAIN").scalar_subquery()
        stmt = select(func.sum(Movement.balance_after)).where(
            Movement.id.in_(last), Movement.warehouse_id == w
        )
        return int(_ledger(shop, stmt)[0][0])

    assert main[_col(ws, "Opening units")] == units_at(since)
    assert main[_col(ws, "Closing units")] == units_at(END)
    average = (units_at(since) + units_at(END)) / 2
    assert main[_col(ws, "Turnover")] == pytest.approx(main[_col(ws, "Units issued")] / average)


def test_returns_restock_low_stock_and_forecast_reports(shop, tmp_path):
    path = tmp_path / "returns.xlsx"
    runner.generate(shop, MANAGER, "returns", path, PERIOD)
    _, ws = _sheet(path, "Returns")
    rows = {r[0]: r for r in _data(ws)}
    assert rows["A-1"][_col(ws, "Returned to stock")] == 2
    assert rows["B-2"][_col(ws, "Returned damaged")] == 1
    assert rows["B-2"][_col(ws, "Most given reason")] == "cracked"

    runner.generate(shop, MANAGER, "restock", path, PERIOD)
    _, ws = _sheet(path, "Restock frequency")
    rows = {(r[0], r[2]): r for r in _data(ws)}
    assert rows[("A-1", "MAIN")][_col(ws, "Receipts")] == 2
    assert rows[("A-1", "MAIN")][_col(ws, "Units received")] == 240

    runner.generate(shop, MANAGER, "low-stock", path, PERIOD)
    _, ws = _sheet(path, "Low stock")
    rows = {(r[0], r[2]): r for r in _data(ws)}
    # A-1 sells ~4.5 a day: MAIN's 14 days of cover, 63, is above what MAIN has left.
    a1 = rows[("A-1", "MAIN")]
    assert a1[_col(ws, "Available")] <= a1[_col(ws, "Reorder point")]
    assert a1[_col(ws, "Suggested order")] > 0
    assert a1[_col(ws, "Rule")].startswith("warehouse days of cover: available")
    # SHOP has no policy, so nothing there is low whatever its demand.
    assert {warehouse for _sku, warehouse in rows} == {"MAIN"}

    runner.generate(shop, MANAGER, "forecast", path, PERIOD)
    _, ws = _sheet(path, "Forecast")
    rows = {(r[0], r[2]): r for r in _data(ws)}
    a1 = rows[("A-1", "MAIN")]
    assert 3.5 < a1[_col(ws, "Next 30 days")] / 30 < 6
    assert a1[_col(ws, "Method")] in ("simple", "holt", "holt-winters")
    assert (
        ws.cell(FIRST_DATA_ROW, _col(ws, "Below reorder point on") + 1).number_format
        == "yyyy-mm-dd"
    )


def test_the_low_stock_report_lists_what_the_reorder_page_suggests_for_the_demo(db, tmp_path):
    load_demo(db, MANAGER, days=60)
    suggested: dict[tuple[str, str], list[int]] = {}
    for s in reorder.suggestions(db, MANAGER):
        threshold, qty = suggested.get((s.sku, s.warehouse), [s.threshold, 0])
        suggested[(s.sku, s.warehouse)] = [threshold, qty + s.suggested_qty]

    path = tmp_path / "low.xlsx"
    runner.generate(db, MANAGER, "low-stock", path, ReportFilter())
    _, ws = _sheet(path, "Low stock")
    reported = {
        (r[0], r[2]): [r[_col(ws, "Reorder point")], r[_col(ws, "Suggested order")]]
        for r in _data(ws)
    }
    assert len(suggested) >= 10
    assert reported == suggested


def test_user_text_that_looks_like_a_formula_is_stored_as_text(shop, tmp_path):
    path = tmp_path / "full.xlsx"
    runner.generate(shop, MANAGER, "movements", path, PERIOD)
    _, ws = _sheet(path, "Movements")
    cells = [c for row in ws.iter_rows(min_row=FIRST_DATA_ROW) for c in row]
    nasty = [c for c in cells if c.value == NASTY]
    refs = [c for c in cells if c.value == "@import"]
    assert nasty and refs
    assert all(c.data_type == "s" and c.quotePrefix for c in nasty + refs)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "HYPERLINK" in sheet_xml and "<f>HYPERLINK" not in sheet_xml


def test_the_full_report_holds_every_report_with_native_charts(shop, tmp_path):
    path = tmp_path / "full.xlsx"
    result = runner.generate(shop, MANAGER, "full", path, PERIOD)
    workbook = load_workbook(path)
    assert workbook.sheetnames == list(result.sheets)
    assert {"Stock on hand", "Movements", "Forecast", "Stock trend", "Returns"} <= set(
        workbook.sheetnames
    )
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 4
    trend = workbook["Stock trend"]
    rows = _data(trend)
    main = _header(trend).index("MAIN")
    # The last day's units agree with the stock counters.
    with shop.read() as conn:
        on_hand = conn.execute(
            select(func.sum(StockLevel.on_hand)).join(Warehouse).where(Warehouse.code == "MAIN")
        ).scalar_one()
    assert rows[-1][main] == on_hand


def test_reports_need_the_reports_permission(shop, tmp_path):
    with pytest.raises(PermissionDenied):
        runner.generate(shop, Actor("clerk", Role.CLERK), "valuation", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_unknown_report_warehouse_or_category_is_not_found(shop, tmp_path):
    with pytest.raises(NotFound):
        runner.generate(shop, MANAGER, "nope", tmp_path / "x.xlsx")
    with pytest.raises(NotFound):
        runner.generate(shop, MANAGER, "valuation", tmp_path / "x.xlsx", ReportFilter("NOPE"))
    with pytest.raises(NotFound):
        runner.generate(
            shop, MANAGER, "valuation", tmp_path / "x.xlsx", ReportFilter(category="Toys")
        )


def test_a_cancelled_report_leaves_no_file(shop, tmp_path):
    path = tmp_path / "x.xlsx"
    with pytest.raises(Cancelled):
        runner.generate(shop, MANAGER, "full", path, PERIOD, cancelled=lambda: True)
    assert not path.exists()


def test_a_category_filter_keeps_only_its_products(shop, tmp_path):
    path = tmp_path / "x.xlsx"
    runner.generate(shop, MANAGER, "valuation", path, ReportFilter(category="office"))
    _, ws = _sheet(path, "Stock on hand")
    assert {r[1] for r in _data(ws)} == {"B-2"}


def test_every_sheet_shows_sku_product_and_warehouse_columns_alike(shop, tmp_path):
    """The shared columns read the same wherever they appear in the full workbook."""
    from openpyxl.utils import get_column_letter

    path = tmp_path / "full.xlsx"
    runner.generate(shop, MANAGER, "full", path, PERIOD)
    workbook = load_workbook(path)
    seen = {"SKU": set(), "Warehouse": set(), "Category": set()}
    with_sku = []
    for ws in workbook.worksheets:
        header = _header(ws)
        for i, text in enumerate(header, start=1):
            if text in seen and ws.title not in ("Turnover", "Valuation by warehouse"):
                seen[text].add(ws.column_dimensions[get_column_letter(i)].width)
        if "SKU" in header:
            with_sku.append(ws.title)
            assert header[header.index("SKU") + 1] == "Product", ws.title
    assert len(with_sku) == 8
    assert seen == {"SKU": {16}, "Warehouse": {11}, "Category": {13}}
