"""The variance report of a count sheet, read in one statement whatever its size.

Each line comes with its product, location, lot, the counter's average cost, the quant's on hand
now, and two flags computed by index probes on the ledger (product, warehouse, id): whether the
product moved after the line was counted, and whether it moved between the sheet's opening and
the count (a recount is advised).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, and_, func, select, type_coerce

from invdesk.db.engine import Database
from invdesk.db.tables import (
    count_line_t,
    level_t,
    location_t,
    lot_t,
    movement_t,
    product_t,
    quant_t,
)
from invdesk.domain.counts import CountLineView, CountStatus, VarianceReport, sheet_number
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import from_minor
from invdesk.services.counts import places
from invdesk.services.counts.sheets import list_counts

_l, _q, _m = count_line_t.c, quant_t.c, movement_t.c


def _grain(left: Any, right: Any) -> ColumnElement[bool]:
    return func.coalesce(left, 0) == func.coalesce(right, 0)


def _ledger_probe(warehouse_id: int, *extra: ColumnElement[bool], newest: bool = True) -> Any:
    """A correlated look-up of one ledger id of the line's product in the warehouse."""
    pick = func.max(_m.id) if newest else func.min(_m.id)
    return (
        select(pick)
        .where(_m.product_id == _l.product_id, _m.warehouse_id == warehouse_id, *extra)
        .scalar_subquery()
    )


def read_lines(
    conn: Connection, sheet: places.Sheet, line_ids: Sequence[int] | None = None
) -> list[CountLineView]:
    """The sheet's lines (or some of them), ordered as a clerk walks: location, SKU, lot."""
    flags = sheet.status is CountStatus.OPEN
    newest = _ledger_probe(sheet.warehouse_id) if flags else None
    first_after_open = (
        _ledger_probe(sheet.warehouse_id, _m.id > sheet.opened_position, newest=False)
        if flags
        else None
    )
    query = (
        select(
            _l.id,
            product_t.c.sku,
            product_t.c.name,
            location_t.c.code,
            lot_t.c.number,
            _l.expected,
            _l.counted,
            _l.counted_by,
            _l.counted_at,
            type_coerce(func.coalesce(level_t.c.avg_cost, product_t.c.cost), BigInteger),
            _l.posted_delta,
            _l.position,
            func.coalesce(_q.on_hand, 0),
            *((newest, first_after_open) if flags else ()),
        )
        .join(product_t, product_t.c.id == _l.product_id)
        .outerjoin(location_t, location_t.c.id == _l.location_id)
        .outerjoin(lot_t, lot_t.c.id == _l.lot_id)
        .outerjoin(
            level_t,
            and_(
                level_t.c.product_id == _l.product_id, level_t.c.warehouse_id == sheet.warehouse_id
            ),
        )
        .outerjoin(
            quant_t,
            and_(
                _q.product_id == _l.product_id,
                _q.warehouse_id == sheet.warehouse_id,
                _grain(_q.location_id, _l.location_id),
                _grain(_q.lot_id, _l.lot_id),
            ),
        )
        .where(_l.sheet_id == sheet.id)
        .order_by(
            location_t.c.code.is_not(None), location_t.c.code, product_t.c.sku, lot_t.c.number
        )
    )
    if line_ids is not None:
        query = query.where(_l.id.in_(list(line_ids)))
    views = []
    for row in conn.execute(query):
        position = row[11]
        moved_after = recount = False
        if flags and row[6] is not None:
            newest_id, first_id = row[13], row[14]
            moved_after = newest_id is not None and newest_id > (position or 0)
            recount = first_id is not None and first_id <= (position or 0)
        views.append(
            CountLineView(
                id=row[0],
                sku=row[1],
                product_name=row[2],
                location=row[3],
                lot=row[4],
                expected=row[5],
                counted=row[6],
                counted_by=row[7],
                counted_at=row[8],
                avg_cost=from_minor(int(row[9] or 0)),
                moved_after=moved_after,
                recount=recount,
                posted_delta=row[10],
                on_hand=int(row[12]),
            )
        )
    return views


def variance(db: Database, actor: Actor, sheet: object) -> VarianceReport:
    """The variance report: counted lines with their differences (units and value at the
    average cost) and flags, and the lines nobody counted, apart. Raises NotFound."""
    require(actor, Permission.VIEW)
    number = sheet_number(sheet)
    with db.read() as conn:
        found = places.sheet(conn, number, open_only=False)
        lines = read_lines(conn, found)
    (view,) = list_counts(db, actor, sheet=number)
    counted = tuple(line for line in lines if line.counted is not None)
    uncounted = tuple(line for line in lines if line.counted is None)
    return VarianceReport(view, counted, uncounted)
