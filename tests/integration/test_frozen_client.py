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
    from invdesk.db.engine import Database
    db = Database.open(sys.argv[1])
    conn = db.engine.connect()
    conn.begin()
    conn.execute(text("UPDATE stock_level SET on_hand = on_hand"))
    print("locked", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)
""")


def test_a_frozen_client_holding_a_row_lock_delays_others_only_seconds(pg_url):
    from invdesk.db.engine import Database
    from tests.fixtures.databases import _empty

    with Database.open(pg_url) as db:
        _empty(db)
        support.warehouse(db)
        support.product(db)
        support.stocked(db, qty=10)
        frozen = subprocess.Popen(
            [sys.executable, "-c", FREEZE, pg_url], stdout=subprocess.PIPE, text=True
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
    # The server ends the frozen session after idle_in_transaction_session_timeout (5 s);
    # the clerk's lock_timeout (3 s) and retry carry the issue through right after.
    assert 2 < waited < 15
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


def test_a_sqlite_writer_frozen_mid_transaction_fails_others_after_the_busy_timeout(sqlite_url):
    from sqlalchemy.engine import make_url

    from invdesk.db import migrate
    from invdesk.db.engine import SQLITE_BUSY_TIMEOUT_MS, Database
    from invdesk.domain.errors import DatabaseUnavailable

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
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        assert timeout * 0.9 < waited < timeout * 1.5
        assert "locked in the middle of a change" in refused.value.message
        assert support.on_hand(db, "SKU-1") == (10, 0)
