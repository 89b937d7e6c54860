"""Alerts for people: list with filters, acknowledge, and the open count for the side-bar badge."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import alert_t, product_t, warehouse_t
from invdesk.domain.errors import Conflict, NotFound
from invdesk.domain.restock import AlertKind, AlertStatus, AlertView
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref
from invdesk.services.stock import events

_a = alert_t.c


def _view(row: object) -> AlertView:
    r = row._mapping  # type: ignore[attr-defined]
    return AlertView(
        id=r["id"],
        sku=r["sku"],
        product_name=r["name"],
        warehouse=r["code"],
        kind=AlertKind(r["kind"]),
        status=AlertStatus(r["status"]),
        available=r["available"],
        threshold=r["threshold"],
        raised_at=r["raised_at"],
        acknowledged_at=r["acknowledged_at"],
        acknowledged_by=r["acknowledged_by"],
        resolved_at=r["resolved_at"],
        version=r["version"],
    )


def list_alerts(
    db: Database,
    actor: Actor,
    *,
    statuses: Sequence[AlertStatus] = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
    warehouses: Sequence[str] = (),
    kind: AlertKind | None = None,
    limit: int = 500,
) -> list[AlertView]:
    """Alerts, newest first, filtered by status (default: unresolved), warehouse codes and kind."""
    require(actor, Permission.VIEW)
    stmt = (
        select(alert_t, product_t.c.sku, product_t.c.name, warehouse_t.c.code)
        .join(product_t, product_t.c.id == _a.product_id)
        .join(warehouse_t, warehouse_t.c.id == _a.warehouse_id)
        .where(_a.status.in_([s.value for s in statuses]))
        .order_by(_a.id.desc())
        .limit(max(1, min(limit, 100_000)))
    )
    if kind is not None:
        stmt = stmt.where(_a.kind == kind.value)
    with db.read() as conn:
        if warehouses:
            ids = [warehouse_ref(conn, warehouse_code(w)).id for w in warehouses]
            stmt = stmt.where(_a.warehouse_id.in_(ids))
        return [_view(row) for row in conn.execute(stmt)]


def alert_badge_count(db: Database, actor: Actor, warehouses: Sequence[str] = ()) -> int:
    """How many alerts are open (not yet acknowledged): the number on the side-bar badge."""
    require(actor, Permission.VIEW)
    stmt = select(func.count()).select_from(alert_t).where(_a.status == AlertStatus.OPEN.value)
    with db.read() as conn:
        if warehouses:
            ids = [warehouse_ref(conn, warehouse_code(w)).id for w in warehouses]
            stmt = stmt.where(_a.warehouse_id.in_(ids))
        return int(conn.execute(stmt).scalar_one())


def acknowledge(
    db: Database, alert_id: int, actor: Actor, expected_version: int | None = None
) -> None:
    """Mark an open alert as seen; it stays until stock recovers. Conflict if it changed meanwhile."""
    require(actor, Permission.STOCK)

    def work(conn: Connection) -> None:
        row = conn.execute(
            select(_a.status, _a.product_id, _a.warehouse_id).where(_a.id == alert_id)
        ).first()
        if row is None:
            raise NotFound(f"There is no alert number {alert_id}.", field="alert")
        if row.status != AlertStatus.OPEN.value:
            raise Conflict(f"Alert {alert_id} is already {row.status}.", field="alert")
        at = db.now()
        stmt = update(alert_t).where(_a.id == alert_id, _a.status == AlertStatus.OPEN.value)
        if expected_version is not None:
            stmt = stmt.where(_a.version == expected_version)
        done = conn.execute(
            stmt.values(
                status=AlertStatus.ACKNOWLEDGED.value,
                acknowledged_at=at,
                acknowledged_by=actor.username,
                updated_at=at,
                version=_a.version + 1,
            )
        )
        if done.rowcount != 1:
            raise Conflict(f"Alert {alert_id} was changed by someone else; reload.")
        events.collect(conn, events.AlertAcknowledged(alert_id, row.product_id, row.warehouse_id))

    events.run(db, work)
