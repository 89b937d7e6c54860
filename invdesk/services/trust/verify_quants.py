"""The integrity check of the stock grain: each quant adds up to its ledger rows."""

from __future__ import annotations

from sqlalchemy import Connection, func, literal, select, union_all

from invdesk.db.tables import (
    location_t,
    lot_t,
    movement_t,
    product_t,
    quant_t,
    warehouse_t,
)
from invdesk.services.trust import seals
from invdesk.services.trust.verify_trails import Findings


def check_quants(conn: Connection, findings: Findings) -> None:
    """Each quant is the sum of the ledger rows naming its location and lot (NULL: the default
    location; no lot). With the counters checked against the ledger's totals (verify), the
    quants then add up to the counters too; a counter changed behind the ledger's back is one
    finding, not two. Streams its answers."""
    _against_ledger(conn, findings)


def _against_ledger(conn: Connection, findings: Findings) -> None:
    q, m = quant_t.c, movement_t.c
    zero = literal(0)
    location = func.coalesce(q.location_id, 0)
    lot = func.coalesce(q.lot_id, 0)
    m_location = func.coalesce(m.location_id, 0)
    m_lot = func.coalesce(m.lot_id, 0)
    parts = union_all(
        select(
            q.product_id,
            q.warehouse_id,
            location.label("location_id"),
            lot.label("lot_id"),
            q.on_hand.label("held"),
            zero.label("moved"),
        ),
        select(m.product_id, m.warehouse_id, m_location, m_lot, zero, func.sum(m.qty)).group_by(
            m.product_id, m.warehouse_id, m_location, m_lot
        ),
    ).subquery()
    p = parts.c
    totals = (
        select(
            p.product_id,
            p.warehouse_id,
            p.location_id,
            p.lot_id,
            func.sum(p.held).label("held"),
            func.sum(p.moved).label("moved"),
        )
        .group_by(p.product_id, p.warehouse_id, p.location_id, p.lot_id)
        .subquery()
    )
    t = totals.c
    stmt = (
        select(
            product_t.c.sku,
            warehouse_t.c.code,
            location_t.c.code.label("location"),
            lot_t.c.number.label("lot"),
            t.held,
            t.moved,
        )
        .join(product_t, product_t.c.id == t.product_id)
        .join(warehouse_t, warehouse_t.c.id == t.warehouse_id)
        .outerjoin(location_t, location_t.c.id == t.location_id)
        .outerjoin(lot_t, lot_t.c.id == t.lot_id)
        .where(t.held != t.moved)
        .order_by(product_t.c.sku, warehouse_t.c.code)
    )
    for row in seals.stream(conn, stmt):
        where = row.location or "default location"
        which = "" if row.lot is None else f", lot {row.lot}"
        findings.add(
            "quants",
            f"{row.sku} in {row.code} ({where}{which})",
            f"holds {int(row.held):,} but the ledger rows naming it add up to {int(row.moved):,}",
        )
