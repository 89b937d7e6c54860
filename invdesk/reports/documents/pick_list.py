"""The pick list of one order or a batch: each bin once, in walking order, with the per-order
split of every line when several orders are picked together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from invdesk.db.engine import Database
from invdesk.domain.picking import PickLine, PickPlan
from invdesk.domain.security import Actor
from invdesk.reports.documents.model import (
    LOT_HEADER,
    Align,
    DocColumn,
    DocRow,
    Document,
    Party,
    code128,
    count,
    issuer_of,
    lot_and_expiry,
    when,
)
from invdesk.services.catalog import company, warehouses
from invdesk.services.stock import picking

NO_BIN = "(no bin)"


def pick_list(db: Database, actor: Actor, references: Sequence[object]) -> Document:
    """The pick list for open orders (see `picking.plan_picks` for what it raises)."""
    plan = picking.plan_picks(db, actor, references)
    codes = sorted({line.warehouse for order in plan.orders for line in order.lines})
    site = warehouses.get_warehouse(db, codes[0], actor)
    issuer = issuer_of(company.get_company(db, actor), site)
    return pick_list_document(plan, issuer, db.now(), actor.username)


def _number(plan: PickPlan) -> str:
    refs = [o.reference for o in plan.orders]
    return refs[0] if len(refs) == 1 else f"{refs[0]} +{len(refs) - 1}"


def pick_list_document(plan: PickPlan, issuer: Party | None, at: datetime, by: str) -> Document:
    """The document for a plan: columns only for what the plan has (bins, lots, several orders,
    several warehouses), so a small shop's list stays a plain list."""
    batch = len(plan.orders) > 1
    sites = len({line.warehouse for line in plan.lines}) > 1
    columns: list[DocColumn] = []
    if sites:
        columns.append(DocColumn("Warehouse", 1.0))
    if plan.locations:
        columns.append(DocColumn("Bin", 1.2))
    columns += [DocColumn("SKU", 1.4), DocColumn("Product", 2.6 if batch else 3.4, wrap=True)]
    if plan.lots:
        columns += [DocColumn(LOT_HEADER)]
    columns += [DocColumn("Qty", 0.7, Align.RIGHT), DocColumn("Unit", 0.7)]
    if batch:
        columns.append(DocColumn("For orders", 2.0, wrap=True))
    columns.append(DocColumn("Picked", 0.9, Align.CENTER, tick=True))
    rows = []
    previous: tuple[str, str | None] | None = None
    for line in plan.lines:
        place = (line.warehouse, line.location)
        rows.append(DocRow(_cells(line, place != previous, plan, sites, batch), place != previous))
        previous = place
    refs = [o.reference for o in plan.orders]
    number = _number(plan)
    fields = [
        ("Orders" if batch else "Order", ", ".join(refs)),
        ("Lines", count(len(plan.lines))),
        ("Units", count(plan.units)),
    ]
    if not batch:
        order = plan.orders[0]
        fields.insert(1, ("Channel", order.channel.value.replace("_", " ")))
        fields.insert(2, ("Placed", when(order.created_at)))
    notes = [
        f"Short: {s.sku} ({s.name}) in {s.warehouse}, {count(s.qty)} not in usable stock "
        f"(for {', '.join(f'{p.order} {count(p.qty)}' for p in s.orders)})."
        for s in plan.short
    ]
    return Document(
        kind="Pick list",
        number=number,
        barcode=code128(refs[0]) if not batch else None,
        issuer=issuer,
        fields=tuple(fields),
        parties=(),
        columns=tuple(columns),
        rows=tuple(rows),
        notes=tuple(notes),
        signatures=("Picked by", "Checked by"),
        generated_at=at,
        generated_by=by,
    )


def _cells(
    line: PickLine, first_in_bin: bool, plan: PickPlan, sites: bool, batch: bool
) -> tuple[str, ...]:
    cells: list[str] = []
    if sites:
        cells.append(line.warehouse if first_in_bin else "")
    if plan.locations:
        cells.append((line.location or NO_BIN) if first_in_bin else "")
    cells += [line.sku, line.name]
    if plan.lots:
        cells.append(lot_and_expiry(line.lot, line.expiry))
    cells += [count(line.qty), line.unit]
    if batch:
        # No break inside one order's part: the column wraps between orders only.
        cells.append(", ".join(f"{p.order}\u00a0×\u00a0{count(p.qty)}" for p in line.orders))
    cells.append("")
    return tuple(cells)
