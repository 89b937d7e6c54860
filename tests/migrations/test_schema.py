"""The migration chain builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

import warnings

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.db.schema import Base
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.services.system.database import open_database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/fresh.db"
    return request.getfixturevalue("pg_database_factory")()


def _differences(db: Database) -> list[object]:
    # SQLite's reflection cannot read the expression indexes (the quant grain's NULL folding);
    # Alembic skips them on both sides, and test_quant_grain_is_unique checks them by behaviour.
    with warnings.catch_warnings(), db.engine.connect() as conn:
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrated_schema_matches_the_models(fresh_url):
    db = Database.open(fresh_url)
    try:
        migrate.upgrade(db)
        assert migrate.schema_state(db) == "current"
        assert _differences(db) == []
    finally:
        db.dispose()


def test_the_chain_downgrades_to_nothing_and_back(fresh_url):
    db = Database.open(fresh_url)
    try:
        migrate.upgrade(db)
        config = migrate.alembic_config()
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert migrate.schema_state(db) == "empty"
        migrate.upgrade(db)
        assert _differences(db) == []
    finally:
        db.dispose()


def test_a_new_sqlite_file_is_created_and_upgraded_when_opened(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/new/shop.db")
    try:
        assert migrate.schema_state(db) == "current"
        with db.read() as conn:
            names = conn.execute(text("SELECT name FROM category ORDER BY name")).scalars().all()
        assert names == ["Clothing", "Electronics", "Food", "Office", "Other", "Tools"]
    finally:
        db.dispose()


def test_a_database_from_a_newer_invdesk_is_refused(fresh_url):
    with Database.open(fresh_url) as db:
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(DatabaseUnavailable, match="newer version of invdesk"):
        open_database(fresh_url)


def test_an_unmigrated_server_asks_for_db_upgrade(pg_database_factory):
    url = pg_database_factory()
    with pytest.raises(DatabaseUnavailable, match="invdesk db upgrade"):
        open_database(url)


def test_an_unreachable_server_says_so():
    with pytest.raises(DatabaseUnavailable, match=r"127\.0\.0\.1:1 does not answer"):
        open_database("postgresql://postgres@127.0.0.1:1/nothing")


def test_sqlite_runs_in_wal_mode_with_full_sync_and_a_busy_timeout(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/x.db")
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()


def test_postgresql_sessions_bound_lock_waits_and_idle_transactions(pg_url):
    db = Database.open(pg_url)
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "3s"
            assert conn.exec_driver_sql("SHOW idle_in_transaction_session_timeout").scalar() == "5s"
    finally:
        db.dispose()


def test_sqlite_writes_begin_immediate_and_reads_do_not_block_writers(tmp_path):
    from sqlalchemy import event

    db = open_database(f"sqlite:///{tmp_path}/x.db")
    seen: list[str] = []
    db.engine.dispose()  # new connections from here on report what SQLite itself executes
    event.listen(db.engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(seen.append))
    try:
        db.run(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
        with db.read() as conn:
            conn.exec_driver_sql("SELECT 1")
        assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]
    finally:
        db.dispose()
