"""Stock below the warehouse counter: per location and/or lot, read from the quants."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select

from invdesk.db.engine import Database
from invdesk.db.tables import location_t, lot_t, product_t, quant_t, warehouse_t
from invdesk.domain.locations import GrainInUse, QuantView
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import product_ref, warehouse_ref
from invdesk.services.reads.browse import stock_search


def stock_by_grain(
    db: Database,
    actor: Actor,
    *,
    by_location: bool,
    by_lot: bool,
    product: str | None = None,
    warehouse: str | None = None,
    include_empty: bool = False,
    search: str = "",
    limit: int | None = None,
) -> list[QuantView]:
    """Units on hand per product, warehouse and (as asked) location and lot, ordered by SKU,
    warehouse, location (the default location first) and expiry. A listing: it may come from the
    read replica, up to its lag bound behind. `search`: as the Stock page's (the start of a SKU
    or a name)."""
    require(actor, Permission.VIEW)
    q, p, w = quant_t.c, product_t.c, warehouse_t.c
    keys: list[Any] = [p.sku, p.name, p.unit, w.code]
    order: list[Any] = [p.sku, w.code]
    if by_location:
        keys.append(location_t.c.code.label("location"))
        order.append(location_t.c.code.is_not(None))  # the default location (NULL) first
        order.append(location_t.c.code)
    if by_lot:
        keys += [lot_t.c.number.label("lot"), lot_t.c.expiry]
        order += [lot_t.c.expiry.is_(None), lot_t.c.expiry, lot_t.c.number]
    on_hand = func.sum(q.on_hand).label("on_hand")
    stmt = (
        select(*keys, on_hand)
        .select_from(quant_t)
        .join(product_t, p.id == q.product_id)
        .join(warehouse_t, w.id == q.warehouse_id)
        .outerjoin(location_t, location_t.c.id == q.location_id)
        .outerjoin(lot_t, lot_t.c.id == q.lot_id)
        .group_by(*keys)
        .order_by(*order)
    )
    if not include_empty:
        stmt = stmt.having(func.sum(q.on_hand) > 0)
    with db.read(replica=True) as conn:
        if product is not None:
            stmt = stmt.where(q.product_id == product_ref(conn, product).id)
        if warehouse is not None:
            stmt = stmt.where(q.warehouse_id == warehouse_ref(conn, warehouse).id)
        found = stock_search(conn, search)
        if found is not None:
            stmt = stmt.where(found)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            QuantView(
                sku=r.sku,
                product_name=r.name,
                warehouse=r.code,
                location=r.location if by_location else None,
                lot=r.lot if by_lot else None,
                expiry=r.expiry if by_lot else None,
                on_hand=int(r.on_hand),
                unit=r.unit,
            )
            for r in conn.execute(stmt)
        ]


def grain_in_use(db: Database, actor: Actor, warehouse: str) -> GrainInUse:
    """Whether a warehouse has any location and any lot on hand: a shop without either sees
    the stock page it always saw."""
    require(actor, Permission.VIEW)
    q = quant_t.c
    with db.read(replica=True) as conn:
        wid = warehouse_ref(conn, warehouse).id
        row = conn.execute(
            select(
                exists().where(location_t.c.warehouse_id == wid),
                exists().where(q.warehouse_id == wid, q.lot_id.is_not(None), q.on_hand > 0),
            )
        ).one()
    return GrainInUse(bool(row[0]), bool(row[1]))
