"""Reservations: soft holds on available stock that are committed (sold), released, or expire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from invdesk.db import counters
from invdesk.db.direct import Direct
from invdesk.db.engine import AfterCommit, Database
from invdesk.db.request_ids import claim, unclaim
from invdesk.db.tables import product_t, reservation_t, warehouse_t
from invdesk.domain.errors import InsufficientStock, NotFound, ValidationError
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import (
    MovementKind,
    MovementView,
    ReservationStatus,
    ReservationView,
    ReserveStock,
    StockResult,
)
from invdesk.domain.stock_checks import optional_text
from invdesk.domain.validation import parse_quantity, parse_whole_number
from invdesk.services.catalog.lookup import (
    ProductRef,
    WarehouseRef,
    product_ref,
    refs_by_id,
    request_id_or_new,
    require_active_warehouse,
    warehouse_code,
    warehouse_ref,
)
from invdesk.services.stock import events, ledger, quants
from invdesk.services.stock.availability import reservation_status, reservation_status_is
from invdesk.services.stock.operation import Planned, run_operation
from invdesk.services.stock.quants import needs_grain

_r = reservation_t.c
MAX_TTL_SECONDS = 90 * 24 * 3600
MAX_RESERVATION_ID = 2**63 - 1  # a BIGINT; never MAX_QTY, which bounds quantities, not ids
# pg_try_advisory_xact_lock key that makes the sweeper a singleton across PCs ("invdsweep").
SWEEP_LOCK_KEY = 0x696E76647377
# Built once: the overdue holds on one stock row (run when a take or hold finds too little).
_DUE = Direct(
    select(_r.id)
    .where(
        _r.product_id == bindparam("pid"),
        _r.warehouse_id == bindparam("wid"),
        _r.status == ReservationStatus.ACTIVE.value,
        _r.expires_at <= bindparam("at"),
    )
    .order_by(_r.id)
)


def _refs(conn: Connection, row: Any) -> tuple[ProductRef, WarehouseRef]:
    return refs_by_id(conn, row.product_id, row.warehouse_id)


def _close(
    op: ledger.Op, reservation_id: int, status: ReservationStatus, only_expired: bool = False
) -> Row[Any] | None:
    """Move an active hold to a final status; None if it was not active (someone else closed it)."""
    conditions = [_r.id == reservation_id, _r.status == ReservationStatus.ACTIVE.value]
    if only_expired:
        conditions.append(_r.expires_at <= op.at)
    elif status is not ReservationStatus.EXPIRED:
        conditions.append(_r.expires_at > op.at)
    stmt = (
        update(reservation_t)
        .where(*conditions)
        .values(status=status.value, closed_at=op.at)
        .returning(_r.id, _r.product_id, _r.warehouse_id, _r.qty, _r.reference)
    )
    return op.conn.execute(stmt).first()


def _expire_one(conn: Connection, actor: Actor, at: Any, reservation_id: int) -> bool:
    """Expire one overdue hold under its own request id, so it is released exactly once."""
    request_id = f"expire-{reservation_id}"
    op = ledger.Op(conn, actor, at, request_id)
    row = _close(op, reservation_id, ReservationStatus.EXPIRED, only_expired=True)
    if row is None:
        return False
    claim(conn, request_id, "expire", fingerprint("expire", reservation_id), actor, at)
    product, warehouse = _refs(conn, row)
    level = counters.unhold(conn, product.id, warehouse.id, row.qty, consume=False)
    ledger.record(
        op,
        MovementKind.EXPIRE,
        product,
        warehouse,
        qty=0,
        units=row.qty,
        reserved_delta=-row.qty,
        balance_after=level.on_hand,
        reference=row.reference,
        reason="Reservation expired",
        reservation_id=reservation_id,
    )
    return True


def expire_due(op: ledger.Op, product: ProductRef, warehouse: WarehouseRef) -> int:
    """Release the overdue holds on one stock row inside the current operation; returns how many."""
    params = {"pid": product.id, "wid": warehouse.id, "at": op.at}
    due = [row[0] for row in _DUE.all(op.conn, params)]
    return sum(_expire_one(op.conn, op.actor, op.at, rid) for rid in due)


def hold_units(
    op: ledger.Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    refusal: Callable[[int], str],
) -> counters.Level:
    """Hold units for a new reservation, first freeing this row's overdue holds if that is what
    stands in the way; InsufficientStock with `refusal(available)` when there still are too few."""
    level = counters.hold(op.conn, product.id, warehouse.id, units)
    if level is None and expire_due(op, product, warehouse):
        level = counters.hold(op.conn, product.id, warehouse.id, units)
    if level is not None and needs_grain(product, warehouse):
        # Expired lots and quarantine are on hand but not for sale: a hold never counts on them.
        usable = quants.sellable(op, product, warehouse) - (level.reserved - units)
        if usable < units:
            raise InsufficientStock(
                refusal(max(usable, 0)), available=max(usable, 0), requested=units
            )
    if level is not None:
        return level
    current = counters.read(op.conn, product.id, warehouse.id)
    available = 0 if current is None else current.on_hand - current.reserved
    raise InsufficientStock(refusal(available), available=available, requested=units)


def open_hold(
    op: ledger.Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    ttl: int,
    reference: str | None,
    refusal: Callable[[int], str],
) -> Row[Any]:
    """Hold units for `ttl` seconds under the operation's request id: the counters, the
    reservation row (returned) and its ledger row, in the operation's transaction."""
    level = hold_units(op, product, warehouse, units, refusal)
    row = op.conn.execute(
        insert(reservation_t)
        .values(
            product_id=product.id,
            warehouse_id=warehouse.id,
            qty=units,
            status=ReservationStatus.ACTIVE.value,
            reference=reference,
            user=op.actor.username,
            created_at=op.at,
            expires_at=op.at + timedelta(seconds=ttl),
            request_id=op.request_id,
        )
        .returning(reservation_t)
    ).one()
    ledger.record(
        op,
        MovementKind.RESERVE,
        product,
        warehouse,
        qty=0,
        units=units,
        reserved_delta=units,
        balance_after=level.on_hand,
        reference=reference,
        reservation_id=row.id,
    )
    return row


def sweep(db: Database, actor: Actor, limit: int = 1000) -> int:
    """Release every hold past its expiry; safe to run on several PCs at once. Returns the count."""
    require(actor, Permission.STOCK)
    now = db.now()
    with db.read() as conn:
        due = (
            conn.execute(
                select(_r.id)
                .where(_r.status == ReservationStatus.ACTIVE.value, _r.expires_at <= now)
                .order_by(_r.id)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    if not due:
        return 0

    def work(conn: Connection) -> int:
        if (
            conn.dialect.name == "postgresql"
            and not conn.execute(select(func.pg_try_advisory_xact_lock(SWEEP_LOCK_KEY))).scalar()
        ):
            return 0  # another PC is sweeping right now; its releases are the ones that count
        return sum(_expire_one(conn, actor, now, rid) for rid in due)

    return events.run(db, work)


def _view(row: Any, sku: str, warehouse: str, replayed: bool = False) -> ReservationView:
    return ReservationView(
        id=row.id,
        sku=sku,
        warehouse=warehouse,
        qty=row.qty,
        status=ReservationStatus(row.status),
        reference=row.reference,
        user=row.user,
        created_at=row.created_at,
        expires_at=row.expires_at,
        closed_at=row.closed_at,
        replayed=replayed,
    )


def reserve(db: Database, cmd: ReserveStock, actor: Actor) -> ReservationView:
    """Hold qty of available stock for ttl_seconds. Raises InsufficientStock when it is not there."""
    require(actor, Permission.STOCK)
    qty = parse_quantity(cmd.qty)
    ttl = parse_whole_number(cmd.ttl_seconds, label="Time to live (seconds)", field="ttl")
    if ttl > MAX_TTL_SECONDS:
        raise ValidationError("A reservation can be held for at most 90 days.", field="ttl")
    code = warehouse_code(cmd.warehouse)
    product_code = optional_text(cmd.product, "SKU or barcode", "product")
    if product_code is None:
        raise ValidationError("SKU or barcode cannot be empty.", field="product")
    reference = optional_text(cmd.reference, "Reference", "reference")
    rid = request_id_or_new(cmd.request_id)
    digest = fingerprint("reserve", [product_code, code, qty, ttl, reference])

    def work(conn: Connection) -> ReservationView:
        at = db.now()
        op = ledger.Op(conn, actor, at, rid)
        if not claim(conn, rid, "reserve", digest, actor, at):
            row = conn.execute(select(reservation_t).where(_r.request_id == rid)).one()
            product, warehouse = _refs(conn, row)
            return _view(row, product.sku, warehouse.code, replayed=True)
        warehouse = warehouse_ref(conn, code)
        require_active_warehouse(warehouse)
        product = product_ref(conn, product_code)
        units = qty * product.pack_qty
        row = open_hold(
            op,
            product,
            warehouse,
            units,
            ttl,
            reference,
            lambda available: (
                f"Cannot reserve {units:,} of {product.sku} in {warehouse.code}: "
                f"only {available:,} available."
            ),
        )
        return _view(row, product.sku, warehouse.code)

    return events.run(db, work)


def _finish(
    db: Database, actor: Actor, reservation_id: object, request_id: str | None, *, commit: bool
) -> StockResult:
    number = parse_whole_number(
        reservation_id,
        label="Reservation number",
        field="reservation",
        maximum=MAX_RESERVATION_ID,
    )
    kind = "commit" if commit else "release"

    def apply(op: ledger.Op) -> tuple[MovementView, ...] | AfterCommit:
        moved = close_hold(op, number, commit=commit)
        return _refuse(op, number, kind) if moved is None else (moved,)

    return run_operation(db, actor, Planned(kind, request_id, [number], apply))


def _refuse(op: ledger.Op, number: int, kind: str) -> AfterCommit:
    row = op.conn.execute(select(_r.status, _r.expires_at).where(_r.id == number)).first()
    if row is None:
        raise NotFound(f"There is no reservation number {number}.", field="reservation")
    if row.status != ReservationStatus.ACTIVE.value:
        raise ValidationError(
            f"Reservation {number} is already {row.status}; it cannot be {kind}ted."
            if kind == "commit"
            else f"Reservation {number} is already {row.status}; there is nothing to release.",
            field="reservation",
        )
    # Active but overdue: release it now (that must persist), then refuse the commit/release.
    unclaim(op.conn, op.request_id)
    _expire_one(op.conn, op.actor, op.at, number)
    return AfterCommit(
        ValidationError(
            f"Reservation {number} expired at {row.expires_at:%Y-%m-%d %H:%M} UTC and its stock "
            "has been released.",
            field="reservation",
        )
    )


def commit(
    db: Database, reservation_id: object, actor: Actor, request_id: str | None = None
) -> StockResult:
    """Turn an active hold into an issue (a ledger row of kind issue). Refuses closed or expired holds."""
    return _finish(db, actor, reservation_id, request_id, commit=True)


def release(
    db: Database, reservation_id: object, actor: Actor, request_id: str | None = None
) -> StockResult:
    """Give an active hold back to available stock."""
    return _finish(db, actor, reservation_id, request_id, commit=False)


def list_reservations(
    db: Database, actor: Actor, status: ReservationStatus | None = None, limit: int = 500
) -> list[ReservationView]:
    require(actor, Permission.VIEW)
    p, w = product_t, warehouse_t
    now = db.now()
    # A hold past its expiry reads as expired before the sweeper has written that.
    columns = [c for c in reservation_t.c if c.name != "status"]
    stmt = (
        select(*columns, reservation_status(now).label("status"), p.c.sku, w.c.code.label("wh"))
        .join(p, p.c.id == _r.product_id)
        .join(w, w.c.id == _r.warehouse_id)
        .order_by(_r.id.desc())
        .limit(limit)
    )
    if status is not None:
        stmt = stmt.where(reservation_status_is(status, now))
    with db.read() as conn:
        return [_view(row, row.sku, row.wh) for row in conn.execute(stmt)]


def _commit_pieces(
    op: ledger.Op, product: ProductRef, warehouse: WarehouseRef, level: counters.Level, row: Any
) -> MovementView:
    """A committed hold of a product kept in several places: issued first expiry first, one
    ledger row per lot and location; the first row carries the hold's end (the view returned)."""
    pieces = quants.pick(op, product, warehouse, row.qty)
    later = row.qty
    views = []
    for index, piece in enumerate(pieces):
        later -= piece.qty
        views.append(
            ledger.record(
                op,
                MovementKind.ISSUE,
                product,
                warehouse,
                qty=-piece.qty,
                units=piece.qty,
                reserved_delta=-row.qty if index == 0 else 0,
                balance_after=level.on_hand + later,
                reference=row.reference,
                unit_cost_minor=level.avg_cost_minor,
                reservation_id=row.id,
                spot=piece.spot,
            )
        )
    return views[0]


def close_hold(op: ledger.Op, reservation_id: int, *, commit: bool) -> MovementView | None:
    """Inside a running operation, commit (an issue) or release one active, unexpired hold.

    Returns the ledger row, or None when the hold is not active or is overdue (nothing changed).
    """
    status = ReservationStatus.COMMITTED if commit else ReservationStatus.RELEASED
    row = _close(op, reservation_id, status)
    if row is None:
        return None
    product, warehouse = _refs(op.conn, row)
    level = counters.unhold(op.conn, product.id, warehouse.id, row.qty, consume=commit)
    if commit and needs_grain(product, warehouse):
        return _commit_pieces(op, product, warehouse, level, row)
    return ledger.record(
        op,
        MovementKind.ISSUE if commit else MovementKind.RELEASE,
        product,
        warehouse,
        qty=-row.qty if commit else 0,
        units=row.qty,
        reserved_delta=-row.qty,
        balance_after=level.on_hand,
        reference=row.reference,
        unit_cost_minor=level.avg_cost_minor if commit else None,
        reservation_id=reservation_id,
    )
