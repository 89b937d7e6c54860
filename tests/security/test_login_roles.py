"""A fresh server set up exactly as README's "Setting up a shared PostgreSQL server" says: the
bootstrap upgrades and makes the first admin, people then log in as themselves, and the clerk's
attacks with psql fail. (The test server trusts local logins, so wrong passwords are not tried.)"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from invdesk.cli.main import cli
from tests.fixtures.databases import _admin_url
from tests.fixtures.logins import Login, drop_logins
from tests.security.test_attacks import REFUSED

PASSWORD = "first-admin-pw"


@pytest.fixture
def server(pg_database_factory, pg_server_url):
    """(bootstrap URL, the PCs' URL without a login, names to drop) for a new database."""
    bootstrap = pg_database_factory()
    parsed = make_url(bootstrap)
    pcs = f"postgresql://{parsed.host}:{parsed.port}/{parsed.database}"
    made: list[str] = []
    yield bootstrap, pcs, made
    admin = psycopg.connect(
        make_url(_admin_url(pg_server_url)).set(drivername="postgresql").render_as_string(False),
        autocommit=True,
    )
    drop_logins(admin, made)
    admin.close()


def _run(url, *args, **env):
    result = CliRunner().invoke(cli, ["--db", url, *args], env=env)
    return result


def _ok(url, *args, **env):
    result = _run(url, *args, **env)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result.stdout


def test_people_log_in_as_themselves_and_the_server_enforces_their_role(server):
    bootstrap, pcs, made = server
    suffix = uuid.uuid4().hex[:8]
    boss, ann = f"boss_{suffix}", f"ann_{suffix}"
    made += [boss, ann]

    # README, step by step: the schema and rights, then the first admin, as the bootstrap.
    assert "login roles" in _ok(bootstrap, "db", "upgrade", "--login-roles")
    _ok(bootstrap, "user", "add", boss, "--role", "admin", INVDESK_NEW_PASSWORD=PASSWORD)
    # The admin, from a PC whose settings hold no login, adds a clerk and sets up the catalog.
    as_boss = {"INVDESK_PASSWORD": PASSWORD}
    _ok(pcs, "--user", boss, "user", "add", ann, "--role", "clerk",
        INVDESK_NEW_PASSWORD="clerk-pw-1", **as_boss)  # fmt: skip
    _ok(pcs, "--user", boss, "warehouse", "add", "MAIN", "Main", **as_boss)
    _ok(pcs, "--user", boss, "product", "add", "SKU-1", "Bolt", "--category", "Tools", **as_boss)

    # The clerk posts stock as herself: the ledger names her, whatever the client says.
    as_ann = {"INVDESK_PASSWORD": "clerk-pw-1"}
    _ok(pcs, "--user", ann, "receive", "SKU-1", "MAIN", "10", **as_ann)
    _ok(pcs, "--user", ann, "issue", "SKU-1", "MAIN", "3", **as_ann)
    refused = _run(pcs, "--user", ann, "issue", "SKU-1", "MAIN", "30", **as_ann)
    assert refused.exit_code != 0 and "7 available" in refused.stderr
    history = _ok(pcs, "--user", ann, "history", "SKU-1", "--json", **as_ann)
    assert history.count(f'"user": "{ann}"') == 2
    assert "All stock levels agree" in _ok(pcs, "--user", ann, "verify", **as_ann)
    # ... but cannot do what a clerk may not, here or with psql.
    denied = _run(pcs, "--user", ann, "user", "add", "eve", "--role", "admin",
                  INVDESK_NEW_PASSWORD="eve-pw-123", **as_ann)  # fmt: skip
    assert denied.exit_code != 0
    clerk = Login(
        ann, make_url(bootstrap).set(username=ann, password="clerk-pw-1").render_as_string(False)
    )
    with clerk.connect() as conn:
        for attack, sql in REFUSED.items():
            with pytest.raises(psycopg.Error):
                conn.execute(sql.format(me=ann, other=boss))
            assert conn.execute("SELECT count(*) FROM movement").fetchone()[0] == 2, attack

    # A role change is a membership change; a deactivation ends the login and its sessions.
    _ok(pcs, "--user", boss, "user", "role", ann, "manager", **as_boss)
    with clerk.connect() as conn:
        assert conn.execute("SELECT pg_has_role('invdesk_manager', 'MEMBER')").fetchone()[0]
        assert not conn.execute("SELECT pg_has_role('invdesk_clerk', 'MEMBER')").fetchone()[0]
    open_session = clerk.connect()
    _ok(pcs, "--user", boss, "user", "deactivate", ann, **as_boss)
    with pytest.raises(psycopg.OperationalError):
        open_session.execute("SELECT 1")
    open_session.close()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        clerk.connect()
