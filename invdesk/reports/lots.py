"""The "Lot trace" sheet: every ledger row that named a lot or serial in the period, with the
order whose fulfilment took it, sorted by product and lot: a recall in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from invdesk.db.tables import (
    location_t,
    lot_t,
    movement_t,
    order_line_t,
    order_t,
    product_t,
    warehouse_t,
)
from invdesk.reports.data import scoped, stream
from invdesk.reports.excel import Column, Kind, Sheet
from invdesk.reports.filters import Scope

C = Column
m, p, w, lot = movement_t.c, product_t.c, warehouse_t.c, lot_t.c


def lot_trace_rows(conn: Connection, scope: Scope) -> Iterator[list[Any]]:
    """SKU, product, lot, serial?, expiry, when, kind, warehouse, location, qty, order, ref, user."""
    stmt = scoped(
        select(
            p.sku, p.name, lot.number, lot.serial, lot.expiry, m.at, m.kind, w.code,
            location_t.c.code, m.qty, order_t.c.reference.label("order"), m.reference, m.user,
        )
        .join(lot_t, lot.id == m.lot_id)
        .join(product_t, p.id == m.product_id)
        .join(warehouse_t, w.id == m.warehouse_id)
        .outerjoin(location_t, location_t.c.id == m.location_id)
        # A committed hold's rows name their reservation, which an order line names in turn.
        .outerjoin(order_line_t, order_line_t.c.reservation_id == m.reservation_id)
        .outerjoin(order_t, order_t.c.id == order_line_t.c.order_id)
        .where(m.lot_id.is_not(None))
        .order_by(p.sku, lot.number, m.id),
        scope,
        period=True,
    )  # fmt: skip
    for row in stream(conn, stmt):
        values = list(row)
        values[3] = "serial" if values[3] else "lot"
        yield values


def lot_trace(conn: Connection, scope: Scope) -> list[Sheet]:
    columns = [
        C("sku", "SKU", width=16),
        C("name", "Product", width=30),
        C("lot", "Lot / serial", width=16),
        C("what", "Is a", width=8),
        C("expiry", "Expiry", Kind.DATE, 12),
        C("at", "When (UTC)", Kind.DATETIME),
        C("kind", "Kind", width=13),
        C("warehouse", "Warehouse", width=11),
        C("location", "Location", width=11),
        C("qty", "Qty", Kind.INT, 9),
        C("order", "Order", width=16),
        C("reference", "Reference", width=16),
        C("user", "User", width=12),
    ]
    notes = ("Every movement of every lot and serial in the period; Order: the sales order "
             "whose fulfilment took it.",)  # fmt: skip
    return [Sheet("Lot trace", "Lot trace", columns, lot_trace_rows(conn, scope), notes=notes)]
