"""The stock hot path: single conditional Core statements on stock_level (DESIGN.md section 4).

Each function is one statement whose WHERE clause carries the rule, so concurrent clerks can never
take the same unit twice: no row back means the rule did not hold at the moment of the update.

The statements are built once, here, with bind parameters, and run as `Direct` statements on the
driver's cursor: building or even executing a Core statement per call cost more client CPU than the
database spent running it. The same SQL text every time also lets psycopg prepare it server-side.

On PostgreSQL a client holds no UPDATE right on stock_level (invdesk.db.privileges): there each
function locks its row through the owner's `invdesk_lock_level` and returns the level as it will be
once the operation's ledger row is written, because that INSERT's trigger is what moves the
counter. The rule is checked on the locked row, so it holds at the moment of the change as before;
and a counter never moves without its ledger row.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Boolean,
    ColumnElement,
    Connection,
    bindparam,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from invdesk.db.direct import Direct
from invdesk.db.tables import level_t
from invdesk.domain.validation import MAX_ON_HAND

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
_LOCK_PG = Direct(
    text(
        "SELECT on_hand, reserved, avg_cost FROM invdesk_lock_level(:pid, :wid, :create_row)"
    ).bindparams(
        bindparam("pid", type_=BigInteger),
        bindparam("wid", type_=BigInteger),
        bindparam("create_row", type_=Boolean),
    )
)


def _on_pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _locked(conn: Connection, product_id: int, warehouse_id: int, create: bool) -> Level | None:
    """PostgreSQL: the row locked until commit (made at zero, at the product's cost, if asked)."""
    row = _LOCK_PG.first(conn, {"pid": product_id, "wid": warehouse_id, "create_row": create})
    return None if row is None else Level(*row)


def moved_average(on_hand: int, avg_minor: int, qty: int, cost_minor: int) -> int:
    """The rounded integer mean of the old stock at its average and qty new units at their cost."""
    return (on_hand * avg_minor + qty * cost_minor + (on_hand + qty) // 2) // (on_hand + qty)


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
    if _on_pg(conn):
        level = _locked(conn, product_id, warehouse_id, False)
        if level is None or level.on_hand - level.reserved < qty:
            return None
        return level._replace(on_hand=level.on_hand - qty)
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
    if _on_pg(conn):
        level = _locked(conn, product_id, warehouse_id, True)
        if level is None or level.on_hand + qty > MAX_ON_HAND:
            return None
        if cost_minor is None:
            return level._replace(on_hand=level.on_hand + qty)
        avg = moved_average(level.on_hand, level.avg_cost_minor, qty, cost_minor)
        return Level(level.on_hand + qty, level.reserved, avg)
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
    if _on_pg(conn):
        level = _locked(conn, product_id, warehouse_id, False)
        if level is None or level.on_hand - level.reserved < qty:
            return None
        return level._replace(reserved=level.reserved + qty)
    return _row(conn, _HOLD, {"pid": product_id, "wid": warehouse_id, "qty": qty})


def unhold(
    conn: Connection, product_id: int, warehouse_id: int, qty: int, *, consume: bool
) -> Level:
    """Drop a hold of qty; with consume=True the held units also leave on hand (a committed sale)."""
    if _on_pg(conn):
        level = _locked(conn, product_id, warehouse_id, False)
        if level is not None and level.reserved >= qty:
            taken = qty if consume else 0
            return Level(level.on_hand - taken, level.reserved - qty, level.avg_cost_minor)
        level = None
    else:
        stmt = _UNHOLD_CONSUME if consume else _UNHOLD
        level = _row(conn, stmt, {"pid": product_id, "wid": warehouse_id, "qty": qty})
    if level is None:
        raise AssertionError(f"reserved counter below a live hold ({product_id}, {warehouse_id})")
    return level


def ensure(conn: Connection, product_id: int, warehouse_id: int, initial_cost_minor: int) -> None:
    """Make the row at zero if missing (PostgreSQL: at the product's cost, and locked)."""
    if _on_pg(conn):
        _locked(conn, product_id, warehouse_id, True)
        return
    _PUT[conn.dialect.name][2].run(
        conn, {"pid": product_id, "wid": warehouse_id, "ens_cost": initial_cost_minor}
    )


def lock(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    """Read a row and lock it against other writers until commit (PostgreSQL; SQLite is locked whole)."""
    if _on_pg(conn):
        return _locked(conn, product_id, warehouse_id, False)
    return _row(conn, _LOCK, {"pid": product_id, "wid": warehouse_id})


def read(conn: Connection, product_id: int, warehouse_id: int) -> Level | None:
    return _row(conn, _READ, {"pid": product_id, "wid": warehouse_id})


def set_on_hand(conn: Connection, product_id: int, warehouse_id: int, counted: int) -> Level:
    """Set on hand to what was counted (the caller holds the row's lock and checked the count)."""
    if _on_pg(conn):
        locked = _locked(conn, product_id, warehouse_id, False)
        assert locked is not None
        return locked._replace(on_hand=counted)
    level = _row(conn, _SET_ON_HAND, {"pid": product_id, "wid": warehouse_id, "counted": counted})
    assert level is not None
    return level


_LOCK_MANY_PG = text(
    "SELECT p.id, l.on_hand, l.reserved, l.avg_cost "
    "FROM unnest(CAST(:pids AS bigint[])) WITH ORDINALITY AS p(id, n) "
    "CROSS JOIN LATERAL invdesk_lock_level(p.id, :wid, TRUE) AS l ORDER BY p.n"
)
_CHUNK = 1000  # SQLite binds at most 32,766 values per statement


def lock_many(conn: Connection, product_ids: list[int], warehouse_id: int) -> dict[int, Level]:
    """Lock many products' rows of one warehouse in the order given (sort them by id to keep the
    one locking order), making missing rows at zero: one statement on PostgreSQL, whose client
    holds no right to lock them itself; SQLite's write transaction has the whole file already."""
    if not product_ids:
        return {}
    if _on_pg(conn):
        rows = conn.execute(_LOCK_MANY_PG, {"pids": product_ids, "wid": warehouse_id})
        return {int(r[0]): Level(int(r[1]), int(r[2]), int(r[3])) for r in rows}
    levels: dict[int, Level] = {}
    for start in range(0, len(product_ids), _CHUNK):
        chunk = product_ids[start : start + _CHUNK]
        found = conn.execute(
            select(_c.product_id, *_RETURNING).where(
                _c.warehouse_id == warehouse_id, _c.product_id.in_(chunk)
            )
        )
        levels.update({int(r[0]): Level(*r[1:]) for r in found})
    for product_id in product_ids:
        if product_id not in levels:
            cost = conn.execute(
                text("SELECT cost FROM product WHERE id = :id"), {"id": product_id}
            ).scalar_one()
            ensure(conn, product_id, warehouse_id, int(cost))
            levels[product_id] = Level(0, 0, int(cost))
    return levels


def settle(conn: Connection, product_id: int, warehouse_id: int, on_hand: int) -> None:
    """Set on hand before the ledger rows that bring it there are written (SQLite; on
    PostgreSQL the rows' own trigger moves the counter, under the lock already held)."""
    if not _on_pg(conn):
        _SET_ON_HAND.run(conn, {"pid": product_id, "wid": warehouse_id, "counted": on_hand})
