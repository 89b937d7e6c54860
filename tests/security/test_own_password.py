"""A person on a shared server changes their own password and goes on working: the open database
signs its next connections in with the new password (the old one is refused by the server), and
the work already in flight on an open connection is not dropped. On a server of the test's own
that checks passwords (the shared test server trusts this machine)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.catalog import logins, users

OLD, NEW = "old pass 123", "new pass 456"


@pytest.fixture(scope="module")
def server(scram_server):
    """The PCs' URL (no login) of a database set up as the README says, with login roles."""
    with Database.open(scram_server.primary_url) as bootstrap:
        migrate.upgrade(bootstrap)
        logins.enable(bootstrap)
    parsed = make_url(scram_server.primary_url)
    return f"postgresql://{parsed.host}:{parsed.port}/{parsed.database}"


@pytest.fixture
def account(server, scram_server):
    """The name of a new clerk account (made by the bootstrap, as the README's first steps)."""
    suffix = uuid.uuid4().hex[:10]
    with Database.open(scram_server.primary_url) as bootstrap:
        if not users.has_users(bootstrap):
            users.add_user(bootstrap, f"boss_{suffix}", OLD, "admin", SYSTEM)  # first: an admin
        users.add_user(bootstrap, f"pw_{suffix}", OLD, "clerk", SYSTEM)
    return f"pw_{suffix}"


def _signs_in(url: str, name: str, password: str) -> bool:
    at = make_url(url)
    try:
        psycopg.connect(
            host=at.host, port=at.port, dbname=at.database, user=name, password=password
        ).close()
    except psycopg.OperationalError:
        return False
    return True


def test_own_password_change_is_used_by_the_next_connection(server, account):
    assert _signs_in(server, account, OLD) and not _signs_in(server, account, NEW)
    signed = logins.sign_in(server, account, OLD)
    assert signed is not None
    db, me = signed
    opened: list[object] = []
    event.listen(db.engine, "connect", lambda conn, record: opened.append(conn))
    try:
        with db.engine.connect() as in_flight:
            in_flight.execute(text("SELECT 1"))  # a transaction under way on an old connection

            users.change_password(db, account, NEW, me, old_password=OLD)

            # No idle connection is left in the pool: the next one is new, signed in anew.
            db.engine.pool.dispose()
            before = len(opened)
            with db.read() as conn:
                who = conn.execute(text("SELECT session_user")).scalar_one()
            assert len(opened) == before + 1
            # ... and the work in flight goes on and commits.
            assert in_flight.execute(text("SELECT session_user")).scalar_one() == account
            in_flight.commit()
    finally:
        db.dispose()

    assert who == account
    assert not _signs_in(server, account, OLD)
    assert _signs_in(server, account, NEW)
