"""Watched warehouses: each user chooses which warehouses' new alerts reach them as tray messages.

Anyone logged in keeps their own list (only their own: the calls take no user name). No rows
means every warehouse, so a new warehouse is watched until the user narrows the list.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select

from invdesk.db.engine import Database
from invdesk.db.tables import warehouse_t, watched_t
from invdesk.domain.errors import ValidationError
from invdesk.domain.restock import WatchedWarehouses
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref

_w = warehouse_t.c


def _active_codes(conn: Connection) -> list[str]:
    rows = conn.execute(select(_w.code).where(_w.active.is_(True)).order_by(_w.code))
    return list(rows.scalars())


def watched_of(conn: Connection, username: str) -> WatchedWarehouses:
    active = _active_codes(conn)
    chosen = conn.execute(
        select(_w.code)
        .join(watched_t, watched_t.c.warehouse_id == _w.id)
        .where(watched_t.c.username == username, _w.active.is_(True))
        .order_by(_w.code)
    ).scalars()
    codes = tuple(chosen)
    if not codes:  # the default, or every watched warehouse was closed: all of them
        return WatchedWarehouses(tuple(active), True)
    return WatchedWarehouses(codes, False)


def watched_warehouses(db: Database, actor: Actor) -> WatchedWarehouses:
    """The calling user's watched warehouses (every active warehouse unless they chose)."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        return watched_of(conn, actor.username)


def set_watched_warehouses(db: Database, actor: Actor, codes: Sequence[str]) -> WatchedWarehouses:
    """Watch exactly `codes` (warehouse codes) from now on; every active warehouse means the
    default (every warehouse, also those added later).

    Raises ValidationError for an empty choice or an inactive warehouse, NotFound for an
    unknown code.
    """
    require(actor, Permission.VIEW)
    wanted = list(dict.fromkeys(warehouse_code(c, field="warehouses") for c in codes))
    if not wanted:
        raise ValidationError("Choose at least one warehouse to watch.", field="warehouses")

    def work(conn: Connection) -> WatchedWarehouses:
        refs = [warehouse_ref(conn, code, field="warehouses") for code in wanted]
        closed = [r.code for r in refs if not r.active]
        if closed:
            raise ValidationError(
                f"Warehouse {closed[0]} is inactive and cannot be watched.", field="warehouses"
            )
        conn.execute(delete(watched_t).where(watched_t.c.username == actor.username))
        if set(wanted) != set(_active_codes(conn)):
            conn.execute(
                insert(watched_t),
                [{"username": actor.username, "warehouse_id": r.id} for r in refs],
            )
        return watched_of(conn, actor.username)

    return db.run(work)
