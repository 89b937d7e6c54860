"""Paged, sorted and filtered reads for the browsing screens: products, stock and warehouses.

Every list is sorted in SQL by a unique key (the sort column, then ids) and read one page at a
time, either by keyset (rows after the last one shown) or by an offset counted from whichever
end is nearer, so the first and the last page of a million rows cost the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    bindparam,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
    union,
)

from invdesk.db.engine import Database
from invdesk.db.tables import (
    barcode_t,
    category_t,
    level_t,
    movement_t,
    product_t,
    reservation_t,
    warehouse_t,
)
from invdesk.domain.browse import (
    DashboardSummary,
    Key,
    Page,
    PageRequest,
    ProductMatch,
    ProductQuery,
    ProductRow,
    ProductSort,
    StockQuery,
    StockRow,
    StockSort,
    WarehouseTotals,
)
from invdesk.domain.errors import NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import LedgerFilter, ReservationStatus
from invdesk.domain.validation import from_minor
from invdesk.services.catalog import policy_lookup
from invdesk.services.catalog.lookup import product_ref
from invdesk.services.reads import queries
from invdesk.services.reads.on_order import on_order
from invdesk.services.stock.availability import Held, held

MAX_PAGE = 1000
SEARCH_MAX = 64
_TOP = "\U0010ffff"  # sorts after every character: [p, p + _TOP) holds every text starting with p


def _starts_with(column: ColumnElement[Any], prefix: str, dialect: str) -> ColumnElement[bool]:
    """An index-friendly prefix test: LIKE on PostgreSQL (pattern_ops index), a range on SQLite."""
    if dialect == "postgresql":
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(escaped + "%")
    return (column >= prefix) & (column < prefix + _TOP)


def _paged(
    stmt: Select[Any], order: Sequence[ColumnElement[Any]], descending: bool, req: PageRequest
) -> tuple[Select[Any], bool]:
    """`stmt` limited to the requested page; True when its rows come back in reverse."""
    backwards = req.from_end or req.before is not None
    desc = descending != backwards
    anchor = req.before if req.before is not None else req.after
    if anchor is not None:
        values = [bindparam(None, v, type_=c.type) for c, v in zip(order, anchor, strict=True)]
        key, at = tuple_(*order), tuple_(*values)
        stmt = stmt.where(key < at if desc else key > at)
    stmt = stmt.add_columns(*(c.label(f"_k{i}") for i, c in enumerate(order)))
    stmt = stmt.order_by(*(c.desc() if desc else c.asc() for c in order))
    return stmt.limit(max(1, min(req.limit, MAX_PAGE))).offset(max(0, req.offset)), backwards


def _page[T](rows: Sequence[Any], width: int, backwards: bool, make: Callable[[Any], T]) -> Page[T]:
    ordered = list(reversed(rows)) if backwards else list(rows)
    keys: list[Key] = [tuple(row._mapping[f"_k{i}"] for i in range(width)) for row in ordered]
    return Page(tuple(make(row) for row in ordered), tuple(keys))


def _search_text(text: str) -> str:
    return text.strip()[:SEARCH_MAX]


# Products ---------------------------------------------------------------------------------------

_p = product_t.c
_PRODUCT_ORDER: dict[ProductSort, list[ColumnElement[Any]]] = {
    ProductSort.SKU: [_p.sku, _p.id],
    ProductSort.NAME: [_p.name, _p.id],
    ProductSort.PRICE: [_p.price, _p.id],
}


def _product_filter(conn: Any, q: ProductQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not q.include_inactive:
        where.append(_p.active.is_(True))
    if q.category:
        category_id = conn.execute(
            select(category_t.c.id).where(category_t.c.name == q.category)
        ).scalar()
        if category_id is None:
            raise NotFound(f"No category is named “{q.category}”.", field="category")
        where.append(_p.category_id == category_id)
    term = _search_text(q.search)
    if term:
        dialect = conn.dialect.name
        # A UNION of three index look-ups: an OR across tables would scan every product.
        matches = union(
            select(_p.id).where(_starts_with(_p.sku_key, term.lower(), dialect)),
            select(_p.id).where(_starts_with(_p.name_key, term.lower(), dialect)),
            select(barcode_t.c.product_id).where(_starts_with(barcode_t.c.code, term, dialect)),
        )
        where.append(_p.id.in_(matches))
    return where


def count_products(db: Database, actor: Actor, q: ProductQuery) -> int:
    """How many products match `q`. Raises NotFound for an unknown category."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        stmt = select(func.count()).select_from(product_t).where(*_product_filter(conn, q))
        return int(conn.execute(stmt).scalar_one())


def _product_select(conn: Any, q: ProductQuery) -> Select[Any]:
    """The columns of a products page: the unit barcode and total stock beside the product."""
    # The code of one unit (the first one added), never a case code that counts a whole case.
    barcode = (
        select(barcode_t.c.code)
        .where(barcode_t.c.product_id == _p.id, barcode_t.c.pack_qty == 1)
        .order_by(barcode_t.c.id)
        .limit(1)
        .scalar_subquery()
    )
    on_hand = (
        select(func.coalesce(func.sum(level_t.c.on_hand), 0))
        .where(level_t.c.product_id == _p.id)
        .scalar_subquery()
    )
    return (
        select(
            _p.id, _p.sku, _p.name, category_t.c.name.label("category"), _p.unit, _p.price,
            _p.cost, _p.active, barcode.label("barcode"), on_hand.label("on_hand"),
        )
        .join(category_t, category_t.c.id == _p.category_id)
        .where(*_product_filter(conn, q))
    )  # fmt: skip


def product_page(db: Database, actor: Actor, q: ProductQuery, req: PageRequest) -> Page[ProductRow]:
    """One page of the products matching `q`, in its sort order, with a barcode and total stock."""
    require(actor, Permission.VIEW)
    order = _PRODUCT_ORDER[q.sort]
    with db.read() as conn:
        stmt, backwards = _paged(_product_select(conn, q), order, q.descending, req)
        rows = conn.execute(stmt).all()
    return _page(rows, len(order), backwards, _product_row)


def product_rows(
    db: Database, actor: Actor, q: ProductQuery, ids: Sequence[int]
) -> Page[ProductRow]:
    """The products among `ids` that still match `q`, as a page would show them, with their sort
    keys (in sort order): what a live update re-reads for the rows on screen."""
    require(actor, Permission.VIEW)
    wanted = sorted({int(i) for i in ids})[:MAX_PAGE]
    if not wanted:
        return Page((), ())
    order = _PRODUCT_ORDER[q.sort]
    with db.read() as conn:
        stmt = _product_select(conn, q).where(_p.id.in_(wanted))
        stmt, backwards = _paged(stmt, order, q.descending, PageRequest(limit=MAX_PAGE))
        rows = conn.execute(stmt).all()
    return _page(rows, len(order), backwards, _product_row)


def _product_row(r: Any) -> ProductRow:
    return ProductRow(
        r.id, r.sku, r.name, r.category, r.unit, r.price, r.cost, r.active, r.barcode,
        int(r.on_hand),
    )  # fmt: skip


def find_product(db: Database, actor: Actor, code: str) -> ProductMatch:
    """The product a scanned or typed SKU or barcode names. Raises NotFound, ValidationError."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        ref = product_ref(conn, code.strip(), field="code")
        by_barcode = ref.sku != code.strip()
    return ProductMatch(ref.sku, ref.name, ref.active, ref.pack_qty, by_barcode)


# Stock levels -----------------------------------------------------------------------------------

_s = level_t.c
_w = warehouse_t.c


def _stock_order(sort: StockSort, as_of: Held) -> list[ColumnElement[Any]]:
    """The unique sort key of a stock page; reserved and available count overdue holds released."""
    orders: dict[StockSort, list[ColumnElement[Any]]] = {
        StockSort.SKU: [_p.sku, _w.code],
        StockSort.NAME: [_p.name, _p.id, _w.code],
        StockSort.WAREHOUSE: [_w.code, _p.sku],
        StockSort.ON_HAND: [_s.on_hand, _p.sku, _w.code],
        StockSort.RESERVED: [as_of.reserved, _p.sku, _w.code],
        StockSort.AVAILABLE: [as_of.available, _p.sku, _w.code],
    }
    return orders[sort]


def _stock_select(conn: Any, q: StockQuery, *columns: Any) -> Select[Any]:
    stmt = (
        select(*columns)
        .select_from(level_t)
        .join(product_t, _p.id == _s.product_id)
        .join(warehouse_t, _w.id == _s.warehouse_id)
    )
    if not q.include_empty:
        stmt = stmt.where(_s.on_hand > 0)
    if q.warehouse:
        stmt = stmt.where(_w.code == q.warehouse.strip().upper())
    found = stock_search(conn, q.search)
    return stmt if found is None else stmt.where(found)


def stock_search(conn: Any, text: str) -> ColumnElement[bool] | None:
    """The Stock page's search: the start of a SKU or a name (None for no search text)."""
    term = _search_text(text)
    if not term:
        return None
    dialect = conn.dialect.name
    return or_(
        _starts_with(_p.sku_key, term.lower(), dialect),
        _starts_with(_p.name_key, term.lower(), dialect),
    )


def count_stock(db: Database, actor: Actor, q: StockQuery) -> int:
    require(actor, Permission.VIEW)
    with db.read() as conn:
        return int(conn.execute(_stock_select(conn, q, func.count())).scalar_one())


def _stock_page_select(conn: Any, q: StockQuery, as_of: Held) -> Select[Any]:
    """The columns of a stock page, with overdue holds counted as released."""
    return as_of.join(
        _stock_select(
            conn, q, _p.sku, _p.name, _w.code, _p.unit, _s.on_hand,
            as_of.reserved.label("reserved"), _s.avg_cost, _s.product_id, _s.warehouse_id,
            _p.category_id,
        )
    )  # fmt: skip


def _stock_rows(
    db: Database, conn: Connection, rows: Sequence[Any], width: int, backwards: bool
) -> Page[StockRow]:
    points = reorder_points(conn, rows, db.now())
    ordered = on_order(conn, keys=[(r.product_id, r.warehouse_id) for r in rows])
    return _page(
        rows,
        width,
        backwards,
        lambda r: StockRow(
            r.sku, r.name, r.code, r.unit, r.on_hand, r.reserved, r.avg_cost,
            points.get((r.sku, r.code)), r.product_id, r.warehouse_id,
            ordered.get((r.product_id, r.warehouse_id), 0),
        ),
    )  # fmt: skip


def stock_page(db: Database, actor: Actor, q: StockQuery, req: PageRequest) -> Page[StockRow]:
    """One page of stock per product and warehouse, with available and the reorder point."""
    require(actor, Permission.VIEW)
    as_of = held(db.now())
    order = _stock_order(q.sort, as_of)
    with db.read() as conn:
        stmt, backwards = _paged(_stock_page_select(conn, q, as_of), order, q.descending, req)
        rows = conn.execute(stmt).all()
        return _stock_rows(db, conn, rows, len(order), backwards)


def stock_rows(
    db: Database,
    actor: Actor,
    q: StockQuery,
    levels: Sequence[tuple[int, int]] = (),
    products: Sequence[int] = (),
) -> Page[StockRow]:
    """The stock rows named by (product id, warehouse id) in `levels`, or of a product in
    `products`, that still match `q`: the columns and sort keys of `stock_page`, in sort order.
    What a live update re-reads for the rows on screen."""
    require(actor, Permission.VIEW)
    pairs = sorted({(int(p), int(w)) for p, w in levels})[:MAX_PAGE]
    product_ids = sorted({int(p) for p in products})[:MAX_PAGE]
    if not pairs and not product_ids:
        return Page((), ())
    named: list[ColumnElement[bool]] = []
    if pairs:
        named.append(tuple_(_s.product_id, _s.warehouse_id).in_(pairs))
    if product_ids:
        named.append(_s.product_id.in_(product_ids))
    as_of = held(db.now())
    order = _stock_order(q.sort, as_of)
    with db.read() as conn:
        stmt = _stock_page_select(conn, q, as_of).where(or_(*named))
        stmt, backwards = _paged(stmt, order, q.descending, PageRequest(limit=MAX_PAGE))
        rows = conn.execute(stmt).all()
        return _stock_rows(db, conn, rows, len(order), backwards)


def reorder_points(
    conn: Connection, rows: Sequence[Any], now: datetime
) -> dict[tuple[str, str], int]:
    """The threshold of the restock policy that applies to each (SKU, warehouse) of a page.

    Rows without a policy have none; a days-of-cover policy's threshold follows recent demand.
    """
    found = policy_lookup.thresholds(
        conn,
        (
            policy_lookup.RowStock(
                r.product_id, r.warehouse_id, r.category_id, r.on_hand - r.reserved
            )
            for r in rows
        ),
        now,
    )
    return {
        (r.sku, r.code): found[(r.product_id, r.warehouse_id)].need.threshold
        for r in rows
        if (r.product_id, r.warehouse_id) in found
    }


# Warehouses and the dashboard -------------------------------------------------------------------


def _value(on_hand: Any, avg_cost: Any) -> Any:
    return func.coalesce(func.sum(on_hand * type_coerce(avg_cost, BigInteger)), 0)


def warehouse_totals(db: Database, actor: Actor) -> list[WarehouseTotals]:
    """Every warehouse with its stocked products, units on hand and reserved, and stock value."""
    require(actor, Permission.VIEW)
    as_of = held(db.now())
    totals = (
        as_of.join(
            select(
                _s.warehouse_id,
                func.count().filter(_s.on_hand > 0).label("products"),
                func.coalesce(func.sum(_s.on_hand), 0).label("units"),
                func.coalesce(func.sum(as_of.reserved), 0).label("reserved"),
                _value(_s.on_hand, _s.avg_cost).label("value"),
            ).select_from(level_t)
        )
        .group_by(_s.warehouse_id)
        .subquery()
    )
    stmt = (
        select(_w.code, _w.name, _w.address, _w.active, totals)
        .outerjoin(totals, totals.c.warehouse_id == _w.id)
        .order_by(_w.code)
    )
    with db.read() as conn:
        return [
            WarehouseTotals(
                r.code, r.name, r.address, r.active, int(r.products or 0), int(r.units or 0),
                int(r.reserved or 0), from_minor(int(r.value or 0)),
            )
            for r in conn.execute(stmt)
        ]  # fmt: skip


def dashboard(db: Database, actor: Actor, recent: int = 12) -> DashboardSummary:
    """Headline figures for the dashboard and the latest ledger rows."""
    require(actor, Permission.VIEW)
    now = db.now()
    with db.read() as conn:

        def scalar(stmt: Any) -> int:
            return int(conn.execute(stmt).scalar() or 0)

        products = scalar(select(func.count()).where(_p.active.is_(True)))
        warehouses = scalar(select(func.count()).where(_w.active.is_(True)))
        units = scalar(select(func.coalesce(func.sum(_s.on_hand), 0)))
        value = scalar(select(_value(_s.on_hand, _s.avg_cost)))
        today = scalar(select(func.count()).where(movement_t.c.at >= now - timedelta(days=1)))
        # Holds past their expiry are released as far as any read is concerned (availability).
        holds = scalar(
            select(func.count()).where(
                reservation_t.c.status == ReservationStatus.ACTIVE.value,
                reservation_t.c.expires_at > now,
            )
        )
        stocked = select(_s.product_id).where(_s.on_hand > 0)
        out = scalar(
            select(func.count()).where(
                _p.active.is_(True),
                _p.id.in_(select(_s.product_id)),
                _p.id.not_in(stocked),
            )
        )
    latest = queries.history(db, actor, LedgerFilter(limit=recent))
    return DashboardSummary(
        products, warehouses, units, from_minor(value), today, holds, out, tuple(latest), now
    )


def is_empty(db: Database, actor: Actor) -> bool:
    """True for a database without products or warehouses (a first run: offer the demo data)."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        has_product = conn.execute(select(_p.id).limit(1)).first() is not None
        has_warehouse = conn.execute(select(_w.id).limit(1)).first() is not None
    return not (has_product or has_warehouse)
