"""Rights finer than a table privilege: legal state changes only, own rows only, own claims only.

On both: an index of the ledger's hold rows (partial: holds only). The rest on PostgreSQL only
(SQLite has no roles). `invdesk.db.privileges` grants only the
columns the services write (a hold's status and closing time, an order's status, an alert's
status and who/when of its acknowledgement, a person's own e-mail choice); what a column grant
cannot say is said here:
* BEFORE INSERT/UPDATE triggers on `reservation`, `sales_order` and `alert` let a row only take
  the next step of its life (an active hold is committed, released or expired, once; an open order
  is fulfilled, cancelled or expired, once; an open alert is acknowledged, an unresolved one is
  resolved) and take who and when from the server (`session_user`, the server clock), as the
  ledger's trigger does;
* a deferred check that a hold never opens or closes without the ledger row that moves its
  counter, and that an order is fulfilled only when every one of its holds was committed (each
  commit is an issue in the ledger), so a status cannot say what the stock does not;
* an order's lines are written only with the order, in its transaction, each with the hold made
  for it there;
* row-level security on `alert_subscription`: a clerk or manager sees and writes only their own
  row; an admin manages anyone's (as the service allows); the server reads them all and may mark
  digests sent (its column grant is `last_digest_on` only);
* `invdesk_unclaim(text)`: clients hold no DELETE on `stock_request`; an operation that ends with
  a recorded refusal gives back only a request id its own transaction claimed.
The trusted set-up sessions (a superuser or a member of the owner) are not held to these steps:
they load demo data and repair by hand, and could turn the triggers off anyway.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = (
    "invdesk_actor(text)",
    "invdesk_reservation_guard()",
    "invdesk_reservation_ledger()",
    "invdesk_order_guard()",
    "invdesk_order_line_guard()",
    "invdesk_alert_guard()",
    "invdesk_unclaim(text)",
)
TRIGGERS = (
    ("reservation_guard", "reservation"),
    ("reservation_ledger", "reservation"),
    ("sales_order_guard", "sales_order"),
    ("sales_order_line_guard", "sales_order_line"),
    ("alert_guard", "alert"),
)
POLICIES = ("alert_subscription_own", "alert_subscription_admin", "alert_subscription_server")
# Refusals are check violations: the services and the CLI show them as "not allowed" messages.
_REFUSE = "USING ERRCODE = 'check_violation'"
# The services hold stock for at most 90 days (reservations.MAX_TTL_SECONDS) from the PC's clock;
# a day more allows for a PC whose clock is ahead of the server's.
_LONGEST = "interval '91 days'"


def _functions(schema: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {schema}"
    trusted = "pg_has_role(session_user, 'invdesk_owner', 'MEMBER')"
    return [
        # Who acts: the login, or the API token `invdesk serve`'s login names (as invdesk_stamp).
        f"""
CREATE FUNCTION invdesk_actor(claimed text) RETURNS text LANGUAGE sql STABLE {path} AS $$
    SELECT CASE WHEN claimed LIKE 'token:%'
                     AND pg_has_role(session_user, 'invdesk_server', 'MEMBER')
                THEN claimed ELSE session_user::text END
$$""",
        f"""
CREATE FUNCTION invdesk_reservation_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    IF {trusted} THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'active' OR NEW.closed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new hold is active' {_REFUSE};
        END IF;
        IF NEW.expires_at > clock_timestamp() + {_LONGEST} THEN
            RAISE EXCEPTION 'a hold lasts at most 90 days' {_REFUSE};
        END IF;
        NEW."user" := invdesk_actor(NEW."user");
        RETURN NEW;
    END IF;
    IF OLD.status <> 'active' OR NEW.status NOT IN ('committed', 'released', 'expired') THEN
        RAISE EXCEPTION 'hold % is %: only an active hold is committed, released or expired',
            OLD.id, OLD.status {_REFUSE};
    END IF;
    NEW.closed_at := clock_timestamp();
    RETURN NEW;
END
$$""",
        # Checked at commit: the ledger row of a step is written after the hold's row.
        f"""
CREATE FUNCTION invdesk_reservation_ledger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
DECLARE
    wanted text := CASE NEW.status WHEN 'active' THEN 'reserve' WHEN 'committed' THEN 'issue'
        WHEN 'released' THEN 'release' ELSE 'expire' END;
BEGIN
    IF {trusted} THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (
        SELECT FROM movement m
        WHERE m.reservation_id = NEW.id AND m.kind = wanted AND m.units = NEW.qty
    ) THEN
        RAISE EXCEPTION 'hold % cannot become % without its % in the ledger',
            NEW.id, NEW.status, wanted {_REFUSE};
    END IF;
    RETURN NULL;
END
$$""",
        f"""
CREATE FUNCTION invdesk_order_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    IF {trusted} THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'open' OR NEW.closed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new order is open' {_REFUSE};
        END IF;
        IF NEW.expires_at > clock_timestamp() + {_LONGEST} THEN
            RAISE EXCEPTION 'an order is held at most 90 days' {_REFUSE};
        END IF;
        NEW."user" := invdesk_actor(NEW."user");
        NEW.version := 1;
        RETURN NEW;
    END IF;
    IF OLD.status <> 'open' OR NEW.status NOT IN ('fulfilled', 'cancelled', 'expired') THEN
        RAISE EXCEPTION 'order % is %: only an open order is fulfilled, cancelled or expired',
            OLD.reference, OLD.status {_REFUSE};
    END IF;
    IF NEW.status = 'fulfilled' AND EXISTS (
        SELECT FROM sales_order_line l LEFT JOIN reservation r ON r.id = l.reservation_id
        WHERE l.order_id = NEW.id AND r.status IS DISTINCT FROM 'committed'
    ) THEN
        RAISE EXCEPTION 'order % is fulfilled only by committing every one of its holds',
            OLD.reference {_REFUSE};
    END IF;
    NEW.version := OLD.version + 1;
    NEW.closed_at := clock_timestamp();
    RETURN NEW;
END
$$""",
        # A line belongs to an order placed in this very transaction, with the hold made for it
        # here (same product, warehouse and quantity), once: lines are never added later.
        f"""
CREATE FUNCTION invdesk_order_line_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
DECLARE
    mine xid := pg_current_xact_id()::xid;
BEGIN
    IF {trusted} THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (
        SELECT FROM sales_order o
        WHERE o.id = NEW.order_id AND o.status = 'open' AND o.xmin = mine
    ) OR NOT EXISTS (
        SELECT FROM reservation r
        WHERE r.id = NEW.reservation_id AND r.status = 'active' AND r.xmin = mine
            AND r.product_id = NEW.product_id AND r.warehouse_id = NEW.warehouse_id
            AND r.qty = NEW.qty
    ) OR EXISTS (
        SELECT FROM sales_order_line l
        WHERE l.order_id = NEW.order_id AND l.reservation_id = NEW.reservation_id
    ) THEN
        RAISE EXCEPTION 'an order''s lines are written with the order and their own holds'
            {_REFUSE};
    END IF;
    RETURN NEW;
END
$$""",
        f"""
CREATE FUNCTION invdesk_alert_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    IF {trusted} THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'open' OR NEW.acknowledged_by IS NOT NULL
                OR NEW.acknowledged_at IS NOT NULL OR NEW.resolved_at IS NOT NULL THEN
            RAISE EXCEPTION 'a new alert is open' {_REFUSE};
        END IF;
        NEW.version := 1;
        RETURN NEW;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'acknowledged' THEN
        NEW.acknowledged_by := invdesk_actor(NEW.acknowledged_by);
        NEW.acknowledged_at := clock_timestamp();
        NEW.resolved_at := NULL;
    ELSIF OLD.status IN ('open', 'acknowledged') AND NEW.status = 'resolved' THEN
        NEW.acknowledged_by := OLD.acknowledged_by;
        NEW.acknowledged_at := OLD.acknowledged_at;
        NEW.resolved_at := clock_timestamp();
    ELSE
        RAISE EXCEPTION 'alert % is %: it cannot become %', OLD.id, OLD.status, NEW.status
            {_REFUSE};
    END IF;
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$""",
        # The only DELETE on request ids: one this transaction claimed (xmin is ours), so never a
        # colleague's claim, nor one of an operation that was done.
        f"""
CREATE FUNCTION invdesk_unclaim(rid text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    DELETE FROM stock_request s
    WHERE s.request_id = rid AND s.xmin = pg_current_xact_id()::xid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'request id % was not claimed in this transaction', rid
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$""",
    ]


STATEMENTS = (
    "CREATE TRIGGER reservation_guard BEFORE INSERT OR UPDATE ON reservation "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_reservation_guard()",
    "CREATE CONSTRAINT TRIGGER reservation_ledger AFTER INSERT OR UPDATE OF status ON reservation "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invdesk_reservation_ledger()",
    "CREATE TRIGGER sales_order_guard BEFORE INSERT OR UPDATE ON sales_order "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_order_guard()",
    "CREATE TRIGGER sales_order_line_guard BEFORE INSERT ON sales_order_line "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_order_line_guard()",
    "CREATE TRIGGER alert_guard BEFORE INSERT OR UPDATE ON alert "
    "FOR EACH ROW EXECUTE FUNCTION invdesk_alert_guard()",
    "ALTER TABLE alert_subscription ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY alert_subscription_own ON alert_subscription "
    "TO invdesk_clerk, invdesk_manager "
    "USING (username = session_user) WITH CHECK (username = session_user)",
    "CREATE POLICY alert_subscription_admin ON alert_subscription TO invdesk_admin "
    "USING (true) WITH CHECK (true)",
    "CREATE POLICY alert_subscription_server ON alert_subscription TO invdesk_server "
    "USING (true) WITH CHECK (true)",
)


def upgrade() -> None:
    # The ledger check finds a hold's rows without reading the ledger (only holds' rows indexed).
    op.create_index(
        "ix_movement_reservation_id",
        "movement",
        ["reservation_id"],
        postgresql_where=sa.text("reservation_id IS NOT NULL"),
        sqlite_where=sa.text("reservation_id IS NOT NULL"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in _functions(schema):
        op.execute(statement)
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for policy in POLICIES:
            op.execute(f"DROP POLICY {policy} ON alert_subscription")
        op.execute("ALTER TABLE alert_subscription DISABLE ROW LEVEL SECURITY")
        for trigger, table in reversed(TRIGGERS):
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        for signature in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION {signature}")
    op.drop_index("ix_movement_reservation_id", table_name="movement")
