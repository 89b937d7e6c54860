"""Rights finer than a table privilege: a clerk (or manager) with psql and their own login tries to
bend holds, orders, alerts, request ids and other people's alert e-mail; the server refuses each
attempt (or, where a row is another person's, does not let them see it) and nothing changes.
Runs on the real PostgreSQL server, never on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import text

from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import ReserveStock
from invdesk.services.reads import alerts
from invdesk.services.stock import orders, policies, reservations
from tests import support

_NEW_HOLD = (
    'WITH c AS (INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
    "VALUES ('forged-hold', 'reserve', 'x', 'x', now()) RETURNING request_id) "
    'INSERT INTO reservation (product_id, warehouse_id, qty, status, "user", created_at, '
    "expires_at, request_id) SELECT s.product_id, s.warehouse_id, 1, 'active', 'x', now(), "
    "now() + interval '1 day', c.request_id FROM c, stock_level s LIMIT 1"
)

# Each is refused by a column grant, a step trigger, row-level security's check or the unclaim
# function; all of them are things the role's services never do.
REFUSED = {
    "change a hold's quantity": "UPDATE reservation SET qty = 1",
    "move a hold to another product": "UPDATE reservation SET product_id = product_id",
    "move a hold to another warehouse": "UPDATE reservation SET warehouse_id = warehouse_id",
    "extend a hold": "UPDATE reservation SET expires_at = expires_at + interval '1 year'",
    "put a hold in another's name": "UPDATE reservation SET \"user\" = 'boss'",
    "reopen a committed hold": (
        "UPDATE reservation SET status = 'active', closed_at = NULL WHERE status = 'committed'"
    ),
    "backdate a closed hold": (
        "UPDATE reservation SET closed_at = '2000-01-01' WHERE status = 'committed'"
    ),
    "release a hold without its ledger row": (
        "UPDATE reservation SET status = 'released' WHERE status = 'active'"
    ),
    "commit a hold without its issue": (
        "UPDATE reservation SET status = 'committed' WHERE status = 'active'"
    ),
    "open a hold without reserving stock": _NEW_HOLD,
    "rewrite who acknowledged an alert": (
        "UPDATE alert SET acknowledged_by = 'boss', acknowledged_at = '2000-01-01' "
        "WHERE status = 'acknowledged'"
    ),
    "reopen an acknowledged alert": (
        "UPDATE alert SET status = 'open', acknowledged_by = NULL, acknowledged_at = NULL "
        "WHERE status = 'acknowledged'"
    ),
    "change an alert's figures": "UPDATE alert SET available = 0, threshold = 0",
    "move an alert": "UPDATE alert SET warehouse_id = warehouse_id",
    "raise an alert already acknowledged": (
        "INSERT INTO alert (product_id, warehouse_id, kind, status, available, threshold, "
        "raised_at, acknowledged_by, updated_at, version) SELECT product_id, warehouse_id, kind, "
        "'acknowledged', 0, 0, now(), 'boss', now(), 1 FROM alert LIMIT 1"
    ),
    "mark an order fulfilled without issuing": (
        "UPDATE sales_order SET status = 'fulfilled' WHERE status = 'open'"
    ),
    "reopen a fulfilled order": "UPDATE sales_order SET status = 'open' WHERE status = 'fulfilled'",
    "change an order's reference": "UPDATE sales_order SET reference = reference || '-x'",
    "change an order's channel": "UPDATE sales_order SET channel = 'api'",
    "put an order in another's name": "UPDATE sales_order SET \"user\" = 'boss'",
    "add a line to a placed order": (
        "INSERT INTO sales_order_line (order_id, line_no, product_id, warehouse_id, qty, "
        "reservation_id) SELECT o.id, 9, r.product_id, r.warehouse_id, r.qty, r.id "
        "FROM sales_order o, reservation r WHERE o.status = 'open' AND r.status = 'active' LIMIT 1"
    ),
    "change an order's lines": "UPDATE sales_order_line SET qty = 99",
    "remove an order's lines": "DELETE FROM sales_order_line",
    "delete request ids": "DELETE FROM stock_request",
    "unclaim a colleague's request id": (
        "SELECT invdesk_unclaim(request_id) FROM stock_request WHERE kind = 'order' LIMIT 1"
    ),
    "mark one's own digest as sent": "UPDATE alert_subscription SET last_digest_on = '2999-01-01'",
    "choose alert e-mail for another": (
        "INSERT INTO alert_subscription (username, email, mode) "
        "VALUES ('{other}', 'me@evil.example', 'immediate')"
    ),
    "take over another's e-mail row": (
        "UPDATE alert_subscription SET username = 'boss' WHERE username = '{me}'"
    ),
}

# Another person's row is not there for them: the statement runs and touches nothing.
UNSEEN = {
    "redirect another's alert e-mail": (
        "UPDATE alert_subscription SET email = 'me@evil.example' WHERE username = 'boss'"
    ),
    "turn off another's alerts": "DELETE FROM alert_subscription WHERE username = 'boss'",
    "read another's e-mail address": "SELECT email FROM alert_subscription WHERE username = 'boss'",
}

_TABLES = (
    "reservation",
    "sales_order",
    "sales_order_line",
    "alert",
    "stock_request",
    "alert_subscription",
    "movement",
    "stock_level",
)


def _state(db):
    """Every row an attack could have touched, as plain values (read by the superuser)."""
    with db.engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in _TABLES
        }


@pytest.fixture
def seeded(pg_db):
    """Holds active and committed, orders open and fulfilled, alerts open and acknowledged, and
    the boss's alert e-mail: each kind of row an attack aims at, made through the services."""
    support.warehouse(pg_db, "MAIN")
    support.warehouse(pg_db, "SHOP")
    support.product(pg_db)
    support.stocked(pg_db, qty=20)
    support.stocked(pg_db, qty=20, wh="SHOP")
    reservations.reserve(pg_db, ReserveStock("SKU-1", "MAIN", 2), SYSTEM)
    done = reservations.reserve(pg_db, ReserveStock("SKU-1", "MAIN", 1), SYSTEM)
    reservations.commit(pg_db, done.id, SYSTEM)
    for reference in ("O-1", "O-2"):
        orders.place_order(pg_db, PlaceOrder(reference, "MAIN", (OrderLine("SKU-1", 1),)), SYSTEM)
    orders.fulfil_order(pg_db, "O-2", SYSTEM)
    high = PolicyRule(PolicyKind.REORDER_POINT, point=1000, qty=10)
    for warehouse in ("MAIN", "SHOP"):
        policies.set_policy(pg_db, SetPolicy(warehouse, high), SYSTEM)
    first, _ = sorted(a.id for a in alerts.list_alerts(pg_db, SYSTEM))
    alerts.acknowledge(pg_db, first, SYSTEM)
    with pg_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO alert_subscription (username, email, mode) "
                "VALUES ('boss', 'boss@example.com', 'immediate')"
            )
        )
    return pg_db


def _own_row(login):
    with login.connect() as conn:
        conn.execute(
            "INSERT INTO alert_subscription (username, email, mode) VALUES (%s, %s, 'digest')",
            (login.name, f"{login.name}@example.com"),
        )


@pytest.mark.parametrize("role", ["clerk", "manager"])
@pytest.mark.parametrize("attack", list(REFUSED), ids=list(REFUSED))
def test_attack_is_refused_and_changes_nothing(seeded, make_login, role, attack):
    me = make_login(role)
    _own_row(me)
    before = _state(seeded)

    with me.connect() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(REFUSED[attack].format(me=me.name, other="boss"))

    assert isinstance(refused.value, errors.InsufficientPrivilege | errors.CheckViolation), (
        refused.value
    )
    assert _state(seeded) == before


@pytest.mark.parametrize("role", ["clerk", "manager"])
@pytest.mark.parametrize("attack", list(UNSEEN), ids=list(UNSEEN))
def test_another_persons_row_is_out_of_reach(seeded, make_login, role, attack):
    me = make_login(role)
    _own_row(me)
    before = _state(seeded)

    with me.connect() as conn:
        done = conn.execute(UNSEEN[attack])
        assert done.rowcount == 0 and (done.description is None or done.fetchall() == [])
        # Their own row is theirs to see.
        mine = conn.execute("SELECT username FROM alert_subscription").fetchall()

    assert mine == [(me.name,)]
    assert _state(seeded) == before


def test_an_acknowledgement_gets_the_servers_who_and_when(seeded, make_login):
    me = make_login("clerk")
    with me.connect() as conn:
        server_before = conn.execute("SELECT clock_timestamp()").fetchone()[0]
        row = conn.execute(
            "UPDATE alert SET status = 'acknowledged', acknowledged_by = 'boss', "
            "acknowledged_at = %s, updated_at = now(), version = version + 1 "
            "WHERE status = 'open' RETURNING acknowledged_by, acknowledged_at, version",
            (datetime(2020, 1, 1, tzinfo=UTC),),
        ).fetchone()

    assert row[0] == me.name and row[1] >= server_before and row[2] == 2


def test_a_hold_closed_with_its_ledger_row_is_the_servers_who_and_when(seeded, make_login):
    """A direct commit with psql is accepted only with the issue it needs, as the service does."""
    me = make_login("clerk")
    with me.connect() as conn:
        conn.execute("BEGIN")
        hold = conn.execute(
            "UPDATE reservation SET status = 'released', closed_at = '2000-01-01' "
            "WHERE id = (SELECT min(id) FROM reservation WHERE status = 'active') "
            "RETURNING id, qty, product_id, warehouse_id, closed_at"
        ).fetchone()
        conn.execute(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('psql-release', 'release', 'x', 'x', now())"
        )
        conn.execute(
            "SELECT * FROM invdesk_lock_level(%s, %s, false)", (hold[2], hold[3])
        ).fetchall()
        conn.execute(
            "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
            'balance_after, "user", at, request_id, reservation_id) '
            "VALUES ('release', %s, %s, 0, %s, %s, 0, 'x', now(), 'psql-release', %s)",
            (hold[2], hold[3], -hold[1], hold[1], hold[0]),
        )
        conn.execute("COMMIT")

    assert hold[4].year > 2000  # the server's time, not the one sent
    assert support.on_hand(seeded, "SKU-1") == (18, 1)  # O-1's hold only


def test_a_refused_commit_gives_back_only_its_own_claim(seeded, make_login):
    """The unclaim of a refused operation works for the login (the service path); a claim of
    another transaction, even one's own, stays."""
    me = make_login("clerk")
    with me.connect() as conn:
        conn.execute(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('mine-earlier', 'receive', 'x', 'x', now())"
        )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT invdesk_unclaim('mine-earlier')")
        conn.execute("BEGIN")
        conn.execute(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('mine-now', 'receive', 'x', 'x', now())"
        )
        conn.execute("SELECT invdesk_unclaim('mine-now')")
        conn.execute("COMMIT")
        left = conn.execute(
            "SELECT request_id FROM stock_request WHERE request_id LIKE 'mine-%'"
        ).fetchall()

    assert left == [("mine-earlier",)]


def test_a_hold_made_by_hand_cannot_last_for_years(seeded, make_login):
    """Even with its ledger row, a hold made with psql lasts no longer than the services allow."""
    me = make_login("clerk")
    before = _state(seeded)
    with (
        me.connect() as conn,
        pytest.raises(errors.CheckViolation, match="90 days"),
        conn.transaction(),
    ):
        conn.execute(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('long-hold', 'reserve', 'x', 'x', now())"
        )
        hold = conn.execute(
            'INSERT INTO reservation (product_id, warehouse_id, qty, status, "user", '
            "created_at, expires_at, request_id) SELECT product_id, warehouse_id, 1, "
            "'active', 'x', now(), now() + interval '10 years', 'long-hold' "
            "FROM stock_level LIMIT 1 RETURNING id, product_id, warehouse_id"
        ).fetchone()
        conn.execute(
            "SELECT * FROM invdesk_lock_level(%s, %s, false)", (hold[1], hold[2])
        ).fetchall()
        conn.execute(
            "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, "
            'units, balance_after, "user", at, request_id, reservation_id) '
            "VALUES ('reserve', %s, %s, 0, 1, 1, 0, 'x', now(), 'long-hold', %s)",
            (hold[1], hold[2], hold[0]),
        )

    assert _state(seeded) == before
