"""Each report as one or more sheets: columns, formats, totals, and native Excel charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from sqlalchemy import Connection

from invdesk.reports import data, planning
from invdesk.reports.excel import Column, Kind, Sheet, SheetInfo
from invdesk.reports.filters import Scope

C = Column
TOP_CHART_ROWS = 15

# Columns that several reports share, so a product reads the same on every sheet.
SKU = C("sku", "SKU", width=16)
WAREHOUSE = C("warehouse", "Warehouse", width=11)
CATEGORY = C("category", "Category", width=13)
AVG_COST = C("cost", "Avg cost", Kind.MONEY, 11)


def product(width: int = 30) -> Column:
    return C("name", "Product", width=width)


def summed(key: str, header: str, kind: Kind = Kind.INT, width: float | None = None) -> Column:
    """A figure with a SUM in the totals row."""
    return C(key, header, kind, width, total="sum")


ON_HAND = summed("on_hand", "On hand")
STOCK = (
    ON_HAND,
    summed("reserved", "Reserved"),
    summed("available", "Available"),
)
"""On hand, reserved and available units, summed."""
ON_ORDER = summed("on_order", "On order")
"""Units on sent purchase orders not yet received (reads.on_order), summed."""


def one_sheet(
    name: str,
    title: str,
    columns: list[Column],
    rows: Any,
    *,
    notes: tuple[str, ...] = (),
    chart: Callable[[Any, SheetInfo], None] | None = None,
) -> list[Sheet]:
    """The sheets of a report that has only one."""
    return [Sheet(name, title, columns, rows, notes=notes, chart=chart)]


def bar_chart(
    title: str, category: str, values: tuple[str, ...], *, rows: int | None = None, y: str = ""
) -> Callable[[Any, SheetInfo], None]:
    """A clustered bar chart of `values` columns against `category`, placed right of the table."""

    def add(_workbook: Any, info: SheetInfo) -> None:
        last = info.last_row if rows is None else min(info.last_row, info.first_row + rows - 1)
        chart = BarChart()
        chart.type = "col"
        chart.title = title
        chart.y_axis.title = y
        chart.height, chart.width = 8, 16
        for key in values:
            col = info.column_index(key)
            ref = Reference(info.worksheet, min_col=col, min_row=info.first_row - 1, max_row=last)
            chart.add_data(ref, titles_from_data=True)
        cat = info.column_index(category)
        chart.set_categories(
            Reference(info.worksheet, min_col=cat, min_row=info.first_row, max_row=last)
        )
        info.worksheet.add_chart(chart, _anchor(info))

    return add


def line_chart(title: str, y: str) -> Callable[[Any, SheetInfo], None]:
    """Lines for every column after the first (a date axis), placed right of the table."""

    def add(_workbook: Any, info: SheetInfo) -> None:
        chart = LineChart()
        chart.title = title
        chart.y_axis.title = y
        chart.x_axis.number_format = "yyyy-mm-dd"
        chart.height, chart.width = 9, 20
        ref = Reference(
            info.worksheet,
            min_col=2,
            max_col=len(info.columns),
            min_row=info.first_row - 1,
            max_row=info.last_row,
        )
        chart.add_data(ref, titles_from_data=True)
        chart.set_categories(
            Reference(info.worksheet, min_col=1, min_row=info.first_row, max_row=info.last_row)
        )
        for series in chart.series:
            series.smooth = False
            series.graphicalProperties.line.width = 12700  # 1 pt
        info.worksheet.add_chart(chart, _anchor(info))

    return add


def _anchor(info: SheetInfo) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(len(info.columns) + 2)}{info.first_row - 1}"


def valuation(conn: Connection, scope: Scope) -> list[Sheet]:
    summary = Sheet(
        "Valuation by warehouse",
        "Stock valuation per warehouse",
        [
            C("code", "Warehouse", width=12),
            C("name", "Name", width=24),
            summed("lines", "Products in stock"),
            summed("units", "Units on hand", width=14),
            summed("value", "Value", Kind.MONEY, 16),
        ],
        data.valuation_by_warehouse(conn, scope),
        notes=("Value = units on hand x moving-average cost, now.",),
        chart=bar_chart("Stock value per warehouse", "code", ("value",)),
    )
    detail = Sheet(
        "Stock on hand",
        "Stock on hand and valuation",
        [
            WAREHOUSE, SKU, product(34), CATEGORY, C("unit", "Unit", width=7), *STOCK, AVG_COST,
            summed("value", "Value", Kind.MONEY, 15),
        ],
        data.valuation_rows(conn, scope),
        notes=("Stock as it is now; the period filter does not apply.",),
    )  # fmt: skip
    return [summary, detail]


def movements(conn: Connection, scope: Scope) -> list[Sheet]:
    return one_sheet(
        "Movements",
        "Movement history",
        [
            C("at", "When (UTC)", Kind.DATETIME),
            C("kind", "Kind", width=14),
            SKU,
            product(),
            WAREHOUSE,
            summed("qty", "Qty"),
            C("balance", "Balance after", Kind.INT, 13),
            C("cost", "Unit cost", Kind.MONEY, 11),
            summed("value", "Value", Kind.MONEY),
            C("reference", "Reference", width=16),
            C("reason", "Reason", width=24),
            C("user", "User", width=12),
        ],
        data.movement_rows(conn, scope),
    )


def low_stock(conn: Connection, scope: Scope) -> list[Sheet]:
    return one_sheet(
        "Low stock",
        "Low stock and reorder list",
        [
            SKU,
            product(),
            WAREHOUSE,
            *STOCK,
            ON_ORDER,
            C("daily", "Avg daily demand", Kind.NUMBER, 12),
            C("reorder_point", "Reorder point", Kind.INT),
            summed("order", "Suggested order"),
            C("cover", "Days of cover", Kind.NUMBER),
            AVG_COST,
            summed("order_value", "Order value", Kind.MONEY),
            C("rule", "Rule", width=26),
        ],
        planning.low_stock_rows(conn, scope),
        notes=(
            "Stock now; demand over the 30 days before the end of the period. The suggested "
            "order is net of what is on order (sent purchase orders not yet received).",
        ),
    )


def top_sellers(conn: Connection, scope: Scope) -> list[Sheet]:
    rows = data.top_sellers(conn, scope)
    return one_sheet(
        "Top sellers",
        "Top sellers",
        [
            SKU,
            product(),
            CATEGORY,
            summed("units", "Units sold"),
            summed("lines", "Sales lines"),
            summed("revenue", "Revenue (list price)", Kind.MONEY, 16),
            summed("cogs", "Cost of goods sold", Kind.MONEY, 16),
            summed("margin", "Margin", Kind.MONEY, 14),
            C("margin_pct", "Margin %", Kind.PERCENT, total="=IFERROR({margin}/{revenue},0)"),
        ],
        [
            [
                r.sku,
                r.name,
                r.category,
                r.units,
                r.lines,
                r.revenue,
                r.cogs,
                r.revenue - r.cogs,
                (r.revenue - r.cogs) / r.revenue if r.revenue else None,
            ]
            for r in rows
        ],
        notes=("The 100 best sellers by units issued in the period.",),
        chart=bar_chart("Units sold", "sku", ("units",), rows=TOP_CHART_ROWS),
    )


def turnover(conn: Connection, scope: Scope) -> list[Sheet]:
    days = scope.days
    rows = []
    for t in data.turnover(conn, scope):
        turns = t.issued_units / t.average_units if t.average_units else None
        rows.append(
            [
                t.warehouse,
                t.opening_units,
                t.closing_units,
                t.average_units,
                t.issued_units,
                t.cogs,
                turns,
                days / turns if turns else None,
            ]
        )
    return one_sheet(
        "Turnover",
        "Stock turnover per warehouse",
        [
            C("warehouse", "Warehouse", width=12),
            summed("opening", "Opening units", width=13),
            summed("closing", "Closing units", width=13),
            summed("average", "Average units", Kind.NUMBER, 13),
            summed("issued", "Units issued", width=13),
            summed("cogs", "Cost of goods sold", Kind.MONEY, 16),
            C("turns", "Turnover", Kind.NUMBER, total="=IFERROR({issued}/{average},0)"),
            C("days", "Days on hand", Kind.NUMBER, total=f"=IFERROR({days}/{{turns}},0)"),
        ],
        rows,
        notes=(
            f"Turnover = units issued / average units on hand over {days} days; "
            "opening and closing units from the ledger's balance after each movement.",
        ),
        chart=bar_chart("Turnover per warehouse", "warehouse", ("turns",)),
    )


def restock(conn: Connection, scope: Scope) -> list[Sheet]:
    return one_sheet(
        "Restock frequency",
        "Restock frequency",
        [
            SKU,
            product(),
            WAREHOUSE,
            summed("receipts", "Receipts"),
            summed("units", "Units received", width=14),
            C("first", "First (UTC)", Kind.DATETIME),
            C("last", "Last (UTC)", Kind.DATETIME),
            C("gap", "Avg days between", Kind.NUMBER, 12),
            C("per", "Units per receipt", Kind.NUMBER, 12),
        ],
        data.restock_rows(conn, scope),
    )


def returns(conn: Connection, scope: Scope) -> list[Sheet]:
    rate = "=IFERROR(({returned}+{damaged})/{sold},0)"
    return one_sheet(
        "Returns",
        "Returns analysis",
        [
            SKU,
            product(),
            CATEGORY,
            summed("sold", "Units sold"),
            summed("returned", "Returned to stock", width=14),
            summed("damaged", "Returned damaged", width=14),
            C("rate", "Return rate", Kind.PERCENT, 11, total=rate),
            C("reason", "Most given reason", width=30),
        ],
        data.returns_rows(conn, scope),
        notes=("Products with at least one return in the period.",),
        chart=bar_chart("Most returned", "sku", ("returned", "damaged"), rows=TOP_CHART_ROWS),
    )


def demand_forecast(conn: Connection, scope: Scope) -> list[Sheet]:
    rows = []
    for f in planning.forecasts(conn, scope):
        low30, high30 = f.result.band_total(30)
        rows.append(
            [
                f.sku,
                f.name,
                f.warehouse,
                f.on_hand,
                f.on_order,
                f.result.average_daily,
                f.result.method,
                f.result.total(30),
                low30,
                high30,
                f.result.total(90),
                f.cover,
                f.reorder_point,
                f.below_on,
                f.result.explanation,
            ]
        )
    return one_sheet(
        "Forecast",
        "Demand forecast",
        [
            SKU,
            product(28),
            WAREHOUSE,
            ON_HAND,
            ON_ORDER,
            C("daily", "Avg daily demand", Kind.NUMBER, 12),
            C("method", "Method", width=13),
            summed("next30", "Next 30 days", Kind.NUMBER, 12),
            summed("low30", "30 days low (80%)", Kind.NUMBER, 12),
            summed("high30", "30 days high (80%)", Kind.NUMBER, 12),
            summed("next90", "Next 90 days", Kind.NUMBER, 12),
            C("cover", "Days of cover", Kind.NUMBER),
            C("reorder_point", "Reorder point", Kind.INT),
            C("below", "Below reorder point on", Kind.DATE, 14),
            C("explanation", "How", width=60),
        ],
        rows,
        notes=(
            f"The {planning.FORECAST_LIMIT} busiest products per warehouse, from "
            f"{planning.FORECAST_HISTORY_DAYS} days of daily demand before the period end.",
        ),
    )


def stock_trend(conn: Connection, scope: Scope) -> list[Sheet]:
    """Units on hand per warehouse at the end of each day: opening balances plus daily net."""
    opening = data.units_at(conn, scope, scope.since)
    net = data.daily_net_by_warehouse(conn, scope)
    codes = sorted(set(opening) | set(net))
    first, last = scope.since.date(), (scope.until - timedelta(microseconds=1)).date()
    running = {c: opening.get(c, 0) for c in codes}
    rows = []
    day = first
    while day <= last:
        for c in codes:
            running[c] += net.get(c, {}).get(day, 0)
        rows.append([day, *(running[c] for c in codes)])
        day += timedelta(days=1)
    return one_sheet(
        "Stock trend",
        "Units on hand per warehouse, end of day (UTC)",
        [C("day", "Day", Kind.DATE), *(C(c, c, Kind.INT, 11) for c in codes)],
        rows,
        chart=line_chart("Units on hand", "units") if codes else None,
    )
