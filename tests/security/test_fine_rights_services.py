"""What the narrowed rights still allow: every step of holds, orders, alerts and alert e-mail that
the services take, run through the services on a person's own PostgreSQL login (and the server's
digest marks on the server's login), with the server's rights and triggers in force."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from invdesk.db.engine import Database
from invdesk.domain.errors import ValidationError
from invdesk.domain.orders import OrderLine, OrderStatus, PlaceOrder
from invdesk.domain.restock import AlertStatus, PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line, ReceiveStock, ReservationStatus, ReserveStock
from invdesk.services.outbound import alert_mail
from invdesk.services.reads import alerts
from invdesk.services.stock import operations as stock
from invdesk.services.stock import orders, policies, reservations
from invdesk.services.trust import verify
from tests import support


class Clock:
    """A clock the test moves on (holds and orders expire by the client's clock)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _status(db: Database, reservation_id: int) -> ReservationStatus:
    (found,) = [r for r in reservations.list_reservations(db, SYSTEM) if r.id == reservation_id]
    return found.status


@pytest.mark.parametrize("role", [Role.CLERK, Role.MANAGER, Role.ADMIN], ids=str)
def test_holds_orders_and_alerts_work_on_each_persons_login(pg_db, make_login, role):
    support.warehouse(pg_db)
    support.product(pg_db)
    support.stocked(pg_db, qty=40)
    rule = PolicyRule(PolicyKind.REORDER_POINT, point=30, qty=10)
    policies.set_policy(pg_db, SetPolicy("MAIN", rule), SYSTEM)
    login = make_login(role.value)
    me = Actor(login.name, role)
    clock = Clock()

    with Database.open(login.url) as db:
        db.clock = clock
        committed = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 2), me)
        reservations.commit(db, committed.id, me)
        released = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 1), me)
        reservations.release(db, released.id, me)
        swept = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 1, ttl_seconds=60), me)
        overdue = reservations.reserve(db, ReserveStock("SKU-1", "MAIN", 1, ttl_seconds=60), me)
        line = (OrderLine("SKU-1", 1),)
        for reference in ("O-fulfil", "O-cancel", "O-expire"):
            ttl = 60 if reference == "O-expire" else 3600
            orders.place_order(db, PlaceOrder(reference, "MAIN", line, ttl_seconds=ttl), me)
        fulfilled = orders.fulfil_order(db, "O-fulfil", me)
        cancelled = orders.cancel_order(db, "O-cancel", me)
        clock.now += timedelta(minutes=5)
        # A commit of an overdue hold releases it and is refused (it gives back its claim).
        with pytest.raises(ValidationError, match="expired"):
            reservations.commit(db, overdue.id, me)
        assert reservations.sweep(db, me) == 2  # the swept hold and O-expire's
        assert orders.expire_orders(db, me) == 1
        # Stock falls under the reorder point (an alert raised by this login), is acknowledged,
        # and recovers (the alert resolved by this login).
        stock.issue(db, IssueStock("MAIN", (Line("SKU-1", 10),)), me)
        (raised,) = alerts.list_alerts(db, me)
        alerts.acknowledge(db, raised.id, me)
        (seen,) = alerts.list_alerts(db, me)
        stock.receive(db, ReceiveStock("MAIN", (Line("SKU-1", 50),)), me)
        still_open = alerts.list_alerts(db, me)

    assert committed.user == me.username
    assert [_status(pg_db, h.id) for h in (committed, released, swept, overdue)] == [
        ReservationStatus.COMMITTED,
        ReservationStatus.RELEASED,
        ReservationStatus.EXPIRED,
        ReservationStatus.EXPIRED,
    ]
    assert (fulfilled.status, cancelled.status) == (OrderStatus.FULFILLED, OrderStatus.CANCELLED)
    assert orders.get_order(pg_db, SYSTEM, "O-expire").status == OrderStatus.EXPIRED
    assert (seen.status, seen.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, me.username)
    assert still_open == []
    # 40 in, 2 committed, 1 fulfilled, 10 issued, 50 in; nothing left held.
    assert support.on_hand(pg_db, "SKU-1") == (77, 0)
    assert verify.verify(pg_db, SYSTEM) == []


@pytest.mark.parametrize("role", [Role.CLERK, Role.MANAGER, Role.ADMIN], ids=str)
def test_a_person_keeps_their_own_alert_email(pg_db, make_login, role):
    login = make_login(role.value)
    me = Actor(login.name, role)
    with Database.open(login.url) as db:
        chosen = alert_mail.set_alert_mail(db, me, me.username, "me@example.com", "digest")
        changed = alert_mail.set_alert_mail(db, me, me.username, "new@example.com", "immediate")
        kept = alert_mail.alert_mail(db, me, me.username)
        alert_mail.remove_alert_mail(db, me, me.username)
        gone = alert_mail.alert_mail(db, me, me.username)

    assert chosen is not None and chosen.mode == "digest"
    assert changed == kept and kept is not None and kept.email == "new@example.com"
    assert gone is None


def test_an_admin_sets_anothers_alert_email_and_the_server_marks_digests(pg_db, make_login):
    clerk, admin, server = make_login("clerk"), make_login("admin"), make_login("server")
    day = date(2026, 12, 7)
    with Database.open(admin.url) as db:
        alert_mail.set_alert_mail(
            db, Actor(admin.name, Role.ADMIN), clerk.name, "clerk@example.com", "digest"
        )
    with Database.open(server.url) as db:
        recipients = alert_mail.digest_recipients(db, day)
        previous = alert_mail.claim_digest(db, clerk.name, day)
        again = alert_mail.claim_digest(db, clerk.name, day)
        alert_mail.unclaim_digest(db, clerk.name, previous or "")
        after_unclaim = alert_mail.claim_digest(db, clerk.name, day)
    with Database.open(clerk.url) as db:
        mine = alert_mail.alert_mail(db, Actor(clerk.name, Role.CLERK), clerk.name)

    assert recipients == [clerk.name]
    assert (previous, again, after_unclaim) == ("", None, "")
    assert mine is not None and mine.email == "clerk@example.com"
