"""Where and which inside a stock operation: locations, putaway, lots, serials and FEFO picks.

Quants (stock per product, warehouse, location and lot) are moved by the ledger rows' trigger;
what an operation decides here is which quants its rows name. Every call runs after the caller
has locked the product's counter row in the warehouse (counters.take/put/lock/ensure), so the
quants read here cannot change under it: on PostgreSQL every ledger row of that product and
warehouse takes the same row lock first, and SQLite writes one transaction at a time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, func, insert, literal, select

from invdesk.db.tables import location_t, lot_t, putaway_t, quant_t, warehouse_t
from invdesk.domain.errors import InsufficientStock, NotFound, ValidationError
from invdesk.domain.tracking import LocationType, Tracking
from invdesk.services.catalog.lookup import ProductRef, WarehouseRef
from invdesk.services.stock.ledger import DEFAULT_SPOT, Op, Spot

_q, _l, _loc = quant_t.c, lot_t.c, location_t.c


class Piece(NamedTuple):
    """Units of one quant an operation takes or puts."""

    spot: Spot
    qty: int


def today(op: Op) -> date:
    return op.at.date()


def location_spot(op: Op, warehouse: WarehouseRef, code: str | None, *, field: str) -> Spot:
    """The spot of a location code in a warehouse (the default location for None)."""
    if code is None:
        return DEFAULT_SPOT
    row = op.conn.execute(
        select(_loc.id, _loc.code, _loc.active).where(
            _loc.warehouse_id == warehouse.id, _loc.code == code
        )
    ).first()
    if row is None:
        raise NotFound(f"Warehouse {warehouse.code} has no location “{code}”.", field=field)
    if not row.active:
        raise ValidationError(
            f"Location {code} of {warehouse.code} is inactive; reactivate it first.", field=field
        )
    return Spot(row.id, row.code)


def putaway_spot(op: Op, product: ProductRef, warehouse: WarehouseRef) -> Spot:
    """Where a receipt of the product goes when no location is named: its putaway location in
    the warehouse if it has an active one, else the warehouse's default location."""
    if not warehouse.has_locations:
        return DEFAULT_SPOT
    row = op.conn.execute(
        select(_loc.id, _loc.code)
        .join(putaway_t, putaway_t.c.location_id == _loc.id)
        .where(
            putaway_t.c.product_id == product.id,
            putaway_t.c.warehouse_id == warehouse.id,
            _loc.active.is_(True),
        )
    ).first()
    return DEFAULT_SPOT if row is None else Spot(row.id, row.code)


def _lot_row(conn: Connection, product_id: int, number: str) -> Any:
    return conn.execute(
        select(_l.id, _l.number, _l.serial, _l.expiry, _l.produced).where(
            _l.product_id == product_id, _l.number == number
        )
    ).first()


def lot_for_receipt(
    op: Op,
    product: ProductRef,
    number: str,
    expiry: date | None,
    produced: date | None,
    *,
    serial: bool = False,
) -> tuple[int, str]:
    """The lot (or serial) `number` of the product, made now if it is new.

    A new lot without an expiry is dated by the product's shelf life from its production date
    (or today). Dates that contradict a known lot are refused: one lot has one expiry.
    """
    if produced is not None and expiry is not None and expiry < produced:
        raise ValidationError(
            f"Lot {number} of {product.sku} cannot expire ({expiry}) before it was made "
            f"({produced}).",
            field="expiry",
        )
    row = _lot_row(op.conn, product.id, number)
    if row is not None:
        if expiry is not None and row.expiry is not None and row.expiry != expiry:
            raise ValidationError(
                f"Lot {number} of {product.sku} expires on {row.expiry}, not {expiry}; "
                "check the label.",
                field="expiry",
            )
        return row.id, row.number
    if expiry is None and product.shelf_life_days is not None and not serial:
        expiry = (produced or today(op)) + timedelta(days=product.shelf_life_days)
    new_id = op.conn.execute(
        insert(lot_t)
        .values(
            product_id=product.id,
            number=number,
            serial=serial,
            expiry=expiry,
            produced=produced,
            created_at=op.at,
            created_by=op.actor.username,
        )
        .returning(_l.id)
    ).scalar_one()
    return new_id, number


def known_lot(op: Op, product: ProductRef, number: str, *, field: str = "lot") -> tuple[int, Any]:
    """A lot or serial that exists (its id and row), or NotFound naming it."""
    row = _lot_row(op.conn, product.id, number)
    if row is None:
        what = "serial number" if product.tracking == Tracking.SERIAL else "lot"
        raise NotFound(f"{product.sku} has no {what} “{number}”.", field=field)
    return row.id, row


def serial_in_stock(op: Op, lot_id: int) -> tuple[str, str | None] | None:
    """Where a serial is on hand (warehouse code, location code), or None."""
    row = op.conn.execute(
        select(warehouse_t.c.code, _loc.code)
        .select_from(quant_t)
        .join(warehouse_t, warehouse_t.c.id == _q.warehouse_id)
        .outerjoin(location_t, location_t.c.id == _q.location_id)
        .where(_q.lot_id == lot_id, _q.on_hand > 0)
    ).first()
    return None if row is None else (row[0], row[1])


def lock_lot(op: Op, lot_id: int) -> None:
    """Lock a serial's lot row: two warehouses receiving the same serial at once take turns
    (their counter locks differ), so a serial is never in two places."""
    if op.conn.dialect.name == "postgresql":
        op.conn.execute(select(_l.id).where(_l.id == lot_id).with_for_update())


def receipt_pieces(
    op: Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    line: Any,
    *,
    returning: bool = False,
) -> list[Piece]:
    """Where a receipt (or a restocking return) of `units` goes, piece by piece.

    Untracked: one piece at the named location or the putaway. Lot-tracked: the line's lot is
    required (made if new). Serial-tracked: one piece per serial, each not in stock anywhere.
    """
    field_row = getattr(line, "row", None)
    spot = (
        location_spot(op, warehouse, line.location, field="location")
        if line.location is not None
        else putaway_spot(op, product, warehouse)
    )
    if product.tracking == Tracking.LOT:
        if line.lot is None:
            raise ValidationError(
                f"{product.sku} is tracked by lot: give the lot number (or scan the GS1 label).",
                field="lot",
                line=field_row,
            )
        lot_id, number = lot_for_receipt(op, product, line.lot, line.expiry, line.produced)
        return [Piece(spot._replace(lot_id=lot_id, lot=number), units)]
    if product.tracking == Tracking.SERIAL:
        if len(line.serials) != units:
            raise ValidationError(
                f"{product.sku} is tracked by serial number: scan one serial per unit "
                f"({len(line.serials):,} for {units:,}).",
                field="serials",
                line=field_row,
            )
        pieces = []
        for serial in line.serials:
            lot_id, number = lot_for_receipt(op, product, serial, None, None, serial=True)
            lock_lot(op, lot_id)
            where = serial_in_stock(op, lot_id)
            if where is not None:
                place = where[0] if where[1] is None else f"{where[0]} {where[1]}"
                verb = "returned" if returning else "received"
                raise ValidationError(
                    f"Serial {serial} of {product.sku} is already in stock at {place}; "
                    f"it cannot be {verb} again.",
                    field="serials",
                    line=field_row,
                )
            pieces.append(Piece(spot._replace(lot_id=lot_id, lot=number), 1))
        return pieces
    return [Piece(spot, units)]


def _quants(
    op: Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    location_id: int | None,
    lot_id: int | None,
    named_location: bool,
) -> list[Any]:
    """The product's quants with stock here, first expiry first (no expiry last), then by
    location code (the default location first), as FEFO takes them."""
    stmt = (
        select(
            _q.location_id,
            _loc.code.label("location"),
            _loc.type.label("location_type"),
            _q.lot_id,
            _l.number.label("lot"),
            _l.expiry,
            _q.on_hand,
        )
        .select_from(quant_t)
        .outerjoin(location_t, _loc.id == _q.location_id)
        .outerjoin(lot_t, _l.id == _q.lot_id)
        .where(_q.product_id == product.id, _q.warehouse_id == warehouse.id, _q.on_hand > 0)
        .order_by(_l.expiry.is_(None), _l.expiry, _loc.code.is_not(None), _loc.code, _q.lot_id)
    )
    if named_location:
        stmt = stmt.where(func.coalesce(_q.location_id, 0) == (location_id or 0))
    if lot_id is not None:
        stmt = stmt.where(_q.lot_id == lot_id)
    return list(op.conn.execute(stmt))


def pick(
    op: Op,
    product: ProductRef,
    warehouse: WarehouseRef,
    units: int,
    *,
    location: Spot | None = None,
    lot_id: int | None = None,
    allow_expired: bool = False,
    field: str = "qty",
) -> list[Piece]:
    """The quants `units` come out of: first expiry first (FEFO), never an expired lot unless
    allowed, never a quarantine location unless it is the one named.

    `location` names the location to take from (DEFAULT_SPOT for the default one); `lot_id` a
    lot or serial. Raises InsufficientStock saying what is there (and what is expired).
    """
    named = location is not None
    found = _quants(
        op, product, warehouse, None if location is None else location.location_id, lot_id, named
    )
    day = today(op)
    pieces: list[Piece] = []
    left = units
    expired = quarantined = 0
    for q in found:
        if q.expiry is not None and q.expiry < day and not allow_expired:
            expired += q.on_hand
            continue
        if q.location_type == LocationType.QUARANTINE.value and not named:
            quarantined += q.on_hand
            continue
        take = min(left, q.on_hand)
        pieces.append(Piece(Spot(q.location_id, q.location, q.lot_id, q.lot), take))
        left -= take
        if left == 0:
            return pieces
    usable = units - left
    where = "" if location is None else f" at {location.location or 'the default location'}"
    notes = []
    if expired:
        notes.append(f"{expired:,} more in expired lots (an override with a reason lets them out)")
    if quarantined:
        notes.append(f"{quarantined:,} more in quarantine")
    more = f"; {' and '.join(notes)}" if notes else ""
    raise InsufficientStock(
        f"Not enough {product.sku} ({product.name}) in {warehouse.code}{where}: "
        f"{usable:,} can be taken, {units:,} requested{more}.",
        available=usable,
        requested=units,
        field=field,
    )


def sellable(op: Op, product: ProductRef, warehouse: WarehouseRef) -> int:
    """Units that may be held or issued without an override: not expired, not in quarantine."""
    day = today(op)
    stmt = (
        select(func.coalesce(func.sum(_q.on_hand), 0))
        .select_from(quant_t)
        .outerjoin(location_t, _loc.id == _q.location_id)
        .outerjoin(lot_t, _l.id == _q.lot_id)
        .where(
            _q.product_id == product.id,
            _q.warehouse_id == warehouse.id,
            and_(
                func.coalesce(_l.expiry, literal(date.max)) >= bindparam("day"),
                func.coalesce(_loc.type, literal("storage")) != LocationType.QUARANTINE.value,
            ),
        )
    )
    return int(op.conn.execute(stmt, {"day": day}).scalar_one())


def needs_grain(product: ProductRef, warehouse: WarehouseRef, line: Any = None) -> bool:
    """Whether an operation must choose quants: a tracked product, a warehouse with locations,
    or a line naming a location, lot or serial. Otherwise it is the one default quant, as
    before locations and lots, and the operation takes the path it always took."""
    return (
        product.tracking != Tracking.NONE
        or warehouse.has_locations
        or (line is not None and not line.plain)
    )
