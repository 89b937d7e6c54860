"""The reports people can run, and running one into an .xlsx workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from invdesk.db.engine import Database
from invdesk.domain.errors import NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.reports import excel, lots, sheets, suppliers
from invdesk.reports.filters import ReportFilter, Scope, begin_report, resolve

Build = Callable[[Connection, Scope], list[excel.Sheet]]


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    description: str
    build: Build
    uses_period: bool = True  # False for a snapshot (stock as it is now): its header says "as of"


REPORTS: dict[str, ReportKind] = {
    r.name: r
    for r in (
        ReportKind(
            "valuation",
            "Stock on hand and valuation",
            "Units and value (moving-average cost) per warehouse and product.",
            sheets.valuation,
            uses_period=False,
        ),
        ReportKind(
            "movements", "Movement history", "Every ledger row in the period.", sheets.movements
        ),
        ReportKind(
            "low-stock",
            "Low stock and reorder list",
            "Stock at or below its reorder point, with a suggested order.",
            sheets.low_stock,
        ),
        ReportKind(
            "top-sellers", "Top sellers", "Best sellers by units, with margin.", sheets.top_sellers
        ),
        ReportKind(
            "turnover",
            "Stock turnover",
            "Units issued over average stock, per warehouse.",
            sheets.turnover,
        ),
        ReportKind(
            "restock",
            "Restock frequency",
            "How often each product was received.",
            sheets.restock,
        ),
        ReportKind(
            "returns", "Returns analysis", "Returns and return rate per product.", sheets.returns
        ),
        ReportKind(
            "forecast",
            "Demand forecast",
            "Expected demand for 30 and 90 days, days of cover, reorder date.",
            sheets.demand_forecast,
        ),
        ReportKind(
            "lot-trace",
            "Lot trace",
            "Every movement of every lot and serial, with the order that took it (recalls).",
            lots.lot_trace,
        ),
        ReportKind(
            "supplier-performance",
            "Supplier performance",
            "Per supplier: orders, on-time rate, lead times, fill rate and spend by month.",
            suppliers.supplier_performance,
        ),
        ReportKind(
            "stock-trend",
            "Stock trend",
            "Units on hand per warehouse at the end of each day.",
            sheets.stock_trend,
        ),
    )
}
FULL = "full"
FULL_ORDER = (
    "valuation",
    "stock-trend",
    "turnover",
    "top-sellers",
    "low-stock",
    "forecast",
    "restock",
    "returns",
    "lot-trace",
    "movements",
    "supplier-performance",
)


@dataclass(frozen=True)
class ReportResult:
    path: Path
    report: str
    sheets: tuple[str, ...]
    rows: int
    filters: str


def report_names() -> list[str]:
    return [*REPORTS, FULL]


def title_of(name: str) -> str:
    return "Full report" if name == FULL else _kind(name).title


def _kind(name: str) -> ReportKind:
    try:
        return REPORTS[name]
    except KeyError:
        known = ", ".join(report_names())
        raise NotFound(f"There is no report “{name}”; choose one of {known}.") from None


def generate(
    db: Database,
    actor: Actor,
    name: str,
    path: str | Path,
    flt: ReportFilter = ReportFilter(),  # noqa: B008 (frozen)
    *,
    progress: excel.Progress | None = None,
    cancelled: excel.IsCancelled | None = None,
) -> ReportResult:
    """Write report `name` (or "full": all of them, with charts) to an .xlsx file.

    Reads one consistent snapshot; big sheets stream. Raises PermissionDenied (needs the reports
    permission), NotFound (report, warehouse or category), excel.Cancelled when `cancelled()`
    turns true (no file is left behind).
    """
    require(actor, Permission.REPORTS)
    kinds = [REPORTS[n] for n in FULL_ORDER] if name == FULL else [_kind(name)]
    workbook = excel.new_workbook()
    with db.read(replica=True) as conn:  # may lag: a report
        begin_report(conn, actor)
        scope = resolve(conn, flt, db.now())
        # Stock as it is now has no period: its title block and summary say "as of".
        filters = scope.describe(snapshot=not any(kind.uses_period for kind in kinds))
        meta = excel.Meta(filters, db.now(), actor.username)

        def all_sheets() -> Iterator[excel.Sheet]:
            for kind in kinds:
                if cancelled is not None and cancelled():
                    raise excel.Cancelled("The report was cancelled.")
                yield from kind.build(conn, scope)

        built: list[excel.Sheet] = []

        def recorded() -> Iterator[excel.Sheet]:
            for sheet in all_sheets():
                built.append(sheet)
                yield sheet

        rows = excel.save(workbook, path, recorded(), meta, progress=progress, cancelled=cancelled)
    return ReportResult(Path(path), name, tuple(s.name for s in built), rows, filters)
