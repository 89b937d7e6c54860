"""Direct statements behave like Core ones: same values stored, same errors, same transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from invdesk.db.direct import Direct
from invdesk.db.models import StockRequest, table_of
from invdesk.domain.errors import DatabaseUnavailable

request_t = table_of(StockRequest)
_COLUMNS = ("request_id", "kind", "fingerprint", "user", "at")
_INSERT = Direct(insert(request_t).returning(request_t.c.request_id), columns=_COLUMNS)
_BY_ID = Direct(select(request_t.c.kind).where(request_t.c.request_id == "direct-1"))


def _values(rid: str, at: datetime) -> dict[str, object]:
    return {"request_id": rid, "kind": "issue", "fingerprint": "f", "user": "u", "at": at}


def test_a_direct_insert_stores_what_core_reads_back(db):
    # A timestamp in another zone goes through the column's bind processing (stored in UTC).
    at = datetime(2026, 5, 4, 12, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert db.run(lambda conn: _INSERT.first(conn, _values("direct-1", at))) == ("direct-1",)
    with db.read() as conn:
        stored = conn.execute(select(request_t.c.at).where(request_t.c.request_id == "direct-1"))
        assert stored.scalar_one() == at.astimezone(UTC)


def test_a_driver_error_arrives_as_the_core_error_and_the_connection_goes_on(db):
    at = datetime.now(UTC)
    db.run(lambda conn: _INSERT.first(conn, _values("direct-1", at)))

    with pytest.raises(IntegrityError):
        db.run(lambda conn: _INSERT.first(conn, _values("direct-1", at)))

    # The failed transaction rolled back; the pooled connection and its kept cursor still work.
    assert db.run(lambda conn: _BY_ID.all(conn, {})) == [("issue",)]
    db.run(lambda conn: _INSERT.run(conn, _values("direct-2", at)))
    with db.read() as conn:
        assert conn.execute(select(request_t.c.request_id)).scalars().all() == [
            "direct-1",
            "direct-2",
        ]


def test_a_direct_statement_joins_the_transaction_of_its_connection(db):
    at = datetime.now(UTC)

    def insert_then_fail(conn):
        _INSERT.first(conn, _values("direct-3", at))
        raise RuntimeError("after the insert")

    with pytest.raises(RuntimeError):
        db.run(insert_then_fail)
    with db.read() as conn:
        assert conn.execute(select(request_t.c.request_id)).scalars().all() == []


def test_timestamps_are_processed_per_value_though_the_last_one_is_remembered(db):
    # The timestamp processor is shared by every Direct statement and remembers its last value.
    first = datetime(2026, 5, 4, 12, 0, 0, 1, tzinfo=UTC)
    second = datetime(2026, 5, 4, 13, 0, 0, tzinfo=timezone(timedelta(hours=-3)))
    for rid, at in (("t-1", first), ("t-2", second), ("t-3", first), ("t-4", first)):
        db.run(lambda conn, rid=rid, at=at: _INSERT.run(conn, _values(rid, at)))
    with db.read() as conn:
        stored = conn.execute(select(request_t.c.request_id, request_t.c.at).order_by("request_id"))
        assert stored.all() == [("t-1", first), ("t-2", second), ("t-3", first), ("t-4", first)]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a server-side drop
def test_a_dropped_connection_arrives_invalidated_and_the_next_transaction_reconnects(db):
    at = datetime.now(UTC)
    seen: list[DBAPIError] = []

    def work(conn):
        victim = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (victim,))
        try:
            _INSERT.first(conn, _values("direct-lost", at))
        except DBAPIError as error:
            seen.append(error)
            assert conn.invalidated
            raise

    db.max_attempts = 1  # the drop is retryable: see the first attempt's error, not a retry's
    with pytest.raises(DatabaseUnavailable, match="was ended by an administrator"):
        db.run(work)
    assert seen and seen[0].connection_invalidated
    # The invalidated connection was not kept: the next statement runs on a live one.
    db.run(lambda conn: _INSERT.run(conn, _values("direct-next", at)))
