"""Read-side queries: stock levels with availability, and the ledger with filters."""

from __future__ import annotations

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import level_t, movement_t, product_t, warehouse_t
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import LedgerFilter, MovementView, StockLevelView
from invdesk.services.catalog.lookup import product_ref, warehouse_ref
from invdesk.services.reads.on_order import on_order
from invdesk.services.stock import ledger
from invdesk.services.stock.availability import held


def stock_levels(
    db: Database,
    actor: Actor,
    *,
    product: str | None = None,
    warehouse: str | None = None,
    include_empty: bool = False,
    limit: int | None = None,
) -> list[StockLevelView]:
    """Stock per product and warehouse (available = on hand - reserved), ordered by SKU.

    A hold past its expiry counts as released (availability.held), whether or not the sweeper
    has released it yet; the read writes nothing. A listing: it may come from the read replica,
    up to its lag bound behind.
    """
    require(actor, Permission.VIEW)
    s = level_t.c
    as_of = held(db.now())
    stmt = as_of.join(
        select(
            product_t.c.sku,
            product_t.c.name,
            product_t.c.unit,
            warehouse_t.c.code,
            s.on_hand,
            as_of.reserved.label("reserved"),
            s.avg_cost,
            s.product_id,
            s.warehouse_id,
        )
        .select_from(level_t)
        .join(product_t, product_t.c.id == s.product_id)
        .join(warehouse_t, warehouse_t.c.id == s.warehouse_id)
        .order_by(product_t.c.sku, warehouse_t.c.code)
    )
    if not include_empty:
        stmt = stmt.where(s.on_hand > 0)
    with db.read(replica=True) as conn:
        only = None
        if product is not None:
            stmt = stmt.where(s.product_id == product_ref(conn, product).id)
        if warehouse is not None:
            only = warehouse_ref(conn, warehouse).id
            stmt = stmt.where(s.warehouse_id == only)
        if limit is not None:
            stmt = stmt.limit(limit)
        ordered = on_order(conn, warehouse_id=only)
        return [
            StockLevelView(
                sku=r.sku,
                product_name=r.name,
                warehouse=r.code,
                on_hand=r.on_hand,
                reserved=r.reserved,
                avg_cost=r.avg_cost,
                unit=r.unit,
                on_order=ordered.get((r.product_id, r.warehouse_id), 0),
            )
            for r in conn.execute(stmt)
        ]


def history(db: Database, actor: Actor, flt: LedgerFilter) -> list[MovementView]:
    """Ledger rows, newest first, filtered by product, warehouse, kinds and time; keyset-paged by id."""
    require(actor, Permission.VIEW)
    m = movement_t.c
    stmt = ledger.select_views().order_by(m.id.desc()).limit(max(1, min(flt.limit, 100_000)))
    with db.read() as conn:
        if flt.product is not None:
            stmt = stmt.where(m.product_id == product_ref(conn, flt.product).id)
        if flt.warehouse is not None:
            stmt = stmt.where(m.warehouse_id == warehouse_ref(conn, flt.warehouse).id)
        if flt.kinds:
            stmt = stmt.where(m.kind.in_([k.value for k in flt.kinds]))
        if flt.since is not None:
            stmt = stmt.where(m.at >= flt.since)
        if flt.until is not None:
            stmt = stmt.where(m.at < flt.until)
        if flt.before_id is not None:
            stmt = stmt.where(m.id < flt.before_id)
        return [ledger.to_view(row) for row in conn.execute(stmt)]
