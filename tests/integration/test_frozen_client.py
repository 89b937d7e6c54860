"""A frozen PC (SIGSTOP while it holds a stock row) blocks other clerks for seconds, not forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from invdesk.domain.stock import IssueStock, Line
from invdesk.services.stock import operations
from tests import support

FREEZE = textwrap.dedent("""
    import os, signal, sys
    from sqlalchemy import text
    from invdesk.db import engine
    from invdesk.db.engine import Database
    engine.PG_IDLE_IN_TX_TIMEOUT_MS = int(sys.argv[2])
    db = Database.open(sys.argv[1])
    conn = db.engine.connect()
    conn.begin()
    conn.execute(text("UPDATE stock_level SET on_hand = on_hand"))
    print("locked", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)
""")


def test_a_frozen_client_holding_a_row_lock_delays_others_only_seconds(pg_url, monkeypatch):
    from invdesk.db import engine
    from invdesk.db.engine import Database
    from tests.fixtures.databases import _empty

    # The app's 5 s idle-in-transaction and 3 s lock timeouts, shortened to 2 s and 1 s: the same
    # server-side cut-off and retries, in less time.
    idle_ms = 2000
    monkeypatch.setattr(engine, "PG_LOCK_TIMEOUT_MS", 1000)
    with Database.open(pg_url) as db:
        _empty(db)
        support.warehouse(db)
        support.product(db)
        support.stocked(db, qty=10)
        frozen = subprocess.Popen(
            [sys.executable, "-c", FREEZE, pg_url, str(idle_ms)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert frozen.stdout is not None and frozen.stdout.readline().strip() == "locked"
            started = time.monotonic()
            operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 1),)), support.ACTOR)
            waited = time.monotonic() - started
        finally:
            os.kill(frozen.pid, signal.SIGKILL)
            frozen.wait()
            if frozen.stdout is not None:
                frozen.stdout.close()
    # The server ends the frozen session after its idle_in_transaction_session_timeout; the
    # clerk's lock_timeout and retry carry the issue through right after.
    assert idle_ms / 1000 * 0.5 < waited < idle_ms / 1000 + 10
    with Database.open(pg_url) as db:
        assert support.on_hand(db, "SKU-1") == (9, 0)


HOLD_SQLITE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE stock_level SET on_hand = on_hand")
    print("locked", flush=True)
    sys.stdin.read()  # a writer frozen mid-transaction, until the test kills it
""")


def test_a_sqlite_writer_frozen_mid_transaction_fails_others_after_the_busy_timeout(
    sqlite_url, monkeypatch
):
    from sqlalchemy.engine import make_url

    from invdesk.db import engine, migrate
    from invdesk.db.engine import Database
    from invdesk.domain.errors import DatabaseUnavailable

    # The app waits 10 s; the same mechanism (the connection's busy_timeout, then no retry after
    # a wait that long) is shown with 3 s, which still tells one wait from two.
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 3000)
    with Database.open(sqlite_url) as db:
        migrate.upgrade(db)
        support.warehouse(db)
        support.product(db)
        support.stocked(db, qty=10)
        frozen = subprocess.Popen(
            [sys.executable, "-c", HOLD_SQLITE, make_url(sqlite_url).database],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert frozen.stdout is not None and frozen.stdout.readline().strip() == "locked"
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable) as refused:
                operations.issue(db, IssueStock("MAIN", (Line("SKU-1", 1),)), support.ACTOR)
            waited = time.monotonic() - started
        finally:
            frozen.kill()
            frozen.wait()
            for pipe in (frozen.stdin, frozen.stdout):
                if pipe is not None:
                    pipe.close()
        # Once the busy timeout (not once per retry, which made it a minute), naming the cause.
        timeout = engine.SQLITE_BUSY_TIMEOUT_MS / 1000
        assert timeout * 0.9 < waited < timeout * 1.5
        assert "locked in the middle of a change" in refused.value.message
        assert support.on_hand(db, "SKU-1") == (10, 0)
