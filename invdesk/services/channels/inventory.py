"""Inventory for channels: pages of stock rows to sync from, one product's stock, replenishment.

Reads never write: holds past their expiry count as released here (the sweeper releases them),
so every read can run on a replica.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select, tuple_

from invdesk.db.engine import Database
from invdesk.db.tables import level_t, movement_t, product_t, warehouse_t
from invdesk.domain.channels import (
    InventoryPage,
    InventoryRow,
    ProductStock,
    WarehouseStock,
    decode_cursor,
    encode_cursor,
    page_size,
)
from invdesk.domain.stock import Line, MovementView, ReceiveStock
from invdesk.domain.tokens import Scope, TokenGrant
from invdesk.services.catalog.lookup import product_ref, warehouse_code, warehouse_ref
from invdesk.services.stock import operations
from invdesk.services.stock.availability import held, unsellable

_s, _p, _w = level_t.c, product_t.c, warehouse_t.c
_m = movement_t.c


def _last_change() -> Any:
    """When this stock row last moved: the time of its newest ledger row (by the ledger's index)."""
    return (
        select(_m.at)
        .where(_m.product_id == _s.product_id, _m.warehouse_id == _s.warehouse_id)
        .order_by(_m.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _rows(now: datetime, *, with_time: bool) -> Select[Any]:
    as_of = held(now)  # a hold past its expiry counts as released
    # A channel sells what may go out: expired lots and quarantine are on hand, not available.
    columns = [
        _p.sku,
        _p.name,
        _w.code,
        _s.on_hand,
        as_of.reserved.label("reserved"),
        as_of.available.label("held_available"),
        unsellable(now).label("unsellable"),
        _last_change().label("updated_at") if with_time else literal(None),
    ]
    return as_of.join(
        select(*columns)
        .select_from(level_t)
        .join(product_t, _p.id == _s.product_id)
        .join(warehouse_t, _w.id == _s.warehouse_id)
    )


def _visible(stmt: Select[Any], grant: TokenGrant) -> Select[Any]:
    return stmt if grant.warehouses is None else stmt.where(_w.code.in_(sorted(grant.warehouses)))


def inventory_page(
    db: Database,
    grant: TokenGrant,
    *,
    warehouse: str | None = None,
    sku_prefix: str | None = None,
    updated_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> InventoryPage:
    """Stock rows in (SKU, warehouse) order, a page at a time; `next_cursor` continues it.

    A channel syncs by asking for rows changed since its last sync (`updated_since`). Raises
    PermissionDenied (scope or warehouse) or ValidationError (limit, cursor).
    """
    grant.require(Scope.READ)
    width = page_size(limit)
    stmt = _visible(_rows(db.now(), with_time=True), grant)
    code = None
    if warehouse is not None:
        code = warehouse_code(warehouse)
        grant.require_warehouse(code)
    if sku_prefix:
        stmt = stmt.where(_p.sku.startswith(sku_prefix, autoescape=True))
    if updated_since is not None:
        changed = select(_m.product_id, _m.warehouse_id).where(_m.at >= updated_since).distinct()
        stmt = stmt.where(tuple_(_s.product_id, _s.warehouse_id).in_(changed))
    if cursor:
        stmt = stmt.where(tuple_(_p.sku, _w.code) > tuple_(*decode_cursor(cursor)))
    stmt = stmt.order_by(_p.sku, _w.code).limit(width + 1)
    with db.read(replica=True) as conn:
        if code is not None:
            stmt = stmt.where(
                _s.warehouse_id == warehouse_ref(conn, code).id
            )  # NotFound if unknown
        rows = conn.execute(stmt).all()
    items = tuple(_row(r) for r in rows[:width])
    after = encode_cursor(items[-1].sku, items[-1].warehouse) if len(rows) > width else None
    return InventoryPage(items, after)


def _available(r: Any) -> int:
    return max(0, int(r.held_available) - int(r.unsellable))


def _row(r: Any) -> InventoryRow:
    return InventoryRow(r.sku, r.name, r.code, r.on_hand, r.reserved, _available(r), r.updated_at)


def product_stock(db: Database, grant: TokenGrant, code: str) -> ProductStock:
    """One product (by SKU or any barcode) with its stock in each warehouse the token sees.

    Raises NotFound for an unknown code, PermissionDenied without the read scope.
    """
    grant.require(Scope.READ)
    return visible_stock(every_warehouse(db, code)[1], grant)


def every_warehouse(db: Database, code: str) -> tuple[int, ProductStock]:
    """A product's id and its stock in every warehouse (no token's limits applied; see
    visible_stock). Raises NotFound for an unknown code."""
    with db.read(replica=True) as conn:
        product = product_ref(conn, code, field="sku")
        stmt = _rows(db.now(), with_time=False)
        rows = conn.execute(stmt.where(_s.product_id == product.id).order_by(_w.code)).all()
    levels = tuple(WarehouseStock(r.code, r.on_hand, r.reserved, _available(r)) for r in rows)
    stock = ProductStock(product.sku, product.name, sum(w.available for w in levels), levels)
    return product.id, stock


def visible_stock(stock: ProductStock, grant: TokenGrant) -> ProductStock:
    """`stock` as `grant` may see it: only its warehouses, and their total available."""
    if grant.warehouses is None:
        return stock
    levels = tuple(w for w in stock.warehouses if grant.sees(w.warehouse))
    return ProductStock(stock.sku, stock.name, sum(w.available for w in levels), levels)


def replenish(
    db: Database,
    grant: TokenGrant,
    *,
    sku: str,
    warehouse: str,
    qty: object,
    reference: str | None = None,
    unit_cost: object = None,
    request_id: str | None = None,
) -> MovementView:
    """Receive stock into a warehouse as the token (a receipt in the ledger); a repeated request id
    returns the first movement. Raises PermissionDenied, NotFound or ValidationError."""
    grant.require(Scope.STOCK)
    code = warehouse_code(warehouse)
    grant.require_warehouse(code)
    cmd = ReceiveStock(
        code,
        (Line(sku, qty, unit_cost),),
        reference=reference,
        request_id=request_id,
    )
    return operations.receive(db, cmd, grant.actor).movements[0]
