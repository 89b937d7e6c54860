"""Reads on a real streaming replica: used while current, the primary when it lags or is down."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import ProgrammingError

from invdesk.cli.main import cli
from invdesk.db import migrate
from invdesk.db.engine import Database, open_replica
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.reports import runner
from invdesk.services.reads import queries
from invdesk.services.system import database
from invdesk.ui.pages.admin import replica_text
from tests import support
from tests.fixtures.replica import Clusters, wait_for

MANAGER = Actor("manager", Role.MANAGER)


def _on_standby(conn: Connection) -> bool:
    return bool(conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one())


def _replica_sql(clusters: Clusters, sql: str) -> object:
    engine = create_engine(
        clusters.standby_url.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _on_hand_on_replica(clusters: Clusters) -> int | None:
    value = _replica_sql(clusters, "SELECT max(on_hand) FROM stock_level")
    return None if value is None else int(str(value))


@pytest.fixture(scope="module")
def migrated(clusters: Clusters) -> Clusters:
    with Database.open(clusters.primary_url) as db:
        migrate.upgrade(db)
        support.warehouse(db)
        support.product(db)
        support.stocked(db, qty=5)
    wait_for(lambda: _replayed_set_up(clusters), "the standby to replay the set-up")
    return clusters


def _replayed_set_up(clusters: Clusters) -> bool:
    try:
        return _on_hand_on_replica(clusters) == 5
    except ProgrammingError:  # the standby has not replayed the migrations' tables yet
        return False


@pytest.fixture
def db(migrated: Clusters) -> Iterator[Database]:
    """The primary, with the standby as its read replica (checked every 50 ms, bound 0.5 s)."""
    replica = open_replica(migrated.standby_url, 0.5, recheck_s=0.05, down_recheck_s=0.05)
    database = Database.open(migrated.primary_url)
    database.replica = replica
    try:
        yield database
    finally:
        database.dispose()
        if migrated.standby_dir not in migrated.started:
            migrated.start(migrated.standby_dir)  # a test stopped it: the next one needs it
        _replica_sql(migrated, "SELECT pg_wal_replay_resume()")


def _reads_standby(db: Database) -> bool:
    with db.read(replica=True) as conn:
        return _on_standby(conn)


def test_reads_that_accept_lag_go_to_the_replica_and_writes_to_the_primary(db):
    wait_for(lambda: _reads_standby(db), "reads to use the replica")
    with db.read() as conn:
        assert not _on_standby(conn)  # a plain read must see the writes just made
    assert db.run(_on_standby) is False
    support.stocked(db, qty=2)  # a write, on the primary
    wait_for(lambda: queries.stock_levels(db, SYSTEM)[0].on_hand == 7, "the replica to catch up")
    assert db.replica is not None and db.replica.status().usable
    assert ": in use" in replica_text(database.replica_status(db, SYSTEM))


def test_a_report_runs_on_the_replica(db, tmp_path: Path):
    wait_for(lambda: _reads_standby(db), "reads to use the replica")
    result = runner.generate(db, MANAGER, "valuation", tmp_path / "valuation.xlsx")
    assert result.rows > 0
    assert _reads_standby(db)


def test_a_replica_beyond_its_lag_bound_sends_reads_to_the_primary(db, migrated):
    wait_for(lambda: _reads_standby(db), "reads to use the replica")
    _replica_sql(migrated, "SELECT pg_wal_replay_pause()")
    before = queries.stock_levels(db, SYSTEM)[0].on_hand
    support.stocked(db, qty=1)  # received by the standby, not replayed
    wait_for(lambda: not _reads_standby(db), "the paused replica to exceed the 0.5 s bound")
    assert db.replica is not None
    status = db.replica.status()
    assert not status.usable and status.lag_s is not None and status.lag_s > 0.5
    assert "behind" in status.reason
    assert queries.stock_levels(db, SYSTEM)[0].on_hand == before + 1  # the primary's figure
    assert _on_hand_on_replica(migrated) == before  # the standby is still behind
    _replica_sql(migrated, "SELECT pg_wal_replay_resume()")
    wait_for(lambda: _reads_standby(db), "reads to return to the caught-up replica")
    assert queries.stock_levels(db, SYSTEM)[0].on_hand == before + 1


def test_a_stopped_replica_sends_reads_to_the_primary_without_a_failed_read(db, migrated):
    wait_for(lambda: _reads_standby(db), "reads to use the replica")
    migrated.stop(migrated.standby_dir)
    # The decision still says "replica" and its pool holds a connection to the stopped server:
    # the very next read must still answer, from the primary.
    assert queries.stock_levels(db, SYSTEM)[0].on_hand > 0
    assert not _reads_standby(db)
    assert db.replica is not None and not db.replica.status().usable
    shown = replica_text(database.replica_status(db, SYSTEM))  # the Admin page's line
    assert "Reads go to the primary: it" in shown
    migrated.start(migrated.standby_dir)
    wait_for(lambda: _reads_standby(db), "reads to return to the restarted replica")


def test_open_refuses_a_replica_for_a_sqlite_primary(tmp_path: Path, migrated):
    from invdesk.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="PostgreSQL primary"):
        Database.open(f"sqlite:///{tmp_path}/x.db", read_url=migrated.standby_url)


def test_the_cli_reads_through_the_replica_named_by_read_db(migrated, tmp_path: Path):
    runner = CliRunner()
    args = ["--db", migrated.primary_url, "--read-db", migrated.standby_url, "--read-max-lag", "5"]
    result = runner.invoke(cli, [*args, "stock", "--json"], obj=None)
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["sku"], row["available"]) == ("SKU-1", row["on_hand"])
    refused = runner.invoke(cli, ["--db", f"sqlite:///{tmp_path}/x.db", "--read-db", migrated.standby_url,
                                  "stock"], obj=None)  # fmt: skip
    assert refused.exit_code != 0
    assert "A read replica needs a PostgreSQL primary" in refused.stderr
