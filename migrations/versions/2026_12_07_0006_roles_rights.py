"""Rights the server enforces: group roles, server-side who/when, counters kept by the ledger.

On PostgreSQL (SQLite has no roles: nothing to do there):
* the group roles `invdesk_owner` (owns everything, no login), `invdesk_clerk`, `invdesk_manager`,
  `invdesk_admin` and `invdesk_server`, created so that a concurrent creator (another database on
  the same cluster being set up at the same moment) is no error;
* a BEFORE INSERT trigger on the ledger and on the audit trail that takes the user from
  `session_user` and the time from the server clock, whatever the client sent;
* the counters follow the ledger: clients hold no UPDATE on `stock_level`. A stock operation locks
  its counter row through `invdesk_lock_level` (checks and the lock order stay in the client, as
  before) and then appends its ledger row; the ledger's trigger applies the row's quantities to
  the counter, so a counter only ever moves with a ledger row, and the counters' CHECKs refuse an
  oversell even from a client that skipped its checks;
* SECURITY DEFINER functions for account management (an admin creates, re-roles, deactivates
  login roles and resets passwords; everyone changes only their own password, which PostgreSQL
  itself allows).
Ownership and table privileges are not set here: `invdesk.db.privileges` applies them at the end
of every upgrade, so a table added later needs only an entry in that map.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 00:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = ("invdesk_clerk", "invdesk_manager", "invdesk_admin", "invdesk_server")
FUNCTIONS = (
    "invdesk_trusted()",
    "invdesk_stamp()",
    "invdesk_movement_post()",
    "invdesk_lock_level(bigint, bigint, boolean)",
    "invdesk_account_target(text)",
    "invdesk_account_create(text, text, text)",
    "invdesk_account_set_role(text, text)",
    "invdesk_account_set_active(text, boolean)",
    "invdesk_account_set_password(text, text)",
)
# The marker kept in app_user.password_hash for an account that is a login role: no hash of ours.
LOGIN_ROLE_MARKER = "!postgresql-login-role"


def _create_role(name: str, options: str) -> str:
    # Role names are cluster-wide: another database may be creating the same role right now.
    return f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
        CREATE ROLE {name} {options};
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$"""


def _functions(schema: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {schema}"
    return [
        # The bootstrap, set-up and tests (a superuser or a member of the owner) state who and
        # when themselves; nobody else can. (A superuser is a member of every role.)
        f"""
CREATE FUNCTION invdesk_trusted() RETURNS boolean LANGUAGE sql STABLE {path} AS $$
    SELECT pg_has_role(session_user, 'invdesk_owner', 'MEMBER')
$$""",
        # Who and when: session_user and the server clock, except for a trusted session and for
        # `invdesk serve`'s API tokens (token:<name>), which its login may name. Written out in
        # both triggers (a nested function call per ledger row costs throughput).
        f"""
CREATE FUNCTION invdesk_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'invdesk_owner', 'MEMBER') THEN
        IF NOT (NEW."user" LIKE 'token:%'
                AND pg_has_role(session_user, 'invdesk_server', 'MEMBER')) THEN
            NEW."user" := session_user;
        END IF;
        NEW."at" := clock_timestamp();
    END IF;
    RETURN NEW;
END
$$""",
        # The ledger row moves its counter. Runs as the owner: clients have no UPDATE there.
        f"""
CREATE FUNCTION invdesk_movement_post() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
DECLARE
    trusted boolean := pg_has_role(session_user, 'invdesk_owner', 'MEMBER');
    new_on_hand bigint;
    new_avg bigint;
BEGIN
    IF trusted AND current_setting('invdesk.load_ledger', true) = 'on' THEN
        RETURN NEW;  -- a bulk load (demo data) states its rows and writes its counters itself
    END IF;
    IF NOT trusted THEN
        IF NOT (NEW."user" LIKE 'token:%'
                AND pg_has_role(session_user, 'invdesk_server', 'MEMBER')) THEN
            NEW."user" := session_user;
        END IF;
        NEW."at" := clock_timestamp();
    END IF;
    IF NEW.qty = 0 AND NEW.reserved_delta = 0 THEN
        SELECT s.on_hand INTO new_on_hand FROM stock_level s
        WHERE s.product_id = NEW.product_id AND s.warehouse_id = NEW.warehouse_id;
        NEW.balance_after := coalesce(new_on_hand, 0);
        RETURN NEW;
    END IF;
    UPDATE stock_level s SET
        on_hand = s.on_hand + NEW.qty,
        reserved = s.reserved + NEW.reserved_delta,
        avg_cost = CASE
            WHEN NEW.qty > 0 AND NEW.unit_cost IS NOT NULL
                AND NEW.kind IN ('receive', 'transfer_in')
            THEN (s.on_hand * s.avg_cost + NEW.qty * NEW.unit_cost + (s.on_hand + NEW.qty) / 2)
                / (s.on_hand + NEW.qty)
            ELSE s.avg_cost
        END
    WHERE s.product_id = NEW.product_id AND s.warehouse_id = NEW.warehouse_id
    RETURNING s.on_hand, s.avg_cost INTO new_on_hand, new_avg;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no stock row for product % in warehouse %',
            NEW.product_id, NEW.warehouse_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.balance_after := new_on_hand;
    IF NEW.kind IN ('issue', 'transfer_out', 'return', 'adjust') THEN
        NEW.unit_cost := new_avg;  -- goods leave (or are counted) at the average cost
    END IF;
    RETURN NEW;
END
$$""",
        # Lock a counter row (creating it at zero, at the product's cost, when asked): what a
        # stock operation does before it decides. Reading and locking change nothing.
        f"""
CREATE FUNCTION invdesk_lock_level(pid bigint, wid bigint, create_row boolean)
RETURNS TABLE (on_hand bigint, reserved bigint, avg_cost bigint)
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
#variable_conflict use_column
BEGIN
    IF create_row THEN
        INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost)
        SELECT p.id, wid, 0, 0, p.cost FROM product p WHERE p.id = pid
        ON CONFLICT (product_id, warehouse_id) DO NOTHING;
    END IF;
    RETURN QUERY SELECT s.on_hand, s.reserved, s.avg_cost FROM stock_level s
        WHERE s.product_id = pid AND s.warehouse_id = wid FOR UPDATE;
END
$$""",
        # An account an admin may manage: a login role in one of the people's groups, never a
        # superuser or the owner.
        f"""
CREATE FUNCTION invdesk_account_target(account text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER {path} AS $$
BEGIN
    IF NOT (pg_has_role(session_user, 'invdesk_admin', 'MEMBER') OR invdesk_trusted()) THEN
        RAISE EXCEPTION 'only an invdesk admin manages accounts'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (
        SELECT FROM pg_roles r WHERE r.rolname = account AND NOT r.rolsuper
            AND NOT pg_has_role(r.oid, 'invdesk_owner', 'MEMBER')
            AND (pg_has_role(r.oid, 'invdesk_clerk', 'MEMBER')
                OR pg_has_role(r.oid, 'invdesk_manager', 'MEMBER')
                OR pg_has_role(r.oid, 'invdesk_admin', 'MEMBER'))
    ) THEN
        RAISE EXCEPTION 'no invdesk account %', account USING ERRCODE = 'undefined_object';
    END IF;
END
$$""",
        f"""
CREATE FUNCTION invdesk_account_create(account text, verifier text, role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
    IF NOT (pg_has_role(session_user, 'invdesk_admin', 'MEMBER') OR invdesk_trusted()) THEN
        RAISE EXCEPTION 'only an invdesk admin creates accounts'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF role NOT IN ('clerk', 'manager', 'admin') THEN
        RAISE EXCEPTION 'unknown role %', role USING ERRCODE = 'check_violation';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', account, verifier,
        'invdesk_' || role);
    INSERT INTO app_user (username, password_hash, role, active, version, created_at,
        failed_logins)
    VALUES (account, '{LOGIN_ROLE_MARKER}', role, true, 1, now(), 0);
END
$$""",
        f"""
CREATE FUNCTION invdesk_account_set_role(account text, role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    other text;
BEGIN
    PERFORM invdesk_account_target(account);
    IF role NOT IN ('clerk', 'manager', 'admin') THEN
        RAISE EXCEPTION 'unknown role %', role USING ERRCODE = 'check_violation';
    END IF;
    FOREACH other IN ARRAY ARRAY['clerk', 'manager', 'admin'] LOOP
        IF other <> role THEN
            EXECUTE format('REVOKE %I FROM %I', 'invdesk_' || other, account);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', 'invdesk_' || role, account);
    UPDATE app_user u SET role = invdesk_account_set_role.role, version = u.version + 1
    WHERE u.username = account;
END
$$""",
        f"""
CREATE FUNCTION invdesk_account_set_active(account text, active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
    PERFORM invdesk_account_target(account);
    EXECUTE format('ALTER ROLE %I %s', account, CASE WHEN active THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT active THEN
        -- NOLOGIN stops new sessions; the open ones end now.
        PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a
        WHERE a.usename = account AND a.pid <> pg_backend_pid();
    END IF;
    UPDATE app_user u SET active = invdesk_account_set_active.active, version = u.version + 1
    WHERE u.username = account;
END
$$""",
        f"""
CREATE FUNCTION invdesk_account_set_password(account text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
    PERFORM invdesk_account_target(account);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', account, verifier);
END
$$""",
    ]


TRIGGERS = (
    "CREATE TRIGGER movement_post BEFORE INSERT ON movement "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_movement_post()",
    "CREATE TRIGGER audit_entry_stamp BEFORE INSERT ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_stamp()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    op.execute(_create_role("invdesk_owner", "NOLOGIN CREATEROLE"))
    for group in GROUPS:
        op.execute(_create_role(group, "NOLOGIN"))
    for statement in _functions(schema):
        op.execute(statement)
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_entry_stamp ON audit_entry")
    op.execute("DROP TRIGGER movement_post ON movement")
    for signature in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {signature}")
    # The group roles are the cluster's, shared with other databases: they stay.
