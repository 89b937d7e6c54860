"""Posting a count sheet: one stock transaction through the one runner, booking differences only.

Each counted line books counted - expected as an `adjust` ledger row at its quant, where
`expected` is what the system held when the line was counted: a sale made between the count and
the post stays booked. The counters are locked in (product id, warehouse id) order in one
statement; the lines are then read with their quants in one statement, checked, and booked. A
delta that would take a quant below zero (or the counter below what is reserved) refuses the
whole post, naming the line; nothing is changed. The request id (by default the sheet's own)
makes a retried post book once.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select, update

from invdesk.db import counters
from invdesk.db.engine import Database
from invdesk.db.tables import count_line_t, count_sheet_t, location_t, lot_t, product_t, quant_t
from invdesk.domain.counts import CountStatus, PostCount, PostedCount, sheet_number
from invdesk.domain.errors import Conflict, ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import MovementKind, MovementView
from invdesk.domain.validation import MAX_ON_HAND
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.counts import places
from invdesk.services.stock import ledger
from invdesk.services.stock.ledger import Spot
from invdesk.services.stock.operation import Planned, run_operation
from invdesk.services.stock.reservations import expire_due

_l, _q, _s = count_line_t.c, quant_t.c, count_sheet_t.c
REASON = "Stock count"

_SET_DELTA = (
    update(count_line_t)
    .where(_l.id == bindparam("line_id"))
    .values(posted_delta=bindparam("delta"))
)
_SET_ZERO = (
    update(count_line_t)
    .where(_l.id == bindparam("line_id"))
    .values(
        posted_delta=bindparam("delta"),
        expected=bindparam("was"),
        counted=0,
        counted_by=bindparam("who"),
        counted_at=bindparam("when"),
    )
)


def post_count(db: Database, cmd: PostCount, actor: Actor) -> PostedCount:
    """Post a sheet's differences in one transaction. Needs the catalog right (a manager).

    Raises NotFound; Conflict when the sheet is posted (under another request id) or
    cancelled; ValidationError naming the line whose delta cannot be booked now.
    """
    require(actor, Permission.CATALOG)
    number = sheet_number(cmd.sheet)
    request_id = cmd.request_id or f"count-sheet-{number}"
    payload = {"sheet": number, "uncounted_zero": cmd.uncounted_zero}

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        return _post(op, number, cmd.uncounted_zero)

    result = run_operation(db, actor, Planned("count", request_id, payload, apply))
    return PostedCount(
        number,
        result.request_id,
        len(result.movements),
        sum(m.qty for m in result.movements),
        result.replayed,
    )


def _post(op: ledger.Op, number: int, uncounted_zero: bool) -> tuple[MovementView, ...]:
    conn = op.conn
    sheet = places.sheet(conn, number, lock=True, open_only=False)
    if sheet.status is not CountStatus.OPEN:
        raise Conflict(f"Count sheet {number} is already {sheet.status.value}.")
    warehouse = WarehouseRef(sheet.warehouse_id, sheet.warehouse, True)
    products = sorted(
        int(p)
        for p in conn.execute(
            select(_l.product_id).where(_l.sheet_id == number).distinct()
        ).scalars()
    )
    levels = counters.lock_many(conn, products, sheet.warehouse_id)
    rows = _lines(conn, sheet, uncounted_zero)
    views: list[MovementView] = []
    deltas: list[dict[str, Any]] = []
    zeroed: list[dict[str, Any]] = []
    for product_id, group in groupby(rows, key=lambda r: r.product_id):
        lines = list(group)
        level = levels[product_id]
        booked = list(_deltas(lines))
        first = lines[0]
        product = ProductRef(
            product_id, first.sku, first.name, bool(first.active), tracking=first.tracking
        )
        change = sum(delta for _row, delta in booked)
        if level.on_hand + change < level.reserved and expire_due(op, product, warehouse):
            level = counters.lock(conn, product_id, sheet.warehouse_id) or level  # holds gone
        on_hand = level.on_hand + change
        if on_hand < level.reserved:
            raise ValidationError(
                f"The count of {first.sku} leaves {on_hand:,} on hand in {sheet.warehouse}, below "
                f"the {level.reserved:,} reserved; release those reservations first.",
                field="counted",
            )
        if on_hand > MAX_ON_HAND:
            raise ValidationError(f"The count of {first.sku} is too large.", field="counted")
        counters.settle(conn, product_id, sheet.warehouse_id, on_hand)
        balance = level.on_hand
        for row, delta in booked:
            if row.counted is None:
                zeroed.append(
                    {"line_id": row.id, "delta": delta, "was": row.now, "who": op.actor.username,
                     "when": op.at}
                )  # fmt: skip
            else:
                deltas.append({"line_id": row.id, "delta": delta})
            if delta == 0:
                continue
            balance += delta
            views.append(
                ledger.record(
                    op,
                    MovementKind.ADJUST,
                    product,
                    warehouse,
                    qty=delta,
                    units=abs(delta),
                    balance_after=balance,
                    unit_cost_minor=level.avg_cost_minor,
                    reference=f"Count {number}",
                    reason=REASON,
                    spot=Spot(row.location_id, row.location, row.lot_id, row.lot),
                )
            )
    if deltas:
        conn.execute(_SET_DELTA, deltas)
    if zeroed:
        conn.execute(_SET_ZERO, zeroed)
    conn.execute(
        update(count_sheet_t)
        .where(_s.id == number)
        .values(
            status=CountStatus.POSTED.value,
            posted_by=op.actor.username,
            posted_at=op.at,
            request_id=op.request_id,
            version=_s.version + 1,
        )
    )
    return tuple(views)


def _lines(conn: Connection, sheet: places.Sheet, uncounted_zero: bool) -> list[Any]:
    """The lines to book with their quant's on hand now, by product id (the locking order)."""
    query = (
        select(
            _l.id,
            _l.product_id,
            _l.location_id,
            _l.lot_id,
            _l.expected,
            _l.counted,
            func.coalesce(_q.on_hand, 0).label("now"),
            product_t.c.sku,
            product_t.c.name,
            product_t.c.active,
            product_t.c.tracking,
            location_t.c.code.label("location"),
            lot_t.c.number.label("lot"),
        )
        .join(product_t, product_t.c.id == _l.product_id)
        .outerjoin(location_t, location_t.c.id == _l.location_id)
        .outerjoin(lot_t, lot_t.c.id == _l.lot_id)
        .outerjoin(
            quant_t,
            and_(
                _q.product_id == _l.product_id,
                _q.warehouse_id == sheet.warehouse_id,
                func.coalesce(_q.location_id, 0) == func.coalesce(_l.location_id, 0),
                func.coalesce(_q.lot_id, 0) == func.coalesce(_l.lot_id, 0),
            ),
        )
        .where(_l.sheet_id == sheet.id)
        .order_by(_l.product_id, _l.id)
    )
    if not uncounted_zero:
        query = query.where(_l.counted.is_not(None))
    return list(conn.execute(query))


def _deltas(lines: list[Any]) -> Iterator[tuple[Any, int]]:
    """Each line with the difference it books; refuses one that would leave its quant below
    zero (it has fallen since the count by more than was found)."""
    for row in lines:
        if row.counted is None:  # uncounted, booked as found empty
            yield row, -int(row.now)
            continue
        delta = int(row.counted) - int(row.expected or 0)
        if row.now + delta < 0:
            where = row.location or "the default location"
            lot = f", lot {row.lot}" if row.lot else ""
            raise ValidationError(
                f"{row.sku} at {where}{lot}: counted {row.counted:,} where {row.expected:,} were "
                f"expected, but only {row.now:,} are there now, so the difference cannot be "
                "booked; count this line again.",
                field="counted",
            )
        yield row, delta
