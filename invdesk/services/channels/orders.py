"""Orders and alerts for channels: the order services, within the token's scopes and warehouses."""

from __future__ import annotations

from collections.abc import Sequence

from invdesk.db.engine import Database
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.orders import OrderLine, OrderView, PlaceOrder
from invdesk.domain.restock import AlertStatus, AlertView
from invdesk.domain.tokens import Scope, TokenGrant
from invdesk.services.catalog.lookup import warehouse_code
from invdesk.services.reads import alerts
from invdesk.services.stock import orders

MAX_HOLD_MINUTES = 90 * 24 * 60


def place(
    db: Database,
    grant: TokenGrant,
    *,
    channel: str,
    reference: str,
    warehouse: str,
    lines: Sequence[tuple[str, object]],
    hold_minutes: int | None = None,
) -> OrderView:
    """Hold every line (all or none) for the order; the same reference again returns the first
    order (`replayed`). Raises OrderShort (with each short line), DuplicateRequest (the reference
    was used with other lines), PermissionDenied, NotFound or ValidationError."""
    grant.require(Scope.ORDERS)
    code = warehouse_code(warehouse)
    grant.require_warehouse(code)
    cmd = PlaceOrder(
        reference=reference,
        warehouse=code,
        lines=tuple(OrderLine(sku, qty) for sku, qty in lines),
        channel=channel,
    )
    if hold_minutes is not None:
        if not 1 <= hold_minutes <= MAX_HOLD_MINUTES:
            raise ValidationError(
                "hold_minutes must be between 1 and 129,600 (90 days).", field="hold_minutes"
            )
        cmd = PlaceOrder(cmd.reference, code, cmd.lines, channel, hold_minutes * 60)
    return orders.place_order(db, cmd, grant.actor)


def _visible(grant: TokenGrant, view: OrderView) -> OrderView:
    if not all(grant.sees(line.warehouse) for line in view.lines):
        raise NotFound(f"There is no order number {view.id}.", field="id")
    return view


def get(db: Database, grant: TokenGrant, order_id: int) -> OrderView:
    """An order the token may see (all its lines in its warehouses); raises NotFound otherwise."""
    grant.require(Scope.ORDERS)
    return _visible(grant, orders.get_order_by_id(db, grant.actor, order_id))


def fulfil(db: Database, grant: TokenGrant, order_id: int) -> OrderView:
    """Fulfil (a fulfilled order is returned as it is); Conflict if cancelled or expired."""
    view = get(db, grant, order_id)
    return orders.fulfil_order(db, view.reference, grant.actor)


def cancel(db: Database, grant: TokenGrant, order_id: int) -> OrderView:
    """Cancel (a cancelled order is returned as it is); Conflict if fulfilled or expired."""
    view = get(db, grant, order_id)
    return orders.cancel_order(db, view.reference, grant.actor)


def list_alerts(
    db: Database, grant: TokenGrant, *, status: str | None = None, warehouse: str | None = None
) -> list[AlertView]:
    """Alerts in the token's warehouses, newest first; `status` open, acknowledged or resolved."""
    grant.require(Scope.READ)
    statuses: tuple[AlertStatus, ...] = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
    if status is not None:
        try:
            statuses = (AlertStatus(status.strip().lower()),)
        except ValueError:
            names = ", ".join(s.value for s in AlertStatus)
            raise ValidationError(
                f"Unknown alert status “{status}”: use {names}.", field="status"
            ) from None
    if warehouse is not None:
        code = warehouse_code(warehouse)
        grant.require_warehouse(code)
        codes: Sequence[str] = (code,)
    else:
        codes = sorted(grant.warehouses) if grant.warehouses is not None else ()
    return alerts.list_alerts(db, grant.actor, statuses=statuses, warehouses=codes)
