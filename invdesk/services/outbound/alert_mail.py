"""Alerts for people by e-mail: each user's address and choice, and the daily digest's contents."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import (
    alert_t,
    movement_t,
    product_t,
    reservation_t,
    subscription_t,
    user_t,
    warehouse_t,
)
from invdesk.domain.digest import Digest, DigestAlert, DigestHold, DigestMovement, WarehouseDigest
from invdesk.domain.errors import NotFound
from invdesk.domain.outbound import AlertSubscriptionView, check_alert_mode, check_email
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import ReservationStatus
from invdesk.services import audit_trail
from invdesk.services.catalog.watching import watched_of

_s = subscription_t.c
_m = movement_t.c
_r = reservation_t.c
_a = alert_t.c


def _require_self_or_admin(actor: Actor, username: str) -> None:
    if actor.username != username:
        require(actor, Permission.ADMIN)
    else:
        require(actor, Permission.VIEW)


def set_alert_mail(
    db: Database, actor: Actor, username: str, email: str | None, mode: str
) -> AlertSubscriptionView | None:
    """Set a user's alert e-mail and how alerts reach it: immediate, digest or off.

    Anyone may set their own; admins anyone's. `email` None keeps the address already set; mode
    "off" with no address removes the choice. Raises ValidationError, NotFound (no address yet).
    """
    _require_self_or_admin(actor, username)
    chosen = check_alert_mode(mode)
    address = None if email is None else check_email(email)

    def work(conn: Connection) -> AlertSubscriptionView | None:
        if conn.execute(select(func.count()).select_from(user_t)).scalar_one() and not (
            conn.execute(select(user_t.c.id).where(user_t.c.username == username)).first()
        ):
            raise NotFound(f"There is no user “{username}”.", field="user")
        current = conn.execute(select(subscription_t).where(_s.username == username)).first()
        if current is None and address is None:
            if chosen == "off":
                return None
            raise NotFound(f"{username} has no e-mail address yet: give one.", field="email")
        at = db.now()
        if current is None:
            conn.execute(
                insert(subscription_t).values(username=username, email=address, mode=chosen)
            )
        else:
            values: dict[str, Any] = {"mode": chosen}
            if address is not None:
                values["email"] = address
            conn.execute(update(subscription_t).where(_s.username == username).values(**values))
        audit_trail.record(conn, actor, at, "edit", "alert_mail", username, {"mode": chosen})
        row = conn.execute(select(subscription_t).where(_s.username == username)).one()
        return AlertSubscriptionView(row.username, row.email, row.mode)

    return db.run(work)


def alert_mail(db: Database, actor: Actor, username: str) -> AlertSubscriptionView | None:
    """A user's alert e-mail choice, or None if they have none."""
    _require_self_or_admin(actor, username)
    with db.read() as conn:
        row = conn.execute(select(subscription_t).where(_s.username == username)).first()
    return None if row is None else AlertSubscriptionView(row.username, row.email, row.mode)


def remove_alert_mail(db: Database, actor: Actor, username: str) -> None:
    """Forget a user's alert e-mail address."""
    _require_self_or_admin(actor, username)
    db.run(lambda conn: conn.execute(delete(subscription_t).where(_s.username == username)))


def digest_recipients(db: Database, day: date) -> list[str]:
    """Users who chose a daily digest and have not had today's."""
    with db.read() as conn:
        rows = conn.execute(
            select(_s.username)
            .outerjoin(user_t, user_t.c.username == _s.username)
            .where(
                _s.mode == "digest",
                func.coalesce(_s.last_digest_on, "") < day.isoformat(),
                func.coalesce(user_t.c.active, True).is_(True),
            )
            .order_by(_s.username)
        )
        return list(rows.scalars())


def claim_digest(db: Database, username: str, day: date) -> str | None:
    """Mark today's digest of `username` as being sent; its previous day, or None if another
    server claimed it first (so each digest goes out once)."""

    def work(conn: Connection) -> str | None:
        row = conn.execute(select(_s.last_digest_on).where(_s.username == username)).first()
        previous = "" if row is None or row.last_digest_on is None else row.last_digest_on
        if row is None or previous >= day.isoformat():
            return None
        done = conn.execute(
            update(subscription_t)
            .where(_s.username == username, func.coalesce(_s.last_digest_on, "") == previous)
            .values(last_digest_on=day.isoformat())
        )
        return previous if done.rowcount == 1 else None

    return db.run(work)


def unclaim_digest(db: Database, username: str, previous: str) -> None:
    """Undo a claim whose mail could not be sent, so the next run tries again."""
    db.run(
        lambda conn: conn.execute(
            update(subscription_t)
            .where(_s.username == username)
            .values(last_digest_on=previous or None)
        )
    )


def build_digest(db: Database, username: str, day: date) -> Digest:
    """The digest of `day` (UTC) for one user's watched warehouses."""
    start = datetime.combine(day, time(0), tzinfo=db.now().tzinfo)
    end = start + timedelta(days=1)
    with db.read() as conn:
        email = conn.execute(select(_s.email).where(_s.username == username)).scalar_one()
        codes = watched_of(conn, username).codes
        found = conn.execute(
            select(warehouse_t.c.code, warehouse_t.c.id).where(warehouse_t.c.code.in_(codes))
        )
        ids = {code: wid for code, wid in found}
        parts = [
            _warehouse_part(conn, code, ids[code], start, end) for code in codes if code in ids
        ]
    return Digest(username, email, day, tuple(parts))


def _warehouse_part(
    conn: Connection, code: str, wid: int, start: datetime, end: datetime
) -> WarehouseDigest:
    sku = product_t.c.sku
    alerts = conn.execute(
        select(sku, _a.kind, _a.available, _a.raised_at)
        .join(product_t, product_t.c.id == _a.product_id)
        .where(_a.warehouse_id == wid, _a.raised_at >= start, _a.raised_at < end)
        .order_by(_a.raised_at)
    )
    holds = conn.execute(
        select(sku, _r.qty, _r.reference, _r.expires_at)
        .join(product_t, product_t.c.id == _r.product_id)
        .where(
            _r.warehouse_id == wid,
            _r.status == ReservationStatus.ACTIVE.value,
            _r.expires_at < end + timedelta(days=1),
        )
        .order_by(_r.expires_at)
        .limit(200)
    )
    moves = conn.execute(
        select(sku, _m.kind, func.count(), func.sum(_m.qty))
        .join(product_t, product_t.c.id == _m.product_id)
        .where(_m.warehouse_id == wid, _m.at >= start, _m.at < end)
        .group_by(sku, _m.kind)
        .order_by(sku, _m.kind)
        .limit(500)
    )
    return WarehouseDigest(
        code,
        tuple(DigestAlert(*row) for row in alerts),
        tuple(DigestHold(*row) for row in holds),
        tuple(DigestMovement(r[0], r[1], int(r[2]), int(r[3] or 0)) for r in moves),
    )
