"""Counting a line: what the clerk found, with what the system held then and the ledger position.

The product's counter row is locked first, so every stock operation on it in flight has
committed: `expected` (the quant) and `position` (the newest ledger id of the product in the
warehouse) are then read in one statement and agree with each other. A post holds the same
locks, so a count never slips into a sheet that is being posted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from invdesk.db import counters
from invdesk.db.engine import Database
from invdesk.db.tables import count_line_t, movement_t, quant_t
from invdesk.domain.counts import CountLineView, RecordCount, check_record
from invdesk.domain.errors import ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.tracking import Tracking
from invdesk.domain.validation import MAX_ON_HAND
from invdesk.services.catalog.lookup import product_ref
from invdesk.services.counts import places
from invdesk.services.counts.variance import read_lines
from invdesk.services.stock.ledger import Op

_l, _q, _m = count_line_t.c, quant_t.c, movement_t.c


def _same(column: Any, value: int | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


def record_count(db: Database, cmd: RecordCount, actor: Actor) -> CountLineView:
    """Record what was counted of one product (and lot) at one location of an open sheet.

    `cmd.add` adds to the count so far (a scan of one more); otherwise the quantity replaces
    it. A product not on the sheet gets a line (stock found where none was expected). Needs
    the stock right (a clerk). Raises NotFound, ValidationError, Conflict (sheet not open).
    """
    require(actor, Permission.STOCK)
    checked = check_record(cmd)

    def work(conn: Connection) -> CountLineView:
        op = Op(conn, actor, db.now(), "")
        found = places.sheet(conn, checked.sheet)
        product = product_ref(conn, checked.code)
        units = checked.qty * product.pack_qty
        where = places.location_id(op, found.warehouse_ref, checked.location)
        lot = places.lot_id(op, product, checked.lot)
        # Wait for stock operations on this product in flight; a post in flight too.
        counters.lock(conn, product.id, found.warehouse_id)
        places.sheet(conn, checked.sheet)  # still open, now that nothing is in flight
        key = (
            _l.sheet_id == found.id,
            _l.product_id == product.id,
            _same(_l.location_id, where),
        )
        if lot is None and product.tracking != Tracking.NONE:
            lot = _only_lot(conn, key, product.sku)
        line = conn.execute(select(_l.id, _l.counted).where(*key, _same(_l.lot_id, lot))).first()
        counted = units + (line.counted or 0 if line is not None and checked.add else 0)
        if counted > MAX_ON_HAND:
            raise ValidationError(f"{counted:,} counted is too large.", field="qty")
        expected, position = conn.execute(
            select(
                select(_q.on_hand)
                .where(
                    _q.product_id == product.id,
                    _q.warehouse_id == found.warehouse_id,
                    _same(_q.location_id, where),
                    _same(_q.lot_id, lot),
                )
                .scalar_subquery(),
                select(func.max(_m.id))
                .where(_m.product_id == product.id, _m.warehouse_id == found.warehouse_id)
                .scalar_subquery(),
            )
        ).one()
        values = {
            "expected": expected or 0,
            "counted": counted,
            "position": position or 0,
            "counted_by": actor.username,
            "counted_at": db.now(),
        }
        if line is None:
            line_id = conn.execute(
                insert(count_line_t)
                .values(
                    sheet_id=found.id,
                    product_id=product.id,
                    location_id=where,
                    lot_id=lot,
                    **values,
                )
                .returning(_l.id)
            ).scalar_one()
            # An INSERT waits on a post's lock of the sheet: look again once it got through.
            places.sheet(conn, checked.sheet)
        else:
            line_id = line.id
            conn.execute(update(count_line_t).where(_l.id == line_id).values(**values))
        (view,) = read_lines(conn, found, [int(line_id)])
        return view

    return db.run(work)


def _only_lot(conn: Connection, key: tuple[ColumnElement[bool], ...], sku: str) -> int:
    """A lot-tracked product counted without naming its lot: the one lot the sheet has for it
    at that location, else the clerk must say which."""
    lots = conn.execute(select(_l.lot_id).where(*key, _l.lot_id.is_not(None))).scalars().all()
    if len(lots) != 1:
        raise ValidationError(
            f"{sku} is tracked by lot: scan or type the lot counted.", field="lot"
        )
    return int(lots[0])
