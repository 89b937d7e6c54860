"""Sales orders: placing reserves every line (all or nothing); fulfil commits, cancel releases."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.request_ids import claim
from invdesk.db.tables import order_line_t, order_t, product_t, reservation_t, warehouse_t
from invdesk.domain.errors import (
    Conflict,
    DuplicateRequest,
    InsufficientStock,
    NotFound,
    ValidationError,
)
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.orders import (
    Channel,
    OrderLineView,
    OrderShort,
    OrderStatus,
    OrderView,
    PlaceOrder,
    ShortLine,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import parse_quantity, required_text
from invdesk.services.catalog.lookup import (
    product_ref,
    require_active_warehouse,
    warehouse_code,
    warehouse_ref,
)
from invdesk.services.stock import events, ledger, reservations
from invdesk.services.stock.availability import order_status, order_status_is, reservation_status

_o, _l = order_t.c, order_line_t.c
_r = reservation_t.c
MAX_LINES = 1000


def _request_id(reference: str) -> str:
    return "order-" + hashlib.sha256(reference.encode()).hexdigest()[:40]


def _reference(value: object) -> str:
    return required_text(value, label="Order reference", field="reference", max_len=100)


def _parse(cmd: PlaceOrder) -> tuple[str, str, int, list[tuple[str, int, str]]]:
    reference = _reference(cmd.reference)
    try:
        channel = Channel(str(cmd.channel).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        names = ", ".join(c.value for c in Channel)
        raise ValidationError(
            f"Unknown channel “{cmd.channel}”: use {names}.", field="channel"
        ) from None
    ttl = parse_quantity(cmd.ttl_seconds, label="Time to live (seconds)", field="ttl")
    if ttl > reservations.MAX_TTL_SECONDS:
        raise ValidationError("An order can be held for at most 90 days.", field="ttl")
    if not cmd.lines:
        raise ValidationError("An order needs at least one line.", field="lines")
    if len(cmd.lines) > MAX_LINES:
        raise ValidationError(f"An order holds at most {MAX_LINES:,} lines.", field="lines")
    default = warehouse_code(cmd.warehouse)
    lines = []
    for n, line in enumerate(cmd.lines, start=1):
        code = required_text(line.product, label=f"SKU on line {n}", field="product", max_len=64)
        qty = parse_quantity(line.qty, label=f"Quantity on line {n}")
        lines.append((code, qty, warehouse_code(line.warehouse) if line.warehouse else default))
    return reference, channel.value, ttl, lines


def _hold(
    op: ledger.Op, order_id: int, reference: str, n: int, line: tuple[str, int, str], ttl: int
) -> None:
    code, qty, wh = line
    conn = op.conn
    warehouse = warehouse_ref(conn, wh)
    require_active_warehouse(warehouse)
    product = product_ref(conn, code)
    units = qty * product.pack_qty
    line_rid = f"{op.request_id}/{n}"
    claim(conn, line_rid, "reserve", fingerprint("order-line", [op.request_id, n]), op.actor, op.at)
    hold = reservations.open_hold(
        ledger.Op(conn, op.actor, op.at, line_rid),
        product,
        warehouse,
        units,
        ttl,
        reference,
        lambda available: (
            f"Line {n}: cannot reserve {units:,} of {product.sku} in "
            f"{warehouse.code}, only {available:,} available; nothing was reserved for this order."
        ),
    )
    reservation_id = hold.id
    conn.execute(
        insert(order_line_t).values(
            order_id=order_id,
            line_no=n,
            product_id=product.id,
            warehouse_id=warehouse.id,
            qty=units,
            reservation_id=reservation_id,
        )
    )


def _order_short(short: list[tuple[ShortLine, str]]) -> OrderShort:
    if len(short) == 1:
        message = short[0][1]
    else:
        message = (
            f"{len(short)} lines cannot be reserved: "
            + "; ".join(
                f"{s.sku} needs {s.requested:,}, {s.available:,} available" for s, _ in short
            )
            + "; nothing was reserved for this order."
        )
    return OrderShort(message, tuple(s for s, _ in short))


def place_order(db: Database, cmd: PlaceOrder, actor: Actor) -> OrderView:
    """Reserve every line for the order's time to live, or nothing at all.

    The same reference again returns the first order (replayed=True) and changes nothing; with
    different lines it is refused with DuplicateRequest. Raises InsufficientStock naming the line.
    """
    require(actor, Permission.STOCK)
    reference, channel, ttl, lines = _parse(cmd)
    rid = _request_id(reference)
    digest = fingerprint("order", [channel, ttl, lines])

    def work(conn: Connection) -> tuple[int, bool]:
        at = db.now()
        if not claim(conn, rid, "order", digest, actor, at):
            return int(
                conn.execute(select(_o.id).where(_o.reference == reference)).scalar_one()
            ), True
        order_id = conn.execute(
            insert(order_t)
            .values(
                reference=reference,
                channel=channel,
                status=OrderStatus.OPEN.value,
                user=actor.username,
                created_at=at,
                updated_at=at,
                expires_at=at + timedelta(seconds=ttl),
                version=1,
            )
            .returning(_o.id)
        ).scalar_one()
        op = ledger.Op(conn, actor, at, rid)
        # Every line is tried, so a refusal names each short line; one short line rolls back all.
        short: list[tuple[ShortLine, str]] = []
        for n, line in enumerate(lines, start=1):
            try:
                _hold(op, order_id, reference, n, line, ttl)
            except InsufficientStock as error:
                short.append((ShortLine(line[0], error.requested, error.available), error.message))
        if short:
            raise _order_short(short)
        events.collect(conn, events.OrderChanged(order_id, reference, OrderStatus.OPEN.value))
        return int(order_id), False

    try:
        order_id, replayed = events.run(db, work)
    except DuplicateRequest:
        raise DuplicateRequest(
            f"Order {reference} was already placed with other lines or settings; nothing was "
            "changed. Use a new reference for a new order.",
            field="reference",
        ) from None
    view = _load(db, order_id)
    return OrderView(**{**view.__dict__, "replayed": replayed})


def _close_order(db: Database, reference: object, actor: Actor, *, fulfil: bool) -> OrderView:
    require(actor, Permission.STOCK)
    ref = _reference(reference)
    target = OrderStatus.FULFILLED if fulfil else OrderStatus.CANCELLED

    def work(conn: Connection) -> int:
        at = db.now()
        order = conn.execute(
            select(_o.id, _o.status, _o.expires_at).where(_o.reference == ref)
        ).first()
        if order is None:
            raise NotFound(f"There is no order “{ref}”.", field="reference")
        if order.status == target.value:
            return int(order.id)  # a repeat: already done
        if order.status != OrderStatus.OPEN.value:
            raise Conflict(
                f"Order {ref} is {order.status}; it cannot be {target.value}.", field="reference"
            )
        if fulfil and order.expires_at <= at:
            raise ValidationError(
                f"Order {ref} expired at {order.expires_at:%Y-%m-%d %H:%M} UTC; its stock is "
                "released. Place it again.",
                field="reference",
            )
        rid = f"{'fulfil' if fulfil else 'cancel'}-{order.id}"
        claim(conn, rid, target.value[:16], fingerprint(target.value, order.id), actor, at)
        op = ledger.Op(conn, actor, at, rid)
        holds = conn.execute(
            select(_l.reservation_id).where(_l.order_id == order.id).order_by(_l.line_no)
        ).scalars()
        for reservation_id in holds.all():
            done = reservations.close_hold(op, reservation_id, commit=fulfil)
            if done is None and fulfil:
                raise ValidationError(
                    f"A hold of order {ref} is no longer active; place the order again.",
                    field="reference",
                )
        conn.execute(
            update(order_t)
            .where(_o.id == order.id)
            .values(status=target.value, closed_at=at, updated_at=at, version=_o.version + 1)
        )
        events.collect(conn, events.OrderChanged(order.id, ref, target.value))
        return int(order.id)

    return _load(db, events.run(db, work))


def fulfil_order(db: Database, reference: object, actor: Actor) -> OrderView:
    """Commit every hold of an open order: each line becomes an issue in the ledger."""
    return _close_order(db, reference, actor, fulfil=True)


def cancel_order(db: Database, reference: object, actor: Actor) -> OrderView:
    """Release every hold of an open order back to available stock."""
    return _close_order(db, reference, actor, fulfil=False)


def expire_orders(db: Database, actor: Actor) -> int:
    """Mark open orders past their time to live as expired (their holds expire with them)."""
    require(actor, Permission.STOCK)
    reservations.sweep(db, actor)

    def work(conn: Connection) -> int:
        at = db.now()
        rows = conn.execute(
            update(order_t)
            .where(_o.status == OrderStatus.OPEN.value, _o.expires_at <= at)
            .values(
                status=OrderStatus.EXPIRED.value,
                closed_at=at,
                updated_at=at,
                version=_o.version + 1,
            )
            .returning(_o.id, _o.reference)
        ).all()
        for row in rows:
            events.collect(
                conn, events.OrderChanged(row.id, row.reference, OrderStatus.EXPIRED.value)
            )
        return len(rows)

    return events.run(db, work)


def _lines(conn: Connection, order_ids: list[int], now: datetime) -> dict[int, list[OrderLineView]]:
    found: dict[int, list[OrderLineView]] = {i: [] for i in order_ids}
    if not order_ids:
        return found
    rows = conn.execute(
        select(
            _l.order_id,
            _l.line_no,
            _l.qty,
            _l.reservation_id,
            product_t.c.sku,
            product_t.c.name,
            warehouse_t.c.code,
            reservation_status(now).label("status"),
        )
        .join(product_t, product_t.c.id == _l.product_id)
        .join(warehouse_t, warehouse_t.c.id == _l.warehouse_id)
        .outerjoin(reservation_t, _r.id == _l.reservation_id)
        .where(_l.order_id.in_(order_ids))
        .order_by(_l.order_id, _l.line_no)
    )
    for row in rows:
        found[row.order_id].append(
            OrderLineView(
                row.line_no, row.sku, row.name, row.code, row.qty, row.reservation_id, row.status
            )
        )
    return found


def _to_view(row: Any, lines: list[OrderLineView]) -> OrderView:
    return OrderView(
        id=row.id,
        reference=row.reference,
        channel=Channel(row.channel),
        status=OrderStatus(row.status),
        user=row.user,
        created_at=row.created_at,
        expires_at=row.expires_at,
        closed_at=row.closed_at,
        lines=tuple(lines),
    )


def _orders(now: datetime) -> Select[Any]:
    """Orders as of `now`: an open order past its time to live reads as expired, and its holds
    as expired, before the sweeper has written that."""
    columns = [c for c in order_t.c if c.name != "status"]
    return select(*columns, order_status(_o.status, _o.expires_at, now).label("status"))


def _load(db: Database, order_id: int) -> OrderView:
    now = db.now()
    with db.read() as conn:
        row = conn.execute(_orders(now).where(_o.id == order_id)).one()
        return _to_view(row, _lines(conn, [order_id], now)[order_id])


def get_order_by_id(db: Database, actor: Actor, order_id: int) -> OrderView:
    """One order by its number; raises NotFound."""
    require(actor, Permission.VIEW)
    now = db.now()
    with db.read() as conn:
        row = conn.execute(_orders(now).where(_o.id == order_id)).first()
        if row is None:
            raise NotFound(f"There is no order number {order_id}.", field="id")
        return _to_view(row, _lines(conn, [row.id], now)[row.id])


def get_order(db: Database, actor: Actor, reference: object) -> OrderView:
    require(actor, Permission.VIEW)
    ref = _reference(reference)
    now = db.now()
    with db.read() as conn:
        row = conn.execute(_orders(now).where(_o.reference == ref)).first()
        if row is None:
            raise NotFound(f"There is no order “{ref}”.", field="reference")
        return _to_view(row, _lines(conn, [row.id], now)[row.id])


def list_orders(
    db: Database, actor: Actor, status: OrderStatus | None = None, limit: int = 500
) -> list[OrderView]:
    """Orders, newest first, with their lines and the status of each line's hold."""
    require(actor, Permission.VIEW)
    now = db.now()
    stmt = _orders(now).order_by(_o.id.desc()).limit(max(1, min(limit, 10_000)))
    if status is not None:
        stmt = stmt.where(order_status_is(_o.status, _o.expires_at, status, now))
    with db.read() as conn:
        rows = conn.execute(stmt).all()
        lines = _lines(conn, [row.id for row in rows], now)
        return [_to_view(row, lines[row.id]) for row in rows]
