"""Who may do what on a shared PostgreSQL server: one map, applied at the end of every upgrade.

`invdesk_owner` (no login) owns every table, sequence and function; people log in as their own
roles, members of one group role each, and `invdesk serve` logs in as a member of `invdesk_server`.
A group role gets exactly the table privileges listed here and nothing else; every right finer than
a table privilege is a column grant (`columns(UPDATE, ...)`), a trigger that allows only the legal
steps of a row's life, row-level security where a row is a person's, or a SECURITY DEFINER function
of the owner (migrations 0006 and 0011, listed under FUNCTIONS with who may call it). Nobody but the owner gets UPDATE, DELETE or TRUNCATE on the ledger
(`movement`) or the audit trail (`audit_entry`), and nobody gets UPDATE on the counters
(`stock_level`): they move only with a ledger row, by the ledger's trigger.

A table added later needs one entry in TABLES; `apply` revokes and grants everything again, so
running it twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

OWNER = "invdesk_owner"
CLERK = "invdesk_clerk"
MANAGER = "invdesk_manager"
ADMIN = "invdesk_admin"
SERVER = "invdesk_server"
PEOPLE = (CLERK, MANAGER, ADMIN)
GROUPS = (*PEOPLE, SERVER)
EVERYONE = GROUPS
STOCK = GROUPS  # post stock, reservations and orders: every person and the server
CATALOG = (MANAGER, ADMIN)

SELECT, INSERT, UPDATE, DELETE = "SELECT", "INSERT", "UPDATE", "DELETE"


def columns(privilege: str, *names: str) -> str:
    """A privilege on some columns only, e.g. `UPDATE (status, closed_at)` (a GRANT accepts it)."""
    return f"{privilege} ({', '.join(names)})"


TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "alembic_version": {SELECT: EVERYONE},
    # DELETE: a merge moves everything of a category into another, then removes it.
    "category": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG, DELETE: CATALOG},
    "product": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "barcode": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "warehouse": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "restock_policy": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG, DELETE: CATALOG},
    # Counters: read by all, written only by the ledger's trigger and invdesk_lock_level.
    "stock_level": {SELECT: EVERYONE},
    # Request ids: claimed in the operation's transaction. No DELETE: a refused operation gives
    # back only its own transaction's claim, through invdesk_unclaim (a row right no grant says).
    "stock_request": {SELECT: EVERYONE, INSERT: STOCK},
    # The ledger and the audit trail: append only; who and when are the server's.
    "movement": {SELECT: EVERYONE, INSERT: STOCK},
    "audit_entry": {SELECT: EVERYONE, INSERT: EVERYONE},
    # Holds, orders, alerts: only the columns a step writes (a column grant); which steps are
    # legal, and who/when, are said by their BEFORE triggers (migration 0011).
    "reservation": {SELECT: EVERYONE, INSERT: STOCK, columns(UPDATE, "status", "closed_at"): STOCK},
    "alert": {
        SELECT: EVERYONE,
        INSERT: STOCK,
        columns(
            UPDATE,
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "updated_at",
            "version",
        ): STOCK,
    },
    "sales_order": {
        SELECT: EVERYONE,
        INSERT: STOCK,
        columns(UPDATE, "status", "closed_at", "updated_at", "version"): STOCK,
    },
    "sales_order_line": {SELECT: EVERYONE, INSERT: STOCK},
    "watched_warehouse": {SELECT: EVERYONE, INSERT: PEOPLE, DELETE: PEOPLE},
    # Accounts are login roles; their directory rows are written by the account functions only.
    "app_user": {SELECT: EVERYONE},
    # Seals: written only by invdesk_seal() (the owner's); everyone may read and verify them.
    "seal": {SELECT: EVERYONE},
    "seal_mark": {SELECT: EVERYONE},
    # The scheduled check runs on any desktop or server and records its result; admins acknowledge.
    "integrity_check": {SELECT: EVERYONE, INSERT: STOCK, UPDATE: (ADMIN,)},
    # API tokens: admins add and revoke them; the server reads them to authenticate requests.
    "api_token": {SELECT: (ADMIN, SERVER), INSERT: (ADMIN,), UPDATE: (ADMIN,)},
    # The first answers kept per Idempotency-Key: the server's alone.
    "api_idempotency": {
        SELECT: (SERVER,),
        INSERT: (SERVER,),
        UPDATE: (SERVER,),
        DELETE: (SERVER,),
    },
    # Events out (issue 11). Every stock change appends its events; only the server orders them
    # (seq) and sends them. Webhooks hold signing secrets: admins and the server only.
    "outbox_event": {SELECT: (ADMIN, SERVER), INSERT: STOCK, UPDATE: (SERVER,)},
    "webhook": {SELECT: (ADMIN, SERVER), INSERT: (ADMIN,), UPDATE: (ADMIN,)},
    # Admins cancel (remove a webhook) and retry deliveries; the server creates and records them.
    "outbound_delivery": {SELECT: (ADMIN, SERVER), INSERT: (SERVER,), UPDATE: (ADMIN, SERVER)},
    # People set their own alert e-mail; the server marks the day's digest as sent. Which row is
    # whose is row-level security (migration 0011): a row belongs to a person.
    "alert_subscription": {
        SELECT: EVERYONE,
        INSERT: PEOPLE,
        columns(UPDATE, "email", "mode"): PEOPLE,
        columns(UPDATE, "last_digest_on"): (SERVER,),
        DELETE: PEOPLE,
    },
    "job_run": {SELECT: EVERYONE, INSERT: (SERVER,), UPDATE: (SERVER,)},
    # Where and which (migration 0012). Quants move only with a ledger row, by its trigger.
    "location": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "putaway": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG, DELETE: CATALOG},
    # A lot (or serial) is made by the receipt that first names it; managers correct its dates.
    "lot": {SELECT: EVERYONE, INSERT: STOCK, columns(UPDATE, "expiry", "produced"): CATALOG},
    "quant": {SELECT: EVERYONE},
    # Goods in transit: shipped and received by clerks (and the server), lines written once with
    # the shipment; a receipt writes what arrived and what was short.
    "shipment": {
        SELECT: EVERYONE,
        INSERT: STOCK,
        columns(UPDATE, "status", "received_at", "version"): STOCK,
    },
    "shipment_line": {
        SELECT: EVERYONE,
        INSERT: STOCK,
        columns(UPDATE, "received", "short"): STOCK,
    },
    # Counts: managers open, post and cancel sheets; clerks count lines.
    "count_sheet": {
        SELECT: EVERYONE,
        INSERT: CATALOG,
        columns(UPDATE, "status", "posted_by", "posted_at", "request_id", "version"): CATALOG,
    },
    "count_line": {
        SELECT: EVERYONE,
        INSERT: PEOPLE,
        columns(UPDATE, "expected", "counted", "position", "counted_by", "counted_at"): PEOPLE,
        columns(UPDATE, "posted_delta"): CATALOG,
        DELETE: CATALOG,
    },
    # Purchasing (migration 0013): managers keep suppliers and purchase orders; a clerk's receipt
    # against a PO writes only what a delivery changes (received units, status) and its receipt
    # rows. The guards say which steps are legal: received never goes down, a closed PO stays so.
    "supplier": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "supplier_product": {SELECT: EVERYONE, INSERT: CATALOG, UPDATE: CATALOG},
    "purchase_order": {
        SELECT: EVERYONE,
        INSERT: CATALOG,
        UPDATE: CATALOG,
        columns(UPDATE, "status", "closed_at", "updated_at", "version"): STOCK,
    },
    "purchase_order_line": {
        SELECT: EVERYONE,
        INSERT: CATALOG,
        UPDATE: CATALOG,
        DELETE: CATALOG,
        columns(UPDATE, "received"): STOCK,
    },
    "po_receipt": {SELECT: EVERYONE, INSERT: STOCK},
    # The company's details, printed on documents: admins set them.
    "company": {SELECT: EVERYONE, INSERT: (ADMIN,), UPDATE: (ADMIN,)},
}

FUNCTIONS: dict[str, tuple[str, ...]] = {
    "invdesk_lock_level(bigint, bigint, boolean)": STOCK,
    "invdesk_account_create(text, text, text)": (ADMIN,),
    "invdesk_account_set_role(text, text)": (ADMIN,),
    "invdesk_account_set_active(text, boolean)": (ADMIN,),
    "invdesk_account_set_password(text, text)": (ADMIN,),
    # Called only by the functions and triggers above (which run as the owner).
    "invdesk_account_target(text)": (),
    "invdesk_trusted()": (),
    "invdesk_stamp()": (),
    "invdesk_movement_post()": (),
    # Sealing seals only committed rows, so anyone may start it; the range helper is internal.
    "invdesk_seal()": EVERYONE,
    "invdesk_seal_range(text, bigint)": (),
    # Migration 0011: the one DELETE on request ids (this transaction's own claim), and the
    # triggers of holds, orders, their lines and alerts with their helper.
    "invdesk_unclaim(text)": STOCK,
    "invdesk_actor(text)": (),
    # Migration 0013: a location's lock while stock goes in, the purchase order guards
    # (triggers only).
    "invdesk_location_guard()": (),
    "invdesk_po_guard()": (),
    "invdesk_po_line_guard()": (),
    "invdesk_po_receipt_stamp()": (),
    "invdesk_reservation_guard()": (),
    "invdesk_reservation_ledger()": (),
    "invdesk_order_guard()": (),
    "invdesk_order_line_guard()": (),
    "invdesk_alert_guard()": (),
}

_ENSURE_ROLE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
        CREATE ROLE {name} {options};
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$"""

# Ending another person's session (deactivation) needs this; only a superuser can grant it. The
# grant is the cluster's: another database's upgrade may be making it at this very moment.
_SIGNAL = """
DO $$
BEGIN
    IF NOT pg_has_role('invdesk_owner', 'pg_signal_backend', 'MEMBER') THEN
        GRANT pg_signal_backend TO invdesk_owner;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'run the upgrade as a superuser once so deactivation can end open sessions';
    WHEN unique_violation OR duplicate_object OR internal_error THEN
        NULL;  -- granted concurrently
END
$$"""

_OURS = """
SELECT c.relname, c.relkind FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND pg_get_userbyid(c.relowner) <> :owner
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
"""

_SEQUENCES = """
SELECT t.relname, s.relname FROM pg_depend d
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_class t ON t.oid = d.refobjid
WHERE t.relnamespace = current_schema()::regnamespace AND d.deptype IN ('a', 'i')
"""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_roles(conn: Connection) -> None:
    """Create the owner and the group roles unless they exist (they are the cluster's)."""
    conn.exec_driver_sql(_ENSURE_ROLE.format(name=OWNER, options="NOLOGIN CREATEROLE"))
    for group in GROUPS:
        conn.exec_driver_sql(_ENSURE_ROLE.format(name=group, options="NOLOGIN"))


def apply(conn: Connection) -> None:
    """Make the owner own everything and grant exactly the map (PostgreSQL; SQLite has no roles)."""
    if conn.dialect.name != "postgresql":
        return
    ensure_roles(conn)
    conn.exec_driver_sql(_SIGNAL)
    _own_everything(conn)
    everyone = ", ".join((*GROUPS, "PUBLIC"))
    schema = _q(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
    database = _q(conn.exec_driver_sql("SELECT current_database()").scalar_one())
    # No one but the owner creates objects, temporary ones included (a function in pg_temp).
    conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {schema} FROM {everyone}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {', '.join(GROUPS)}")
    conn.exec_driver_sql(f"REVOKE CREATE, TEMPORARY ON DATABASE {database} FROM {everyone}")
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {', '.join((OWNER, *GROUPS))}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {everyone}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {everyone}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {everyone}")
    existing = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    sequences: dict[str, list[str]] = {}
    for table, sequence in conn.exec_driver_sql(_SEQUENCES):
        sequences.setdefault(table, []).append(sequence)
    for table, rights in TABLES.items():
        if table not in existing:
            continue  # a table of a later migration, or one dropped since
        for privilege, roles in rights.items():
            if roles:
                conn.exec_driver_sql(f"GRANT {privilege} ON {_q(table)} TO {', '.join(roles)}")
        inserters = rights.get(INSERT, ())
        for sequence in sequences.get(table, []) if inserters else []:
            conn.exec_driver_sql(
                f"GRANT USAGE ON SEQUENCE {_q(sequence)} TO {', '.join(inserters)}"
            )
    for signature, roles in FUNCTIONS.items():
        if roles and _function_exists(conn, signature):
            conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {signature} TO {', '.join(roles)}")


def _function_exists(conn: Connection, signature: str) -> bool:
    found = conn.execute(text("SELECT to_regprocedure(:s)"), {"s": signature}).scalar()
    return found is not None


def _own_everything(conn: Connection) -> None:
    for name, kind in conn.execute(text(_OURS), {"owner": OWNER}).all():
        what = "SEQUENCE" if kind == "S" else "TABLE" if kind in ("r", "p") else "VIEW"
        if kind == "m":
            what = "MATERIALIZED VIEW"
        conn.exec_driver_sql(f"ALTER {what} {_q(name)} OWNER TO {OWNER}")
    functions = conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = current_schema()::regnamespace "
            "AND pg_get_userbyid(p.proowner) <> :owner"
        ),
        {"owner": OWNER},
    ).scalars()
    for signature in list(functions):
        conn.exec_driver_sql(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
