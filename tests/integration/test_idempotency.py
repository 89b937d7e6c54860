"""Retried and double-submitted operations apply once; a reused id with another payload is refused."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from invdesk.db import engine as engine_module
from invdesk.domain.errors import DuplicateRequest
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    Line,
    ReceiveStock,
    ReserveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.services.stock import operations, reservations
from invdesk.services.trust import verify
from tests import support


@pytest.fixture
def shelf(db):
    support.warehouse(db)
    support.warehouse(db, "SHOP")
    support.product(db)
    support.stocked(db, qty=10)
    return db


def test_the_same_receive_twice_writes_one_ledger_row(shelf):
    cmd = ReceiveStock("MAIN", (Line("SKU-1", 5, "2.00"),), request_id="po-7-line-1")
    first = operations.receive(shelf, cmd, support.ACTOR)
    rows = support.ledger_count(shelf)
    again = operations.receive(shelf, cmd, support.ACTOR)
    assert again.replayed and not first.replayed
    assert again.movements == first.movements
    assert support.ledger_count(shelf) == rows
    assert support.on_hand(shelf, "SKU-1") == (15, 0)


def test_a_reused_request_id_with_another_payload_is_refused_and_changes_nothing(shelf):
    operations.issue(
        shelf, IssueStock("MAIN", (Line("SKU-1", 1),), request_id="r-1"), support.ACTOR
    )
    rows = support.ledger_count(shelf)
    with pytest.raises(DuplicateRequest) as caught:
        operations.issue(
            shelf, IssueStock("MAIN", (Line("SKU-1", 2),), request_id="r-1"), support.ACTOR
        )
    assert "already used" in caught.value.message
    assert caught.value.exit_code == 5
    with pytest.raises(DuplicateRequest):
        operations.transfer(
            shelf,
            TransferStock("MAIN", "SHOP", (Line("SKU-1", 1),), request_id="r-1"),
            support.ACTOR,
        )
    assert support.ledger_count(shelf) == rows
    assert support.on_hand(shelf, "SKU-1") == (9, 0)


def test_a_replayed_reservation_returns_the_same_hold(shelf):
    cmd = ReserveStock("SKU-1", "MAIN", 3, request_id="cart-42")
    first = reservations.reserve(shelf, cmd, support.ACTOR)
    again = reservations.reserve(shelf, cmd, support.ACTOR)
    assert again.id == first.id and again.replayed
    assert support.on_hand(shelf, "SKU-1") == (10, 3)


def test_a_retried_commit_applies_once(shelf):
    hold = reservations.reserve(shelf, ReserveStock("SKU-1", "MAIN", 3), support.ACTOR)
    first = reservations.commit(shelf, hold.id, support.ACTOR, request_id="pick-1")
    again = reservations.commit(shelf, hold.id, support.ACTOR, request_id="pick-1")
    assert again.replayed and again.movements == first.movements
    assert support.on_hand(shelf, "SKU-1") == (7, 0)


def _lose_the_first_acknowledgement(db, monkeypatch):
    """After the server commits, make the client see the connection drop, once."""
    dialect = db.engine.dialect
    real_commit = dialect.do_commit
    lost = []

    def commit_then_drop(dbapi_connection):
        real_commit(dbapi_connection)
        if not lost:
            lost.append(True)
            if db.dialect == "postgresql":
                raise psycopg.OperationalError("server closed the connection unexpectedly")
            raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(dialect, "do_commit", commit_then_drop)
    return lost


def test_a_lost_acknowledgement_is_retried_and_applies_once(shelf, monkeypatch):
    rows = support.ledger_count(shelf)
    lost = _lose_the_first_acknowledgement(shelf, monkeypatch)
    result = operations.issue(
        shelf, IssueStock("MAIN", (Line("SKU-1", 4),), request_id="sale-9"), support.ACTOR
    )
    assert lost == [True]
    assert result.replayed  # the retry found the committed first attempt
    assert len(result.movements) == 1 and result.movements[0].qty == -4
    assert support.ledger_count(shelf) == rows + 1
    assert support.on_hand(shelf, "SKU-1") == (6, 0)
    assert verify.verify(shelf, support.ACTOR) == []


# Each operation with a request id (and a hold, for commit and release), and the
# (on_hand, reserved) of SKU-1 in MAIN after it.
LOST_ACK_OPERATIONS = {
    "receive": (
        lambda db, rid, _: operations.receive(
            db, ReceiveStock("MAIN", (Line("SKU-1", 5, "2.00"),), request_id=rid), support.ACTOR
        ),
        (15, 0),
    ),
    "transfer": (
        lambda db, rid, _: operations.transfer(
            db, TransferStock("MAIN", "SHOP", (Line("SKU-1", 4),), request_id=rid), support.ACTOR
        ),
        (6, 0),
    ),
    "return": (
        lambda db, rid, _: operations.return_stock(
            db, ReturnStock("MAIN", (Line("SKU-1", 2),), request_id=rid), support.ACTOR
        ),
        (12, 0),
    ),
    "adjust": (
        lambda db, rid, _: operations.adjust(
            db, AdjustStock("SKU-1", "MAIN", 7, request_id=rid), support.ACTOR
        ),
        (7, 0),
    ),
    "reserve": (
        lambda db, rid, _: reservations.reserve(
            db, ReserveStock("SKU-1", "MAIN", 3, request_id=rid), support.ACTOR
        ),
        (10, 3),
    ),
    "commit": (
        lambda db, rid, hold: reservations.commit(db, hold, support.ACTOR, request_id=rid),
        (7, 0),
    ),
    "release": (
        lambda db, rid, hold: reservations.release(db, hold, support.ACTOR, request_id=rid),
        (10, 0),
    ),
}


@pytest.mark.parametrize("operation", list(LOST_ACK_OPERATIONS))
def test_every_operation_whose_acknowledgement_is_lost_applies_once(shelf, monkeypatch, operation):
    run, expected = LOST_ACK_OPERATIONS[operation]
    hold = None
    if operation in ("commit", "release"):
        hold = reservations.reserve(shelf, ReserveStock("SKU-1", "MAIN", 3), support.ACTOR).id
    rows = support.ledger_count(shelf)
    lost = _lose_the_first_acknowledgement(shelf, monkeypatch)

    result = run(shelf, f"lost-{operation}", hold)

    assert lost == [True]
    assert result.replayed  # the retry found the first attempt committed
    assert support.on_hand(shelf, "SKU-1") == expected
    written = support.ledger_count(shelf) - rows
    assert written == (2 if operation == "transfer" else 1)
    again = run(shelf, f"lost-{operation}", hold)  # a later retry by the caller changes nothing
    assert again.replayed
    assert support.on_hand(shelf, "SKU-1") == expected
    assert support.ledger_count(shelf) - rows == written
    assert verify.verify(shelf, support.ACTOR) == []


def _terminate(db, *pids: int) -> None:
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _drop_pooled_connection(db):
    """Terminate, from outside the pool, the server side of the (one) pooled connection."""
    with db.engine.connect() as conn:
        victim = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    _terminate(db, victim)


def _spare_pid(db) -> int:
    """The server process of the spare connection Database.run kept from its last transaction."""
    assert db._spare is not None
    return db._spare[0].connection.dbapi_connection.info.backend_pid


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a server-side drop
def test_a_busy_pooled_connection_the_server_dropped_is_retried_and_applies_once(shelf):
    """A recently used connection is not pinged: the operation fails as a disconnect, is retried."""
    rows = support.ledger_count(shelf)
    # Both connections the database holds: the spare the issue starts on, and the pooled one.
    spare = _spare_pid(shelf)
    _drop_pooled_connection(shelf)
    _terminate(shelf, spare)
    result = operations.issue(shelf, IssueStock("MAIN", (Line("SKU-1", 2),)), support.ACTOR)
    assert not result.replayed and len(result.movements) == 1
    assert support.on_hand(shelf, "SKU-1") == (8, 0)
    assert support.ledger_count(shelf) == rows + 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a server-side drop
def test_an_idle_spare_the_server_dropped_goes_back_to_the_pool_and_is_pinged(shelf):
    """A spare idle too long returns to the pool as idle since its last use, so it is pinged."""
    shelf.dispose()
    operations.receive(shelf, ReceiveStock("MAIN", (Line("SKU-1", 1),)), support.ACTOR)
    _terminate(shelf, _spare_pid(shelf))  # the only connection: the pool itself holds none
    # The spare became one a minute ago: past SPARE_IDLE_S and PG_PING_AFTER_IDLE_S.
    conn, since = shelf._spare
    shelf._spare = (conn, since - 60)
    shelf.max_attempts = 1  # no retry: only the ping on checkout can replace it
    result = operations.issue(shelf, IssueStock("MAIN", (Line("SKU-1", 2),)), support.ACTOR)
    assert len(result.movements) == 1
    assert support.on_hand(shelf, "SKU-1") == (9, 0)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a server-side drop
def test_an_idle_pooled_connection_the_server_dropped_is_replaced_on_checkout(shelf, monkeypatch):
    """An idle connection is pinged when checked out, so even a plain read survives a restart."""
    rows = support.ledger_count(shelf)
    _drop_pooled_connection(shelf)
    monkeypatch.setattr(engine_module, "PG_PING_AFTER_IDLE_S", -1.0)
    assert support.ledger_count(shelf) == rows  # a read: not retried by Database.run
