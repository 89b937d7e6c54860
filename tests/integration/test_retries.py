"""Transient failures (serialization, deadlock, lock timeout, busy file) are retried a bounded
number of times under the same request id; anything else is not retried at all."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError

from invdesk.domain.errors import DatabaseUnavailable
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.stock import operations
from invdesk.services.trust import verify
from tests import support


@pytest.fixture
def shelf(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=10)
    db.max_attempts = 3
    return db


def _transient(db) -> Exception:
    if db.dialect == "postgresql":
        return psycopg.errors.SerializationFailure("could not serialize access")
    return sqlite3.OperationalError("database is locked")


def _fail_commits(db, monkeypatch, error: Exception, times: int) -> list[int]:
    """The next `times` COMMITs fail with `error` before reaching the server (nothing commits)."""
    dialect = db.engine.dialect
    real_commit = dialect.do_commit
    failed: list[int] = []

    def commit(dbapi_connection):
        if len(failed) < times:
            failed.append(1)
            raise error
        real_commit(dbapi_connection)

    monkeypatch.setattr(dialect, "do_commit", commit)
    return failed


def _issue(db, request_id: str = "sale-1"):
    return operations.issue(
        db, IssueStock("MAIN", (Line("SKU-1", 2),), request_id=request_id), support.ACTOR
    )


def test_a_transient_failure_is_retried_and_applies_once(shelf, monkeypatch):
    rows = support.ledger_count(shelf)
    failed = _fail_commits(shelf, monkeypatch, _transient(shelf), times=2)

    result = _issue(shelf)

    assert len(failed) == 2
    assert not result.replayed  # the failed attempts never committed
    assert support.on_hand(shelf, "SKU-1") == (8, 0)
    assert support.ledger_count(shelf) == rows + 1
    assert verify.verify(shelf, support.ACTOR) == []


def test_retries_are_bounded_and_end_in_a_clear_error_with_nothing_changed(shelf, monkeypatch):
    rows = support.ledger_count(shelf)
    failed = _fail_commits(shelf, monkeypatch, _transient(shelf), times=100)

    with pytest.raises(DatabaseUnavailable) as raised:
        _issue(shelf)

    assert len(failed) == shelf.max_attempts == 3
    assert "try again" in raised.value.message
    assert raised.value.exit_code == 7
    monkeypatch.undo()
    assert support.on_hand(shelf, "SKU-1") == (10, 0)
    assert support.ledger_count(shelf) == rows
    assert _issue(shelf).movements[0].qty == -2  # the request id was not used up


def test_an_error_that_is_not_transient_is_not_retried(shelf, monkeypatch):
    error = (
        psycopg.errors.UniqueViolation("duplicate key")
        if shelf.dialect == "postgresql"
        else sqlite3.IntegrityError("UNIQUE constraint failed")
    )
    failed = _fail_commits(shelf, monkeypatch, error, times=100)

    with pytest.raises(IntegrityError):
        _issue(shelf)

    assert len(failed) == 1
    monkeypatch.undo()
    assert support.on_hand(shelf, "SKU-1") == (10, 0)
