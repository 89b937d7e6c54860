"""Accounts that are PostgreSQL login roles: on a shared server each person logs in as themselves.

A database is in this mode once its set-up (`invdesk db upgrade --login-roles`, as the bootstrap)
set `invdesk.accounts = 'login-roles'` on it. Then an account is a login role (SCRAM password,
checked by the server) in one of the group roles invdesk_clerk / invdesk_manager / invdesk_admin;
app_user keeps only its directory row (no hash of ours), written by the owner's account functions,
which are the only way to create, re-role or deactivate an account. Passwords travel as SCRAM
verifiers made on this PC, so no clear password ends up in a statement or a server log.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from invdesk.db.engine import Database, translate
from invdesk.domain.errors import NotFound, PermissionDenied
from invdesk.domain.security import Actor, Role
from invdesk.domain.users import LoginFailed, check_password_rules, clean_username

SETTING = "invdesk.accounts"
MODE = "login-roles"
_WRONG = "Wrong user name or password."
# The person's role from their memberships (a superuser, the bootstrap, counts as admin).
_ROLE = text(
    "SELECT CASE "
    "WHEN pg_has_role('invdesk_admin', 'MEMBER') THEN 'admin' "
    "WHEN pg_has_role('invdesk_manager', 'MEMBER') THEN 'manager' "
    "WHEN pg_has_role('invdesk_clerk', 'MEMBER') THEN 'clerk' END, "
    "current_setting('invdesk.accounts', true)"
)


def enabled(conn: Connection) -> bool:
    """Whether this database's accounts are login roles (always False on SQLite)."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(text("SELECT current_setting(:s, true)"), {"s": SETTING}).scalar() == MODE


def db_enabled(db: Database) -> bool:
    if db.dialect != "postgresql":
        return False
    try:
        with db.read() as conn:
            return enabled(conn)
    except DBAPIError as error:
        raise translate(error) from error


def enable(db: Database) -> None:
    """Turn the mode on for this database (new sessions see it). Bootstrap only."""
    with db.engine.begin() as conn:
        name = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        quoted = '"' + str(name).replace('"', '""') + '"'
        conn.exec_driver_sql(f"ALTER DATABASE {quoted} SET {SETTING} = '{MODE}'")


# A superuser counts as a member of every role.
_TRUSTED = text("SELECT pg_has_role(session_user, 'invdesk_owner', 'MEMBER')")


def bootstrap_actor(db: Database) -> Actor | None:
    """The set-up's own actor when this connection is a superuser or the owner (which the server
    trusts with everything anyway) on a server whose accounts are login roles; else None."""
    if db.dialect != "postgresql":
        return None
    try:
        with db.read() as conn:
            if not enabled(conn) or not conn.execute(_TRUSTED).scalar():
                return None
            name = conn.exec_driver_sql("SELECT session_user").scalar_one()
    except DBAPIError as error:
        raise translate(error) from error
    return Actor(str(name)[:64], Role.ADMIN)


def each_person_logs_in(url: str) -> bool:
    """A PostgreSQL address without a password: the PC holds no login of its own, so the login
    dialog's name and password are the database login (a server set up with login roles)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "postgresql" and not parsed.password


def person_url(url: str, username: str, password: str) -> str:
    """The server URL with the person's own name and password."""
    return (
        make_url(url)
        .set(username=username, password=password)
        .render_as_string(hide_password=False)
    )


def sign_in(url: str, username: str, password: str) -> tuple[Database, Actor] | None:
    """Connect as the person. Returns the open database and the actor; None when the server does
    not know this login or the database's accounts are not login roles (then the app's own
    accounts apply). Raises LoginFailed for a login role with another password or no invdesk role.
    """
    name = clean_username(username)
    db = Database.open(person_url(url, name, password))
    try:
        with db.read() as conn:
            role, mode = conn.execute(_ROLE).one()
    except DBAPIError as error:
        db.dispose()
        if getattr(error.orig, "sqlstate", None) in ("28P01", "28000"):
            return None  # unknown role or refused password: nothing said about which
        raise translate(error) from error
    except BaseException:
        db.dispose()
        raise
    if mode != MODE:
        db.dispose()
        return None
    if role is None:
        db.dispose()
        raise LoginFailed(f"{name} is not an invdesk account on this server.", field="username")
    return db, Actor(name, Role(role))


def refused() -> LoginFailed:
    return LoginFailed(_WRONG, field="password")


def _verifier(conn: Connection, username: str, password: str) -> str:
    """The SCRAM verifier of a password, made on this PC by libpq (what psql's \\password sends)."""
    check_password_rules(password)
    driver = conn.connection.driver_connection
    made: bytes = driver.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode(), username.encode(), b"scram-sha-256"
    )
    return made.decode()


def _call(conn: Connection, sql: str, params: dict[str, object]) -> None:
    try:
        conn.execute(text(sql), params)
    except DBAPIError as error:
        state = getattr(error.orig, "sqlstate", None)
        if state == "42501":
            raise PermissionDenied("Only an administrator manages accounts.") from None
        if state == "42704":
            raise NotFound(
                f"There is no invdesk account “{params['name']}” on this server.",
                field="username",
            ) from None
        raise


def create(conn: Connection, username: str, password: str, role: Role) -> None:
    """A new login role in the role's group, with its directory row."""
    name = clean_username(username)
    _call(
        conn,
        "SELECT invdesk_account_create(:name, :verifier, :role)",
        {"name": name, "verifier": _verifier(conn, name, password), "role": role.value},
    )


def set_role(conn: Connection, username: str, role: Role) -> None:
    _call(conn, "SELECT invdesk_account_set_role(:name, :role)", {"name": username, "role": role})


def set_active(conn: Connection, username: str, active: bool) -> None:
    """NOLOGIN (and the account's open sessions end) or LOGIN again."""
    _call(
        conn,
        "SELECT invdesk_account_set_active(:name, :active)",
        {"name": username, "active": active},
    )


def set_password(conn: Connection, username: str, password: str, *, own: bool) -> None:
    """One's own password (any login may change its own), or an admin's reset of another's."""
    verifier = _verifier(conn, username, password)
    if own:
        quoted = verifier.replace("'", "''")
        conn.exec_driver_sql(f"ALTER ROLE CURRENT_USER PASSWORD '{quoted}'")
        return
    _call(
        conn,
        "SELECT invdesk_account_set_password(:name, :verifier)",
        {"name": username, "verifier": verifier},
    )
