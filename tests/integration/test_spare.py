"""The spare connection Database.run keeps between transactions: at most one, never after an error."""

from __future__ import annotations

import threading

import pytest

from invdesk.db import engine as engine_module
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.stock import operations
from tests import support


def _driver(conn):
    return conn.connection.dbapi_connection


def _checked_out(db) -> int:
    return db.engine.pool.checkedout()


def test_the_next_transaction_runs_on_the_connection_of_the_last_one(db):
    first = db.run(_driver)
    assert _checked_out(db) == 1  # the spare, out of the pool
    assert db.run(_driver) is first
    assert _checked_out(db) == 1


def test_a_connection_that_saw_an_error_goes_back_to_the_pool(db):
    db.run(_driver)

    def fail(conn):
        raise RuntimeError("in the transaction")

    with pytest.raises(RuntimeError):
        db.run(fail)
    assert db._spare is None
    assert _checked_out(db) == 0
    db.run(_driver)  # and the next transaction checks one out again
    assert _checked_out(db) == 1


def test_a_spare_idle_too_long_goes_back_to_the_pool(db, monkeypatch):
    db.run(_driver)
    monkeypatch.setattr(engine_module, "SPARE_IDLE_S", -1.0)
    checked_out_during = db.run(lambda conn: _checked_out(db))
    assert checked_out_during == 1  # the old spare went back before this one was checked out


def test_dispose_closes_the_spare(db):
    db.run(_driver)
    db.dispose()
    assert db._spare is None
    assert _checked_out(db) == 0
    db.run(_driver)  # still usable


def test_threads_share_at_most_one_spare(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=1000)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 1),)), support.ACTOR)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=clerk) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert support.on_hand(db, "SKU-1") == (940, 0)
    assert _checked_out(db) == 1  # the one spare; every other connection is back in the pool


def test_a_transaction_under_way_during_dispose_leaves_no_spare(db):
    def dispose_meanwhile(conn):
        db.dispose()  # as backup.restore does, while another thread is in a transaction
        return _driver(conn)

    driver = db.run(dispose_meanwhile)
    assert db._spare is None
    assert _checked_out(db) == 0
    # It went back to the pool it came from, which dispose() let go: close it, as the pool's
    # garbage collection would (psycopg warns about a connection collected open).
    driver.close()
