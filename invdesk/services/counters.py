"""The stock hot path: single conditional Core statements on stock_level (DESIGN.md section 4).

Each function is one statement whose WHERE clause carries the rule, so concurrent clerks can never
take the same unit twice: no row back means the rule did not hold at the moment of the update.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import BigInteger, ColumnElement, Connection, bindparam, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite

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


def _key(product_id: int, warehouse_id: int) -> tuple[ColumnElement[bool], ...]:
    return (_c.product_id == product_id, _c.warehouse_id == warehouse_id)


def _row(conn: Connection, stmt: object) -> Level | None:
    row = conn.execute(stmt).first()  # type: ignore[call-overload]
    return None if row is None else Level(row.on_hand, row.reserved, row.avg_cost_minor)


def take(conn: Connection, product_id: int, warehouse_id: int, qty: int) -> Level | None:
    """Remove qty from on hand if that many are available (not reserved); None if not."""
    stmt = (
        update(level_t)
        .where(*_key(product_id, warehouse_id), _c.on_hand - _c.reserved >= qty)
        .values(on_hand=_c.on_hand - qty)
        .returning(*_RETURNING)
    )
    return _row(conn, stmt)


def put(
    conn: Connection,
    product_id: int,
    warehouse_id: int,
    qty: int,
    cost_minor: int | None,
    initial_cost_minor: int,
) -> Level | None:
    """Add qty to on hand, creating the row; a cost moves the average. None if over MAX_ON_HAND."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    q = bindparam("put_qty", qty, type_=BigInteger)
    new_avg: ColumnElement[int]
    if cost_minor is None:
        new_avg = _avg
    else:
        cost = bindparam("put_cost", cost_minor, type_=BigInteger)
        # Rounded integer mean of the old stock at its average and the new units at their cost.
        new_avg = (_c.on_hand * _avg + q * cost + (_c.on_hand + q) // 2) // (_c.on_hand + q)
    first_cost = initial_cost_minor if cost_minor is None else cost_minor
    base = insert(level_t).values(
        product_id=product_id,
        warehouse_id=warehouse_id,
        on_hand=qty,
        reserved=0,
        avg_cost=type_coerce(bindparam("put_first", first_cost, type_=BigInteger), BigInteger),
    )
    stmt = base.on_conflict_do_update(
        index_elements=[_c.product_id, _c.warehouse_id],
        set_={"on_hand": _c.on_hand + q, "avg_cost": new_avg},
        where=_c.on_hand + q <= MAX_ON_HAND,
    ).returning(*_RETURNING)
    return _row(conn, stmt)


def hold(conn: Connection, product_id: int, warehouse_id: int, qty: int) -> Level | None:
    """Reserve qty if that many are available; None if not."""
    stmt = (
        update(level_t)
        .where(*_key(product_id, warehouse_id), _c.on_hand - _c.reserved >= qty)
        .values(reserved=_c.reserved + qty)
        .returning(*_RETURNING)
    )
    return _row(conn, stmt)


def unhold(
    conn: Connection, product_id: int, warehouse_id: int, qty: int, *, consume: bool
) -> Level:
    """Drop a hold of qty; with consume=True the held units also leave on hand (a committed sale)."""
    values = {"reserved": _c.reserved - qty}
    if consume:
        values["on_hand"] = _c.on_hand - qty
    stmt = (
        update(level_t)
        .where(*_key(product_id, warehouse_id), _c.reserved >= qty)
        .values(**values)
        .returning(*_RETURNING)
    )
    level = _row(conn, stmt)
    if level is None:
        raise AssertionError(f"reserved counter below a live hold ({product_id}, {warehouse_id})")
    return level


def ensure(conn: Connection, product_id: int, warehouse_id: int, initial_cost_minor: int) -> None:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        insert(level_t)
        .values(
            product_id=product_id,
            warehouse_id=warehouse_id,
            on_hand=0,
            reserved=0,
            avg_cost=type_coerce(
                bindparam("ens_cost", initial_cost_minor, type_=BigInteger), BigInteger
            ),
        )
        .on_conflict_do_nothing(index_elements=[_c.product_id, _c.warehouse_id])
    )


def lock(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    """Read a row and lock it against other writers until commit (PostgreSQL; SQLite is locked whole)."""
    stmt = select(*_RETURNING).where(*_key(product_id, warehouse_id)).with_for_update()
    return _row(conn, stmt)


def read(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    return _row(conn, select(*_RETURNING).where(*_key(product_id, warehouse_id)))


def set_on_hand(conn: Connection, product_id: int, warehouse_id: int, counted: int) -> Level:
    stmt = (
        update(level_t)
        .where(*_key(product_id, warehouse_id))
        .values(on_hand=counted)
        .returning(*_RETURNING)
    )
    level = _row(conn, stmt)
    assert level is not None
    return level
