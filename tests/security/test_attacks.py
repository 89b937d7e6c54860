"""A clerk (or manager) who has read the PC's settings tries to rewrite history with psql: the server
refuses each attempt and nothing changes. Runs on the real PostgreSQL server, never on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import errors

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.trust import verify
from tests import support
from tests.fixtures.logins import LoginMaker

# Statements a clerk or manager may not run; each is refused by the server's rights.
REFUSED = {
    "promote self in the accounts table": "UPDATE app_user SET role = 'admin'",
    "promote self by membership": "GRANT invdesk_admin TO {me}",
    "promote self with the admin's function": "SELECT invdesk_account_set_role('{me}', 'admin')",
    "give self role rights": "ALTER ROLE {me} CREATEROLE",
    "copy a hash onto another account": "UPDATE app_user SET password_hash = 'x'",
    "change another's password": "ALTER ROLE {other} PASSWORD 'taken over'",
    "change another's password by function": "SELECT invdesk_account_set_password('{other}', 'x')",
    "change another's role by function": "SELECT invdesk_account_set_role('{other}', 'clerk')",
    "create an account": "SELECT invdesk_account_create('mallory_x', 'secret pw', 'admin')",
    "deactivate another": "SELECT invdesk_account_set_active('{other}', false)",
    "disable the ledger's triggers": "ALTER TABLE movement DISABLE TRIGGER USER",
    "disable the audit trail's triggers": "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
    "rewrite the ledger": "UPDATE movement SET qty = -1, \"user\" = 'boss'",
    "delete the ledger": "DELETE FROM movement",
    "truncate the ledger": "TRUNCATE movement CASCADE",
    "rewrite the audit trail": "UPDATE audit_entry SET \"user\" = 'boss'",
    "delete the audit trail": "DELETE FROM audit_entry",
    "truncate the audit trail": "TRUNCATE audit_entry",
    "edit a counter": "UPDATE stock_level SET on_hand = on_hand + 100",
    "add a counter row": "INSERT INTO stock_level VALUES (1, 1, 5, 0, 0)",
    "delete a counter row": "DELETE FROM stock_level",
    "drop a table": "DROP TABLE movement CASCADE",
    "alter a table": "ALTER TABLE stock_level DROP CONSTRAINT ck_stock_level_on_hand_not_negative",
    "take the table": "ALTER TABLE movement OWNER TO {me}",
    "create a function": "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "create a temporary function": "CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "replace the trigger function": (
        "CREATE OR REPLACE FUNCTION invdesk_movement_post() RETURNS trigger "
        "LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'"
    ),
    "become the owner": "SET ROLE invdesk_owner",
    "oversell through the ledger": (
        "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
        "balance_after, \"user\", at, request_id) SELECT 'issue', product_id, warehouse_id, "
        "-1000, 0, 1000, 0, 'x', now(), 'req-oversell' FROM stock_level"
    ),
}


def _state(db, *logins):
    """Everything an attack could have changed, as plain values (memberships: of these logins)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return {
            "ledger": conn.execute(
                text('SELECT id, qty, "user", at FROM movement ORDER BY id')
            ).all(),
            "audit": conn.execute(text('SELECT id, "user", at FROM audit_entry ORDER BY id')).all(),
            "counters": conn.execute(text("SELECT * FROM stock_level ORDER BY 1, 2")).all(),
            "accounts": conn.execute(text("SELECT * FROM app_user ORDER BY id")).all(),
            "memberships": conn.execute(
                text(
                    "SELECT r.rolname, g.rolname FROM pg_auth_members m "
                    "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
                    "WHERE r.rolname = ANY(:names) ORDER BY 1, 2"
                ),
                {"names": [login.name for login in logins]},
            ).all(),
            "logins": conn.execute(
                text(
                    "SELECT rolname, rolcanlogin, rolcreaterole, rolpassword "
                    "FROM pg_authid WHERE rolname = ANY(:names) ORDER BY 1"
                ),
                {"names": [login.name for login in logins]},
            ).all(),
            "triggers": conn.execute(
                text("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")
            ).all(),
            "owners": conn.execute(
                text(
                    "SELECT relname, pg_get_userbyid(relowner) FROM pg_class "
                    "WHERE relnamespace = current_schema()::regnamespace ORDER BY 1"
                )
            ).all(),
            "functions": conn.execute(
                text(
                    "SELECT p.oid::regprocedure::text, md5(p.prosrc) FROM pg_proc p "
                    "WHERE pronamespace = current_schema()::regnamespace ORDER BY 1"
                )
            ).all(),
        }


@pytest.fixture
def stocked(pg_db):
    support.warehouse(pg_db)
    support.product(pg_db)
    support.stocked(pg_db, qty=5)
    return pg_db


@pytest.fixture(scope="module")
def attacked(pg_database_factory):
    """A stocked database of its own for the attacks, shared by them: each compares everything
    an attack could change before and after it, so none needs a fresh one (and a refused attack
    leaves nothing behind); a new database and logins per attack cost over a second each."""
    url = pg_database_factory()
    with Database.open(url) as db:
        migrate.upgrade(db)
        support.warehouse(db)
        support.product(db)
        support.stocked(db, qty=5)
        yield db, url


@pytest.fixture(scope="module", params=["clerk", "manager"])
def attackers(attacked, request):
    """(me, other): a login of the role under attack and an admin's, on the attackers' database."""
    _db, url = attacked
    makers = LoginMaker(url)
    try:
        yield makers.make(request.param), makers.make("admin")
    finally:
        makers.close()


@pytest.mark.parametrize("attack", list(REFUSED), ids=list(REFUSED))
def test_attack_fails_and_changes_nothing(attacked, attackers, attack):
    db, _url = attacked
    me, other = attackers
    before = _state(db, me, other)

    with me.connect() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(REFUSED[attack].format(me=me.name, other=other.name))

    assert isinstance(
        refused.value,
        errors.InsufficientPrivilege | errors.CheckViolation | errors.UndefinedFunction,
    ), refused.value
    assert _state(db, me, other) == before


@pytest.mark.parametrize("role", ["clerk", "manager"])
def test_ledger_row_in_another_name_and_time_gets_the_servers(stocked, make_login, role):
    me = make_login(role)
    forged_at = datetime(2020, 1, 1, tzinfo=UTC)
    with me.connect() as conn:
        server_before = conn.execute("SELECT clock_timestamp()").fetchone()[0]
        conn.execute(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('forged-1', 'receive', 'x', 'boss', %s)",
            (forged_at,),
        )
        row = conn.execute(
            "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
            "balance_after, \"user\", at, request_id) SELECT 'receive', product_id, warehouse_id, "
            "1, 0, 1, 999, 'boss', %s, 'forged-1' FROM stock_level "
            'RETURNING "user", at, balance_after',
            (forged_at,),
        ).fetchone()
        audit = conn.execute(
            'INSERT INTO audit_entry (at, "user", action, entity, entity_key) '
            "VALUES (%s, 'boss', 'edit', 'product', 'SKU-1') RETURNING \"user\", at",
            (forged_at,),
        ).fetchone()

    # The row went in, but under the name and time of the server, with the true balance.
    assert row[0] == me.name and row[1] >= server_before and row[2] == 6
    assert audit[0] == me.name and audit[1] >= server_before
    assert support.on_hand(stocked, "SKU-1") == (6, 0)  # the counter moved with its row
    assert verify.verify(stocked, SYSTEM) == []


def test_only_the_server_login_may_name_an_api_token(stocked, make_login):
    server, clerk = make_login("server"), make_login("clerk")
    insert = (
        'INSERT INTO audit_entry (at, "user", action, entity, entity_key) '
        "VALUES (now(), %s, 'edit', 'product', 'SKU-1') RETURNING \"user\""
    )
    with server.connect() as conn:
        assert conn.execute(insert, ("token:webshop",)).fetchone()[0] == "token:webshop"
        assert conn.execute(insert, ("boss",)).fetchone()[0] == server.name
    with clerk.connect() as conn:
        assert conn.execute(insert, ("token:webshop",)).fetchone()[0] == clerk.name


def test_a_counter_edited_by_the_owner_is_flagged_by_verify(stocked):
    from sqlalchemy import text

    with stocked.engine.begin() as conn:  # the superuser may; the ledger does not follow
        conn.execute(text("UPDATE stock_level SET on_hand = on_hand + 7"))

    (found,) = verify.verify(stocked, SYSTEM)
    assert (found.sku, found.on_hand, found.ledger_on_hand) == ("SKU-1", 12, 5)
