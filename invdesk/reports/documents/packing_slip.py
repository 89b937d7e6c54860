"""The packing slip that goes in the parcel: what the order asked for, with the lots sent."""

from __future__ import annotations

from datetime import datetime

from invdesk.db.engine import Database
from invdesk.domain.picking import PackingList
from invdesk.domain.security import Actor
from invdesk.reports.documents.model import (
    Align,
    DocColumn,
    DocRow,
    Document,
    Party,
    code128,
    count,
    issuer_of,
    when,
)
from invdesk.services.catalog import company, warehouses
from invdesk.services.stock import picking


def packing_slip(db: Database, actor: Actor, reference: object) -> Document:
    """The packing slip of an open or fulfilled order (see `picking.packing_list`)."""
    packing = picking.packing_list(db, actor, reference)
    site = warehouses.get_warehouse(db, packing.order.lines[0].warehouse, actor)
    issuer = issuer_of(company.get_company(db, actor), site)
    return packing_slip_document(packing, issuer, db.now(), actor.username)


def packing_slip_document(
    packing: PackingList, issuer: Party | None, at: datetime, by: str
) -> Document:
    order = packing.order
    lots = any(line.lots for line in packing.lines)
    columns = [DocColumn("SKU", 1.4), DocColumn("Product", 3.6, wrap=True)]
    if lots:
        columns.append(DocColumn("Lot / serial", 2.0, wrap=True))
    columns += [
        DocColumn("Qty", 0.7, Align.RIGHT),
        DocColumn("Unit", 0.7),
        DocColumn("Packed", 0.9, Align.CENTER, tick=True),
    ]
    rows = []
    for line in packing.lines:
        cells = [line.sku, line.name]
        if lots:
            cells.append(", ".join(f"{n} × {count(q)}" for n, q in line.lots))
        cells += [count(line.qty), line.unit, ""]
        rows.append(DocRow(tuple(cells)))
    units = sum(line.qty for line in packing.lines)
    fields = (
        ("Order", order.reference),
        ("Channel", order.channel.value.replace("_", " ")),
        ("Placed", when(order.created_at)),
        ("Status", order.status.value),
        ("Lines", count(len(packing.lines))),
        ("Units", count(units)),
    )
    return Document(
        kind="Packing slip",
        number=order.reference,
        barcode=code128(order.reference),
        issuer=issuer,
        fields=fields,
        parties=(),
        columns=tuple(columns),
        rows=tuple(rows),
        notes=("Please check the contents against this slip and tell us of anything missing.",),
        signatures=("Packed by",),
        generated_at=at,
        generated_by=by,
    )
