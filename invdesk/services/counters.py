"""The stock hot path: single conditional Core statements on stock_level (DESIGN.md section 4).

Each function is one statement whose WHERE clause carries the rule, so concurrent clerks can never
take the same unit twice: no row back means the rule did not hold at the moment of the update.

The statements are built once, here, with bind parameters, and run as `Direct` statements on the
driver's cursor: building or even executing a Core statement per call cost more client CPU than the
database spent running it. The same SQL text every time also lets psycopg prepare it server-side.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Connection,
    bindparam,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from invdesk.db.direct import Direct
from invdesk.db.models import StockLevel, table_of
from invdesk.domain.validation import MAX_ON_HAND

level_t = table_of(StockLevel)
_c = level_t.c
# avg_cost is Money in Python; in these statements it is handled as its stored integer.
_avg = type_coerce(_c.avg_cost, BigInteger)


class Level(NamedTuple):
    on_hand: int
    reserved: int
    avg_cost_minor: int


_RETURNING = (_c.on_hand, _c.reserved, _avg.label("avg_cost_minor"))


def _p(name: str) -> BindParameter[int]:
    return bindparam(name, type_=BigInteger)


_KEY = (_c.product_id == _p("pid"), _c.warehouse_id == _p("wid"))
_AVAILABLE = _c.on_hand - _c.reserved >= _p("qty")

_TAKE = Direct(
    update(level_t)
    .where(*_KEY, _AVAILABLE)
    .values(on_hand=_c.on_hand - _p("qty"))
    .returning(*_RETURNING)
)
_HOLD = Direct(
    update(level_t)
    .where(*_KEY, _AVAILABLE)
    .values(reserved=_c.reserved + _p("qty"))
    .returning(*_RETURNING)
)
_UNHOLD = Direct(
    update(level_t)
    .where(*_KEY, _c.reserved >= _p("qty"))
    .values(reserved=_c.reserved - _p("qty"))
    .returning(*_RETURNING)
)
_UNHOLD_CONSUME = Direct(
    update(level_t)
    .where(*_KEY, _c.reserved >= _p("qty"))
    .values(reserved=_c.reserved - _p("qty"), on_hand=_c.on_hand - _p("qty"))
    .returning(*_RETURNING)
)
_SET_ON_HAND = Direct(
    update(level_t).where(*_KEY).values(on_hand=_p("counted")).returning(*_RETURNING)
)
_READ = Direct(select(*_RETURNING).where(*_KEY))
_LOCK = Direct(select(*_RETURNING).where(*_KEY).with_for_update())


def _put_statements(insert: Any) -> tuple[Direct, Direct, Direct]:
    """(put without a cost, put with a cost, ensure) for one dialect's INSERT ... ON CONFLICT."""
    q = _p("put_qty")
    base = insert(level_t).values(
        product_id=_p("pid"),
        warehouse_id=_p("wid"),
        on_hand=q,
        reserved=0,
        avg_cost=type_coerce(_p("put_first"), BigInteger),
    )
    cost = _p("put_cost")
    # Rounded integer mean of the old stock at its average and the new units at their cost.
    moved_avg = (_c.on_hand * _avg + q * cost + (_c.on_hand + q) // 2) // (_c.on_hand + q)
    index = [_c.product_id, _c.warehouse_id]
    within = _c.on_hand + q <= MAX_ON_HAND

    def upsert(new_avg: ColumnElement[int]) -> Direct:
        stmt = base.on_conflict_do_update(
            index_elements=index,
            set_={"on_hand": _c.on_hand + q, "avg_cost": new_avg},
            where=within,
        ).returning(*_RETURNING)
        return Direct(stmt)

    ensure = (
        insert(level_t)
        .values(
            product_id=_p("pid"),
            warehouse_id=_p("wid"),
            on_hand=0,
            reserved=0,
            avg_cost=type_coerce(_p("ens_cost"), BigInteger),
        )
        .on_conflict_do_nothing(index_elements=index)
    )
    return upsert(_avg), upsert(moved_avg), Direct(ensure)


_PUT = {"postgresql": _put_statements(postgresql.insert), "sqlite": _put_statements(sqlite.insert)}


def _row(conn: Connection, stmt: Direct, params: dict[str, int]) -> Level | None:
    row = stmt.first(conn, params)
    return None if row is None else Level(*row)


def take(conn: Connection, product_id: int, warehouse_id: int, qty: int) -> Level | None:
    """Remove qty from on hand if that many are available (not reserved); None if not."""
    row = _TAKE.first(conn, {"pid": product_id, "wid": warehouse_id, "qty": qty})
    return None if row is None else Level(*row)


def put(
    conn: Connection,
    product_id: int,
    warehouse_id: int,
    qty: int,
    cost_minor: int | None,
    initial_cost_minor: int,
) -> Level | None:
    """Add qty to on hand, creating the row; a cost moves the average. None if over MAX_ON_HAND."""
    plain, costed, _ensure = _PUT[conn.dialect.name]
    params = {"pid": product_id, "wid": warehouse_id, "put_qty": qty}
    if cost_minor is None:
        params["put_first"] = initial_cost_minor
        row = plain.first(conn, params)
    else:
        params["put_first"] = params["put_cost"] = cost_minor
        row = costed.first(conn, params)
    return None if row is None else Level(*row)


def hold(conn: Connection, product_id: int, warehouse_id: int, qty: int) -> Level | None:
    """Reserve qty if that many are available; None if not."""
    return _row(conn, _HOLD, {"pid": product_id, "wid": warehouse_id, "qty": qty})


def unhold(
    conn: Connection, product_id: int, warehouse_id: int, qty: int, *, consume: bool
) -> Level:
    """Drop a hold of qty; with consume=True the held units also leave on hand (a committed sale)."""
    stmt = _UNHOLD_CONSUME if consume else _UNHOLD
    level = _row(conn, stmt, {"pid": product_id, "wid": warehouse_id, "qty": qty})
    if level is None:
        raise AssertionError(f"reserved counter below a live hold ({product_id}, {warehouse_id})")
    return level


def ensure(conn: Connection, product_id: int, warehouse_id: int, initial_cost_minor: int) -> None:
    _PUT[conn.dialect.name][2].run(
        conn, {"pid": product_id, "wid": warehouse_id, "ens_cost": initial_cost_minor}
    )


def lock(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    """Read a row and lock it against other writers until commit (PostgreSQL; SQLite is locked whole)."""
    return _row(conn, _LOCK, {"pid": product_id, "wid": warehouse_id})


def read(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    return _row(conn, _READ, {"pid": product_id, "wid": warehouse_id})


def set_on_hand(conn: Connection, product_id: int, warehouse_id: int, counted: int) -> Level:
    level = _row(conn, _SET_ON_HAND, {"pid": product_id, "wid": warehouse_id, "counted": counted})
    assert level is not None
    return level
