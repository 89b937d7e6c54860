"""Writing and reading the append-only ledger (the movement table)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import BigInteger, Connection, Select, bindparam, insert, select, type_coerce

from invdesk.db.direct import Direct
from invdesk.db.tables import location_t, lot_t, movement_t, product_t, warehouse_t
from invdesk.domain.seals import LEDGER_FIELDS
from invdesk.domain.security import Actor
from invdesk.domain.stock import MovementKind, MovementView
from invdesk.domain.validation import from_minor
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock import alert_rules, events

# The columns a new row states: the seal's fields less the id the database gives it, so a column
# added to the ledger cannot be written without being sealed.
_COLUMNS = tuple(name for name in LEDGER_FIELDS if name != "id")
# Built once. The row's id comes back with whether its alerts need a look (alert_rules.may_change):
# most movements need none, and then the alert check costs no round trip of its own. The unit cost
# is bound as its stored integer (the same SQL): the caller has it so, and Money would convert the
# Decimal of the view back to it.
# On PostgreSQL the row's own trigger moves its counter (and takes who and when from the server).
_RECORD = {
    dialect: Direct(
        insert(movement_t)
        .values(unit_cost=type_coerce(bindparam("unit_cost"), BigInteger))
        .returning(
            movement_t.c.id,
            alert_rules.may_change(counter_moves_with_row=dialect == "postgresql"),
        ),
        columns=_COLUMNS,
    )
    for dialect in ("sqlite", "postgresql")
}


# Moves between locations of one warehouse: its counter (availability, alerts) does not move.
INSIDE = frozenset((MovementKind.MOVE_OUT, MovementKind.MOVE_IN))


class Spot(NamedTuple):
    """Where and which a ledger row is about: a location and a lot, each as id and code (None:
    the warehouse's default location; no lot)."""

    location_id: int | None = None
    location: str | None = None
    lot_id: int | None = None
    lot: str | None = None


DEFAULT_SPOT = Spot()


class Op(NamedTuple):
    """One stock operation in progress: its transaction, who, when, and its request id."""

    conn: Connection
    actor: Actor
    at: datetime
    request_id: str


def record(
    op: Op,
    kind: MovementKind,
    product: ProductRef,
    warehouse: WarehouseRef,
    *,
    qty: int,
    units: int,
    balance_after: int,
    reserved_delta: int = 0,
    unit_cost_minor: int | None = None,
    reference: str | None = None,
    reason: str | None = None,
    transfer_id: str | None = None,
    reservation_id: int | None = None,
    spot: Spot = DEFAULT_SPOT,
) -> MovementView:
    """Append one ledger row in the operation's transaction and return it as a view.

    Its trigger moves the quant of `spot` by qty (both databases), and on PostgreSQL the counter.
    """
    values = dict(
        kind=kind.value,
        product_id=product.id,
        warehouse_id=warehouse.id,
        qty=qty,
        reserved_delta=reserved_delta,
        units=units,
        balance_after=balance_after,
        unit_cost=unit_cost_minor,
        reference=reference,
        reason=reason,
        user=op.actor.username,
        at=op.at,
        request_id=op.request_id,
        transfer_id=transfer_id,
        reservation_id=reservation_id,
        location_id=spot.location_id,
        lot_id=spot.lot_id,
        al_pid=product.id,
        al_wid=warehouse.id,
        al_delta=0 if kind in INSIDE else qty - reserved_delta,
    )
    row = _RECORD[op.conn.dialect.name].first(op.conn, values)
    assert row is not None
    new_id, alerts_may_change = row
    view = MovementView(
        id=new_id,
        kind=kind,
        sku=product.sku,
        product_name=product.name,
        warehouse=warehouse.code,
        qty=qty,
        reserved_delta=reserved_delta,
        units=units,
        balance_after=balance_after,
        unit_cost=None if unit_cost_minor is None else from_minor(unit_cost_minor),
        reference=reference,
        reason=reason,
        user=op.actor.username,
        at=op.at,
        request_id=op.request_id,
        transfer_id=transfer_id,
        reservation_id=reservation_id,
        location=spot.location,
        lot=spot.lot,
    )
    _after_append(op, view, product.id, warehouse.id, alerts_may_change)
    return view


def _after_append(
    op: Op, row: MovementView, product_id: int, warehouse_id: int, alerts_may_change: bool
) -> None:
    """Keep the row's alert in step in this transaction; queue the change for after the commit."""
    counter_qty = 0 if row.kind in INSIDE else row.qty
    if alerts_may_change:
        alert_rules.check(
            op.conn,
            product_id,
            warehouse_id,
            op.at,
            sku=row.sku,
            warehouse=row.warehouse,
            available_delta=counter_qty - row.reserved_delta,
        )
    events.collect(
        op.conn,
        events.StockChanged(
            row.id,
            product_id,
            warehouse_id,
            row.sku,
            row.warehouse,
            row.kind.value,
            counter_qty,
            row.reserved_delta,
            row.balance_after,
        ),
    )


def select_views() -> Select[tuple[object, ...]]:
    m = movement_t.c
    return (
        select(
            m.id,
            m.kind,
            product_t.c.sku,
            product_t.c.name.label("product_name"),
            warehouse_t.c.code.label("warehouse"),
            m.qty,
            m.reserved_delta,
            m.units,
            m.balance_after,
            m.unit_cost,
            m.reference,
            m.reason,
            m.user,
            m.at,
            m.request_id,
            m.transfer_id,
            m.reservation_id,
            location_t.c.code.label("location"),
            lot_t.c.number.label("lot"),
        )
        .join(product_t, product_t.c.id == m.product_id)
        .join(warehouse_t, warehouse_t.c.id == m.warehouse_id)
        .outerjoin(location_t, location_t.c.id == m.location_id)
        .outerjoin(lot_t, lot_t.c.id == m.lot_id)
    )


def to_view(row: object) -> MovementView:
    data = row._mapping  # type: ignore[attr-defined]
    fields = dict(data)
    fields["kind"] = MovementKind(fields["kind"])
    cost = fields["unit_cost"]
    fields["unit_cost"] = None if cost is None else Decimal(cost)
    return MovementView(**fields)


def for_request(conn: Connection, request_id: str) -> tuple[MovementView, ...]:
    rows = conn.execute(
        select_views().where(movement_t.c.request_id == request_id).order_by(movement_t.c.id)
    )
    return tuple(to_view(row) for row in rows)
