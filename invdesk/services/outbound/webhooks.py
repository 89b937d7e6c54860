"""Webhooks for admins: add, list, remove, test; the deliveries they got, and a retry."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import delivery_t, webhook_t
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.outbound import (
    TEST_EVENT,
    DeliveryView,
    WebhookView,
    check_event_types,
    check_url,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.services import audit_trail
from invdesk.services.stock import events
from invdesk.services.stock.outbox import write_one

_w = webhook_t.c
_d = delivery_t.c
DELIVERY_STATUSES = ("pending", "delivered", "failed", "cancelled")


def _webhook_view(row: Any) -> WebhookView:
    return WebhookView(
        id=row.id,
        url=row.url,
        events=tuple(row.event_types.split()),
        active=bool(row.active),
        created_at=row.created_at,
        created_by=row.created_by,
    )


def add_webhook(
    db: Database, actor: Actor, url: str, event_types: Sequence[str], secret: str | None = None
) -> tuple[WebhookView, str]:
    """Register an endpoint for `event_types`; returns it with its signing secret (made if None).

    Raises ValidationError for a malformed address, an unknown event type or a short secret.
    """
    require(actor, Permission.ADMIN)
    clean_url = check_url(url)
    chosen = check_event_types(list(event_types))
    key = secrets.token_urlsafe(32) if secret is None else secret
    if len(key) < 16 or len(key) > 200:
        raise ValidationError(
            "A webhook secret needs 16 to 200 characters (leave it out to get a random one).",
            field="secret",
        )

    def work(conn: Connection) -> WebhookView:
        events.collect(conn, events.AdminChanged("webhook"))  # the Admin page's lists
        at = db.now()
        new_id = conn.execute(
            insert(webhook_t)
            .values(
                url=clean_url,
                event_types=" ".join(chosen),
                secret=key,
                active=True,
                created_at=at,
                created_by=actor.username,
            )
            .returning(_w.id)
        ).scalar_one()
        audit_trail.record(conn, actor, at, "add", "webhook", str(new_id), {"url": clean_url})
        row = conn.execute(select(webhook_t).where(_w.id == new_id)).one()
        return _webhook_view(row)

    return events.run(db, work), key


def list_webhooks(db: Database, actor: Actor) -> list[WebhookView]:
    """Active webhooks, oldest first."""
    require(actor, Permission.ADMIN)
    with db.read() as conn:
        rows = conn.execute(select(webhook_t).where(_w.active.is_(True)).order_by(_w.id))
        return [_webhook_view(row) for row in rows]


def _active(conn: Connection, webhook_id: int) -> Any:
    row = conn.execute(select(webhook_t).where(_w.id == webhook_id, _w.active.is_(True))).first()
    if row is None:
        raise NotFound(f"There is no webhook number {webhook_id}.", field="webhook")
    return row


def remove_webhook(db: Database, actor: Actor, webhook_id: int) -> None:
    """Stop sending to a webhook; its pending deliveries are cancelled, its history stays."""
    require(actor, Permission.ADMIN)

    def work(conn: Connection) -> None:
        events.collect(conn, events.AdminChanged("webhook"))  # the Admin page's lists
        row = _active(conn, webhook_id)
        at = db.now()
        conn.execute(update(webhook_t).where(_w.id == webhook_id).values(active=False))
        conn.execute(
            update(delivery_t)
            .where(_d.webhook_id == webhook_id, _d.status == "pending")
            .values(status="cancelled")
        )
        audit_trail.record(conn, actor, at, "remove", "webhook", str(webhook_id), {"url": row.url})

    events.run(db, work)


def test_webhook(db: Database, actor: Actor, webhook_id: int) -> str:
    """Queue a webhook.test event for one webhook (the server sends it); returns its event id."""
    require(actor, Permission.ADMIN)

    def work(conn: Connection) -> str:
        events.collect(conn, events.AdminChanged("webhook"))  # the Admin page's lists
        _active(conn, webhook_id)
        data = {"webhook_id": webhook_id, "requested_by": actor.username}
        outbox_id = write_one(conn, db.now(), {"type": TEST_EVENT, "warehouses": [], "data": data})
        return f"{outbox_id}-0"

    return events.run(db, work)


def _delivery_view(row: Any) -> DeliveryView:
    return DeliveryView(
        id=row.id,
        channel=row.channel,
        recipient=row.recipient,
        event_id=row.event_id,
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        last_attempt_at=row.last_attempt_at,
        next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
        delivered_at=row.delivered_at,
        response_code=row.response_code,
        response_text=row.response_text,
    )


def list_deliveries(
    db: Database,
    actor: Actor,
    *,
    webhook_id: int | None = None,
    status: str | None = None,
    event_id: str | None = None,
    limit: int = 100,
) -> list[DeliveryView]:
    """Deliveries (webhooks, e-mail, chat), newest first: what was sent, when, and the answer."""
    require(actor, Permission.ADMIN)
    if status is not None and status not in DELIVERY_STATUSES:
        raise ValidationError(
            f"A delivery is {', '.join(DELIVERY_STATUSES)}, not “{status}”.", field="status"
        )
    stmt = select(delivery_t).order_by(_d.id.desc()).limit(max(1, min(limit, 10_000)))
    if webhook_id is not None:
        stmt = stmt.where(_d.webhook_id == webhook_id)
    if status is not None:
        stmt = stmt.where(_d.status == status)
    if event_id is not None:
        stmt = stmt.where(_d.event_id == event_id)
    with db.read() as conn:
        return [_delivery_view(row) for row in conn.execute(stmt)]


def delivery_body(db: Database, actor: Actor, delivery_id: int) -> dict[str, Any]:
    """The exact JSON document a delivery sends (for an admin checking what a receiver got)."""
    require(actor, Permission.ADMIN)
    with db.read() as conn:
        body = conn.execute(select(_d.body).where(_d.id == delivery_id)).scalar()
    if body is None:
        raise NotFound(f"There is no delivery number {delivery_id}.", field="delivery")
    document: dict[str, Any] = json.loads(body)
    return document


def retry_delivery(db: Database, actor: Actor, delivery_id: int) -> DeliveryView:
    """Send a failed (or pending) delivery again now, with the same body and event id."""
    require(actor, Permission.ADMIN)

    def work(conn: Connection) -> DeliveryView:
        events.collect(conn, events.AdminChanged("delivery"))  # the Admin page's lists
        row = conn.execute(select(delivery_t).where(_d.id == delivery_id)).first()
        if row is None:
            raise NotFound(f"There is no delivery number {delivery_id}.", field="delivery")
        if row.status in ("delivered", "cancelled"):
            raise ValidationError(
                f"Delivery {delivery_id} is {row.status}; only a failed or pending one is retried.",
                field="delivery",
            )
        at = db.now()
        conn.execute(
            update(delivery_t)
            .where(_d.id == delivery_id)
            .values(status="pending", next_attempt_at=at)
        )
        audit_trail.record(conn, actor, at, "retry", "delivery", str(delivery_id))
        return _delivery_view(conn.execute(select(delivery_t).where(_d.id == delivery_id)).one())

    return events.run(db, work)
