"""Stock operations: receive, issue, transfer, return and adjust (DESIGN.md section 3).

Each public call is one transaction that changes the counters and appends ledger rows together.
Lines are applied in (product id, warehouse id) order so that two documents touching the same rows
in a different order lock them in the same order and never deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from invdesk.db import counters
from invdesk.db.engine import Database
from invdesk.domain.errors import InsufficientStock, ValidationError, about_line
from invdesk.domain.security import Actor
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    MovementKind,
    MovementView,
    ReceiveStock,
    ReturnStock,
    StockResult,
    TransferStock,
)
from invdesk.domain.stock_checks import (
    CheckedLine,
    check_adjust,
    check_issue,
    check_receive,
    check_return,
    check_transfer,
)
from invdesk.domain.validation import MAX_ON_HAND
from invdesk.services.catalog.lookup import (
    ProductRef,
    WarehouseRef,
    product_cost_minor,
    product_ref,
    require_active_warehouse,
    warehouse_ref,
    warehouses_and_product,
)
from invdesk.services.stock import ledger
from invdesk.services.stock.counting import count_grain
from invdesk.services.stock.operation import (
    Planned,
    checked_units,
    resolved_units,
    run_operation,
)
from invdesk.services.stock.pieces import record_in, record_out, take_pieces
from invdesk.services.stock.quants import needs_grain, putaway_spot, receipt_pieces
from invdesk.services.stock.reservations import expire_due

Item = tuple[ProductRef, int, CheckedLine]


def _resolved(conn: Any, lines: tuple[CheckedLine, ...]) -> list[Item]:
    items = [(*found, line) for found, line in zip(resolved_units(conn, lines), lines, strict=True)]
    return sorted(items, key=lambda item: item[0].id)


def _looked_up(
    op: ledger.Op,
    codes: tuple[str, ...],
    lines: tuple[CheckedLine, ...],
    check: Callable[[list[WarehouseRef]], None] = lambda _warehouses: None,
    fields: tuple[str, ...] = ("warehouse",),
) -> tuple[list[WarehouseRef], list[Item]]:
    """The warehouses (checked by `check`) and the lines' products, sorted by product id.

    A single-line document by SKU, the common case, takes one round trip; anything else (several
    lines, a barcode, a code not found) is looked up piece by piece, which raises the same errors
    in the same order either way.
    """
    if len(lines) == 1:
        found = warehouses_and_product(op.conn, codes, lines[0].code)
        if found is not None:
            warehouses, product = found
            check(warehouses)
            return warehouses, [(product, checked_units(product, lines[0]), lines[0])]
    warehouses = [warehouse_ref(op.conn, c, field=f) for c, f in zip(codes, fields, strict=True)]
    check(warehouses)
    return warehouses, _resolved(op.conn, lines)


def add_units(
    op: ledger.Op, product: ProductRef, warehouse: WarehouseRef, units: int, cost_minor: int | None
) -> counters.Level:
    """Add units to on hand (a cost moves the average), or refuse going past MAX_ON_HAND."""
    level = counters.put(
        op.conn, product.id, warehouse.id, units, cost_minor, product_cost_minor(op.conn, product)
    )
    if level is None:
        raise ValidationError(
            f"Adding {units:,} units of {product.sku} in {warehouse.code} would exceed the "
            f"maximum of {MAX_ON_HAND:,} units on hand.",
            field="qty",
        )
    return level


def take_units(
    op: ledger.Op, product: ProductRef, warehouse: WarehouseRef, units: int, field: str = "qty"
) -> counters.Level:
    """Remove units from available stock, or raise InsufficientStock naming what is available."""
    level = counters.take(op.conn, product.id, warehouse.id, units)
    if level is None and expire_due(op, product, warehouse):
        level = counters.take(op.conn, product.id, warehouse.id, units)
    if level is None:
        current = counters.read(op.conn, product.id, warehouse.id)
        available = 0 if current is None else current.on_hand - current.reserved
        raise InsufficientStock(
            f"Not enough {product.sku} ({product.name}) in {warehouse.code}: "
            f"{available:,} available, {units:,} requested.",
            available=available,
            requested=units,
            field=field,
        )
    return level


def receive(db: Database, cmd: ReceiveStock, actor: Actor) -> StockResult:
    """Put stock in a warehouse. A unit cost moves the product's moving-average cost there.

    Raises ValidationError, NotFound, DuplicateRequest; returns the ledger rows written.
    """
    return run_operation(db, actor, plan_receive(cmd))


def plan_receive(cmd: ReceiveStock) -> Planned:
    """A receipt checked and ready to run (alone, or with others in one transaction)."""
    checked = check_receive(cmd)
    lines, reference = checked.lines, checked.reference

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        (warehouse,), items = _looked_up(
            op, (checked.warehouse,), lines, lambda found: require_active_warehouse(found[0])
        )
        rows = []
        for product, units, line in items:
            if not product.active:
                raise ValidationError(
                    f"Product {product.sku} is inactive; reactivate it first.",
                    field="product",
                    line=line.row,
                )
            with about_line(line.row):
                level = add_units(op, product, warehouse, units, line.cost_minor)
                if needs_grain(product, warehouse, line):
                    pieces = receipt_pieces(op, product, warehouse, units, line)
                    rows += record_in(
                        op,
                        MovementKind.RECEIVE,
                        product,
                        warehouse,
                        level,
                        pieces,
                        unit_cost_minor=line.cost_minor,
                        reference=reference,
                    )
                    continue
            rows.append(
                ledger.record(
                    op,
                    MovementKind.RECEIVE,
                    product,
                    warehouse,
                    qty=units,
                    units=units,
                    balance_after=level.on_hand,
                    unit_cost_minor=line.cost_minor,
                    reference=reference,
                )
            )
        return tuple(rows)

    return Planned("receive", cmd.request_id, checked.payload(), apply)


def _expired_reason(allow_expired: bool, reason: str | None) -> str | None:
    """The override of an expired lot is recorded on its rows with its why."""
    return f"Expired lot override: {reason}" if allow_expired else reason


def _transfer_pieces(
    op: ledger.Op,
    product: ProductRef,
    warehouses: tuple[WarehouseRef, WarehouseRef],
    levels: tuple[counters.Level, counters.Level],
    units: int,
    line: CheckedLine,
    reference: str | None,
    transfer_id: str,
) -> list[MovementView]:
    """A transfer line taken from the source's quants (FEFO, or the lot/serials/location named)
    and put into the destination's putaway location, lot by lot."""
    (source, destination), (out, into) = warehouses, levels
    taken = take_pieces(op, product, source, units, line)
    target = putaway_spot(op, product, destination)
    put = [
        piece._replace(spot=target._replace(lot_id=piece.spot.lot_id, lot=piece.spot.lot))
        for piece in taken
    ]
    common = dict(unit_cost_minor=out.avg_cost_minor, reference=reference, transfer_id=transfer_id)
    rows = record_out(op, MovementKind.TRANSFER_OUT, product, source, out, taken, **common)
    return rows + record_in(op, MovementKind.TRANSFER_IN, product, destination, into, put, **common)


def issue(db: Database, cmd: IssueStock, actor: Actor) -> StockResult:
    """Take stock out for a sale or consumption. Raises InsufficientStock if available < qty."""
    checked = check_issue(cmd)
    reference, reason = checked.reference, checked.reason

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        (warehouse,), items = _looked_up(op, (checked.warehouse,), checked.lines)
        rows = []
        for product, units, line in items:
            with about_line(line.row):
                level = take_units(op, product, warehouse, units)
                if needs_grain(product, warehouse, line):
                    pieces = take_pieces(
                        op, product, warehouse, units, line, allow_expired=checked.allow_expired
                    )
                    rows += record_out(
                        op,
                        MovementKind.ISSUE,
                        product,
                        warehouse,
                        level,
                        pieces,
                        unit_cost_minor=level.avg_cost_minor,
                        reference=reference,
                        reason=_expired_reason(checked.allow_expired, reason),
                    )
                    continue
            rows.append(
                ledger.record(
                    op,
                    MovementKind.ISSUE,
                    product,
                    warehouse,
                    qty=-units,
                    units=units,
                    balance_after=level.on_hand,
                    unit_cost_minor=level.avg_cost_minor,
                    reference=reference,
                    reason=reason,
                )
            )
        return tuple(rows)

    return run_operation(db, actor, Planned("issue", cmd.request_id, checked.payload(), apply))


def transfer(db: Database, cmd: TransferStock, actor: Actor) -> StockResult:
    """Move stock between warehouses: an out row and an in row per line, sharing a transfer id."""
    checked = check_transfer(cmd)
    reference = checked.reference

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        (source, destination), items = _looked_up(
            op,
            (checked.source, checked.destination),
            checked.lines,
            lambda found: require_active_warehouse(found[1], field="destination"),
            ("source", "destination"),
        )
        transfer_id = str(uuid.uuid4())
        rows: list[MovementView] = []
        for product, units, line in items:
            if destination.id < source.id:
                # Lock the lower warehouse id first, whichever way the goods move.
                counters.ensure(op.conn, product.id, destination.id, 0)
                counters.lock(op.conn, product.id, destination.id)
            with about_line(line.row):
                out = take_units(op, product, source, units)
                into = add_units(op, product, destination, units, out.avg_cost_minor)
                if needs_grain(product, source, line) or needs_grain(product, destination):
                    rows += _transfer_pieces(
                        op,
                        product,
                        (source, destination),
                        (out, into),
                        units,
                        line,
                        reference,
                        transfer_id,
                    )
                    continue
            rows.append(
                ledger.record(
                    op,
                    MovementKind.TRANSFER_OUT,
                    product,
                    source,
                    qty=-units,
                    units=units,
                    balance_after=out.on_hand,
                    unit_cost_minor=out.avg_cost_minor,
                    reference=reference,
                    transfer_id=transfer_id,
                )
            )
            rows.append(
                ledger.record(
                    op,
                    MovementKind.TRANSFER_IN,
                    product,
                    destination,
                    qty=units,
                    units=units,
                    balance_after=into.on_hand,
                    unit_cost_minor=out.avg_cost_minor,
                    reference=reference,
                    transfer_id=transfer_id,
                )
            )
        return tuple(rows)

    plan = Planned("transfer", cmd.request_id, checked.payload(), apply)
    return run_operation(db, actor, plan)


def return_stock(db: Database, cmd: ReturnStock, actor: Actor) -> StockResult:
    """A customer return: back into available stock, or recorded as damaged without restocking."""
    checked = check_return(cmd)
    reference, reason = checked.reference, checked.reason

    def restocked_into(found: list[WarehouseRef]) -> None:
        if not cmd.damaged:
            require_active_warehouse(found[0])

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        (warehouse,), items = _looked_up(op, (checked.warehouse,), checked.lines, restocked_into)
        rows = []
        for product, units, line in items:
            if cmd.damaged:
                current = counters.read(op.conn, product.id, warehouse.id)
                rows.append(
                    ledger.record(
                        op,
                        MovementKind.RETURN_DAMAGED,
                        product,
                        warehouse,
                        qty=0,
                        units=units,
                        balance_after=0 if current is None else current.on_hand,
                        reference=reference,
                        reason=reason,
                    )
                )
                continue
            with about_line(line.row):
                level = add_units(op, product, warehouse, units, None)
                if needs_grain(product, warehouse, line):
                    pieces = receipt_pieces(op, product, warehouse, units, line, returning=True)
                    rows += record_in(
                        op,
                        MovementKind.RETURN,
                        product,
                        warehouse,
                        level,
                        pieces,
                        unit_cost_minor=level.avg_cost_minor,
                        reference=reference,
                        reason=reason,
                    )
                    continue
            rows.append(
                ledger.record(
                    op,
                    MovementKind.RETURN,
                    product,
                    warehouse,
                    qty=units,
                    units=units,
                    balance_after=level.on_hand,
                    unit_cost_minor=level.avg_cost_minor,
                    reference=reference,
                    reason=reason,
                )
            )
        return tuple(rows)

    return run_operation(db, actor, Planned("return", cmd.request_id, checked.payload(), apply))


def adjust(db: Database, cmd: AdjustStock, actor: Actor) -> StockResult:
    """A stock count: set on hand to what was counted; the ledger records the difference and why.

    A count below the units held by open reservations is refused (release them first).
    """
    return run_operation(db, actor, plan_adjust(cmd))


def plan_adjust(cmd: AdjustStock) -> Planned:
    """A stock count checked and ready to run (alone, or with others in one transaction)."""
    checked = check_adjust(cmd)
    counted, reason, reference = checked.counted, checked.reason, checked.reference

    def apply(op: ledger.Op) -> tuple[MovementView, ...]:
        warehouse = warehouse_ref(op.conn, checked.warehouse)
        product = product_ref(op.conn, checked.product)
        # Counting by a case barcode counts cases, like every other stock command.
        counted_units = counted * product.pack_qty
        if counted_units > MAX_ON_HAND:
            raise ValidationError(
                f"{counted:,} × {product.pack_qty} units of {product.sku} is too large: "
                f"at most {MAX_ON_HAND:,} units on hand.",
                field="counted",
            )
        counters.ensure(op.conn, product.id, warehouse.id, product_cost_minor(op.conn, product))
        expire_due(op, product, warehouse)
        before = counters.lock(op.conn, product.id, warehouse.id)
        assert before is not None
        if (
            checked.location is not None
            or checked.lot is not None
            or needs_grain(product, warehouse)
        ):
            return count_grain(op, product, warehouse, before, counted_units, checked)
        if counted_units < before.reserved:
            raise ValidationError(
                f"{counted_units:,} counted is below the {before.reserved:,} units of {product.sku} "
                f"reserved in {warehouse.code}; release those reservations first.",
                field="counted",
            )
        after = counters.set_on_hand(op.conn, product.id, warehouse.id, counted_units)
        diff = counted_units - before.on_hand
        return (
            ledger.record(
                op,
                MovementKind.ADJUST,
                product,
                warehouse,
                qty=diff,
                units=abs(diff),
                balance_after=after.on_hand,
                unit_cost_minor=after.avg_cost_minor,
                reference=reference,
                reason=reason,
            ),
        )

    return Planned("adjust", cmd.request_id, checked.payload(), apply)
