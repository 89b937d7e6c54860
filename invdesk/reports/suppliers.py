"""The supplier performance sheet: one row per supplier, spend in a column per month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from invdesk.reports.excel import Column, Kind, Sheet
from invdesk.reports.filters import Scope
from invdesk.reports.sheets import one_sheet, summed
from invdesk.services.purchasing.performance import performance_of

C = Column


def supplier_performance(conn: Connection, scope: Scope) -> list[Sheet]:
    found = performance_of(conn, scope.since, scope.until)
    months = sorted({month for r in found for month, _amount in r.spend_by_month})
    rows: list[list[Any]] = []
    for r in found:
        spend = dict(r.spend_by_month)
        rows.append(
            [
                r.supplier, r.name, r.orders, r.lines, r.on_time_rate, r.average_lead_days,
                r.worst_lead_days, r.promised_lead_days, r.fill_rate,
                sum(spend.values()) if spend else None, *(spend.get(m) for m in months),
            ]
        )  # fmt: skip
    return one_sheet(
        "Supplier performance",
        "Supplier performance",
        [
            C("supplier", "Supplier", width=12),
            C("name", "Name", width=26),
            summed("orders", "POs"),
            summed("lines", "Lines"),
            C("on_time", "On time", Kind.PERCENT),
            C("average_lead", "Avg lead (days)", Kind.NUMBER),
            C("worst_lead", "Worst lead (days)", Kind.INT, 12),
            C("promised_lead", "Promised lead (days)", Kind.INT, 13),
            C("fill", "Fill rate", Kind.PERCENT),
            summed("spend", "Spend", Kind.MONEY),
            *(summed(f"spend_{m}", f"Spend {m}", Kind.MONEY) for m in months),
        ],
        rows,
        notes=(
            "Purchase orders sent in the period. On time: delivered on or before the expected "
            "date, else the sent day plus the supplier's promised lead time. Lead time: days "
            "from sending to each delivery. Fill rate: units received of those ordered on "
            "closed orders (received or cancelled). Spend: units received times the price, by "
            "the month of the delivery. Warehouse and category filters do not apply.",
        ),
    )
