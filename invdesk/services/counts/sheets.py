"""Opening, cancelling and listing count sheets (managers open and cancel; anyone may look)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, or_, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import (
    count_line_t,
    count_sheet_t,
    location_t,
    movement_t,
    product_t,
    quant_t,
    warehouse_t,
)
from invdesk.domain.counts import (
    ISSUE_WINDOW_DAYS,
    CountSheetView,
    CountStatus,
    OpenCount,
    abc_classes,
    check_open,
    is_due,
    sheet_number,
)
from invdesk.domain.errors import ValidationError
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import from_minor
from invdesk.services.catalog.lookup import (
    product_ref,
    require_active_warehouse,
    warehouse_code,
    warehouse_ref,
)
from invdesk.services.counts import places
from invdesk.services.stock.ledger import Op

_s, _l, _q = count_sheet_t.c, count_line_t.c, quant_t.c


def open_count(db: Database, cmd: OpenCount, actor: Actor) -> CountSheetView:
    """Open a count sheet with a line for each quant in scope (nothing counted yet).

    Needs the catalog right (a manager). Raises NotFound for an unknown warehouse, zone,
    location or product; ValidationError when `abc` finds nothing due. An empty scope opens
    an empty sheet: counting adds lines.
    """
    require(actor, Permission.CATALOG)
    checked = check_open(cmd)

    def work(conn: Connection) -> int:
        op = Op(conn, actor, db.now(), "")
        warehouse = warehouse_ref(conn, checked.warehouse)
        require_active_warehouse(warehouse)
        where: list[Any] = [
            _q.warehouse_id == warehouse.id,
            product_t.c.active.is_(True),
            # Lots sold out long ago are left out; a product's plain stock is counted at zero too.
            or_(_q.on_hand > 0, _q.lot_id.is_(None)),
        ]
        if checked.zone is not None:
            where.append(_q.location_id.in_(places.zone_ids(op, warehouse, checked.zone)))
        if checked.locations:
            ids = [places.location_id(op, warehouse, c) for c in checked.locations]
            known = [i for i in ids if i is not None]
            either = [_q.location_id.in_(known)] if known else []
            where.append(or_(*either, *([_q.location_id.is_(None)] if None in ids else [])))
        if checked.products:
            where.append(_q.product_id.in_([product_ref(conn, c).id for c in checked.products]))
        query = (
            select(_q.product_id, _q.location_id, _q.lot_id)
            .join(product_t, product_t.c.id == _q.product_id)
            .where(*where)
            .order_by(_q.product_id, _q.location_id, _q.lot_id)
        )
        rows = conn.execute(query).all()
        if checked.abc:
            due = _due_products(conn, db, warehouse.id, {r.product_id for r in rows})
            rows = [r for r in rows if r.product_id in due]
        if not rows and checked.abc:
            raise ValidationError("No product in this scope is due for a count.", field="abc")
        # An empty scope still opens: clerks add a line for whatever they find there.
        position = conn.execute(select(func.max(movement_t.c.id))).scalar() or 0
        sheet_id = conn.execute(
            insert(count_sheet_t)
            .values(
                warehouse_id=warehouse.id,
                status=CountStatus.OPEN.value,
                scope=checked.scope(),
                opened_by=actor.username,
                opened_at=db.now(),
                opened_position=position,
                version=1,
            )
            .returning(_s.id)
        ).scalar_one()
        if rows:
            conn.execute(
                insert(count_line_t),
                [
                    {"sheet_id": sheet_id, "product_id": p, "location_id": loc, "lot_id": lot}
                    for p, loc, lot in rows
                ],
            )
        return int(sheet_id)

    number = db.run(work)
    (view,) = list_counts(db, actor, sheet=number)
    return view


def _due_products(
    conn: Connection, db: Database, warehouse_id: int, candidates: set[int]
) -> set[int]:
    """The candidates the ABC schedule says are due: classed by the value of their issues in
    the warehouse over the last year, due when not counted for their class's interval."""
    now = db.now()
    m = movement_t.c
    values = conn.execute(
        select(m.product_id, func.sum(-m.qty * func.coalesce(m.unit_cost, 0)))
        .where(m.warehouse_id == warehouse_id, m.kind == "issue")
        .where(m.at >= now - timedelta(days=ISSUE_WINDOW_DAYS))
        .group_by(m.product_id)
    ).all()
    by_value = {int(pid): from_minor(int(v or 0)) for pid, v in values}
    classes = abc_classes({**{p: by_value.get(p, from_minor(0)) for p in candidates}, **by_value})
    counted = conn.execute(
        select(_l.product_id, func.max(_l.counted_at))
        .join(count_sheet_t, _s.id == _l.sheet_id)
        .where(
            _s.warehouse_id == warehouse_id,
            _s.status == CountStatus.POSTED.value,
            _l.counted.is_not(None),
        )
        .group_by(_l.product_id)
    ).all()
    last = {int(pid): at for pid, at in counted}
    today = now.date()
    return {
        p
        for p in candidates
        if is_due(classes[p], None if last.get(p) is None else _day(last[p]), today)
    }


def _day(value: datetime | str) -> date:
    # SQLite's max() hands back the stored text, not the column's type.
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    return value.date()


def cancel_count(db: Database, sheet: object, actor: Actor) -> CountSheetView:
    """Cancel an open sheet: nothing is booked. Needs the catalog right (a manager)."""
    require(actor, Permission.CATALOG)
    number = sheet_number(sheet)

    def work(conn: Connection) -> None:
        places.sheet(conn, number, lock=True)
        conn.execute(
            update(count_sheet_t)
            .where(_s.id == number)
            .values(status=CountStatus.CANCELLED.value, version=_s.version + 1)
        )

    db.run(work)
    (view,) = list_counts(db, actor, sheet=number)
    return view


def list_counts(
    db: Database,
    actor: Actor,
    *,
    warehouse: str | None = None,
    status: CountStatus | None = None,
    sheet: int | None = None,
    limit: int = 500,
) -> list[CountSheetView]:
    """Count sheets, newest first, with how many lines each has and how many are counted."""
    require(actor, Permission.VIEW)
    lines = (
        select(
            _l.sheet_id,
            func.count().label("lines"),
            func.sum(case((_l.counted.is_not(None), 1), else_=0)).label("counted"),
        )
        .group_by(_l.sheet_id)
        .subquery()
    )
    query = (
        select(
            _s.id,
            warehouse_t.c.code,
            _s.status,
            _s.scope,
            _s.opened_by,
            _s.opened_at,
            _s.posted_by,
            _s.posted_at,
            func.coalesce(lines.c.lines, 0),
            func.coalesce(lines.c.counted, 0),
        )
        .join(warehouse_t, warehouse_t.c.id == _s.warehouse_id)
        .outerjoin(lines, and_(lines.c.sheet_id == _s.id))
        .order_by(_s.id.desc())
        .limit(limit)
    )
    if warehouse is not None:
        query = query.where(warehouse_t.c.code == warehouse_code(warehouse))
    if status is not None:
        query = query.where(_s.status == status.value)
    if sheet is not None:
        query = query.where(_s.id == sheet)
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [
        CountSheetView(
            r[0], r[1], CountStatus(r[2]), r[3] or "", r[4], r[5], r[6], r[7], int(r[8]), int(r[9])
        )
        for r in rows
    ]


def location_codes(db: Database, actor: Actor, warehouse: str) -> list[str]:
    """The active location codes of a warehouse: a count window tells a location's barcode
    from an item's with them."""
    require(actor, Permission.VIEW)
    query = (
        select(location_t.c.code)
        .join(warehouse_t, warehouse_t.c.id == location_t.c.warehouse_id)
        .where(warehouse_t.c.code == warehouse_code(warehouse), location_t.c.active.is_(True))
        .order_by(location_t.c.code)
    )
    with db.read() as conn:
        return [str(code) for code in conn.execute(query).scalars()]
