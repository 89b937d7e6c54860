"""Where and which on a count sheet: a location code of the sheet's warehouse, a lot of a product."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, select

from invdesk.db.tables import count_sheet_t, location_t, warehouse_t
from invdesk.domain.counts import CountStatus
from invdesk.domain.errors import Conflict, NotFound
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock.ledger import Op
from invdesk.services.stock.quants import known_lot, location_spot

_s, _loc = count_sheet_t.c, location_t.c


class Sheet(NamedTuple):
    id: int
    warehouse_id: int
    warehouse: str
    status: CountStatus
    opened_position: int

    @property
    def warehouse_ref(self) -> WarehouseRef:
        return WarehouseRef(self.warehouse_id, self.warehouse, True, True)


def sheet(conn: Connection, number: int, *, lock: bool = False, open_only: bool = True) -> Sheet:
    """The sheet and its warehouse; refused unless open (when `open_only`). `lock`: FOR UPDATE
    (posting and cancelling: a line added meanwhile waits for the sheet's fate)."""
    query = (
        select(_s.id, _s.warehouse_id, warehouse_t.c.code, _s.status, _s.opened_position)
        .join(warehouse_t, warehouse_t.c.id == _s.warehouse_id)
        .where(_s.id == number)
    )
    if lock:
        query = query.with_for_update(of=count_sheet_t)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"No count sheet number {number}.", field="sheet")
    found = Sheet(row[0], row[1], row[2], CountStatus(row[3]), row[4] or 0)
    if open_only and found.status is not CountStatus.OPEN:
        raise Conflict(f"Count sheet {number} is {found.status.value}: it takes no more changes.")
    return found


def location_id(op: Op, warehouse: WarehouseRef, code: str | None) -> int | None:
    """The id of a location of the warehouse (None: the default location); refuses unknown or
    inactive codes."""
    return location_spot(op, warehouse, code, field="location").location_id


def zone_ids(op: Op, warehouse: WarehouseRef, code: str) -> list[int]:
    """A zone's location and every location inside it, at any depth."""
    root = location_id(op, warehouse, code)
    tree = select(_loc.id).where(_loc.id == root).cte("zone", recursive=True)
    inner = location_t.alias("inner")
    tree = tree.union_all(select(inner.c.id).where(inner.c.parent_id == tree.c.id))
    return [int(i) for i in op.conn.execute(select(tree.c.id)).scalars()]


def lot_id(op: Op, product: ProductRef, number: str | None) -> int | None:
    return None if number is None else int(known_lot(op, product, number)[0])
