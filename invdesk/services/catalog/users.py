"""User accounts and logging in: argon2id hashes, per-user lockout after failed logins, the first admin.

On a shared PostgreSQL server set up with login roles (services.logins) an account is the person's
own database login instead: the server checks the password, and the same calls here manage
login roles through the owner's account functions.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from invdesk.db.engine import Database, translate
from invdesk.db.models import User
from invdesk.db.tables import user_t
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.security import Actor, Permission, Role, require
from invdesk.domain.users import (
    LoginFailed,
    UserView,
    check_password_rules,
    clean_username,
    lock_after,
    parse_role,
)
from invdesk.services import audit_trail
from invdesk.services.catalog import logins
from invdesk.services.unit_of_work import edit_session

# argon2id with the library's defaults (RFC 9106 low-memory profile: 3 passes over 64 MiB).
_hasher = PasswordHasher()
_dummy_hash: str | None = None
_BOOTSTRAP_LOCK = 7_160_301  # pg advisory lock id: one first-admin bootstrap at a time


def _hash(password: str) -> str:
    return _hasher.hash(password)


def locked_password_hash() -> str:
    """The hash of a random password nobody is told: an account that cannot be logged in to."""
    return _hash(secrets.token_urlsafe(32))


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.username,
        Role(user.role),
        user.active,
        user.version,
        user.created_at,
        user.last_login_at,
    )


def has_users(db: Database) -> bool:
    """Whether any account exists. False on a schema without accounts (not yet upgraded)."""
    try:
        if not inspect(db.engine).has_table(User.__tablename__):
            return False
        with db.read() as conn:
            return conn.execute(select(User.id).limit(1)).first() is not None
    except DBAPIError as error:
        raise translate(error, db.url) from error


def _by_name(session: Session, username: object) -> User:
    name = clean_username(username)
    found = session.scalar(select(User).where(User.username == name))
    if found is None:
        raise NotFound(f"There is no user “{name}”.", field="username")
    return found


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).where(User.role == Role.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def _new_user(
    db: Database, username: str, password: str, role: Role, actor: Actor, *, first: bool
) -> UserView:
    name = clean_username(username)
    check_password_rules(password)
    as_login = logins.db_enabled(db)
    hashed = "" if as_login else _hash(password)  # slow: done before the transaction opens

    def work(session: Session) -> UserView:
        if db.dialect == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({_BOOTSTRAP_LOCK})"))
        count = int(session.scalar(select(func.count()).select_from(User)) or 0)
        if first and count:
            raise Conflict("An account already exists: log in to add more.", field="username")
        if count == 0 and role is not Role.ADMIN:
            raise ValidationError(
                "The first account must be an admin, or nobody could manage users.", field="role"
            )
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise Conflict(f"A user named {name} already exists.", field="username")
        now = db.now()
        if as_login:
            logins.create(session.connection(), name, password, role)
            audit_trail.record(
                session.connection(), actor, now, "create", "user", name, {"role": role.value}
            )
            created = session.scalar(select(User).where(User.username == name))
            assert created is not None
            return _view(created)
        user = User(
            username=name,
            password_hash=hashed,
            role=role.value,
            active=True,
            created_at=now,
            failed_logins=0,
            last_login_at=now if first else None,  # the first admin is logged in at once
        )
        session.add(user)
        session.flush()
        audit_trail.record(
            session.connection(), actor, now, "create", "user", name, {"role": role.value}
        )
        return _view(user)

    return edit_session(db, work)


def add_user(
    db: Database, username: str, password: str, role: Role | str, actor: Actor
) -> UserView:
    """Create an account. Admins only; the very first account must be an admin.

    Raises PermissionDenied, ValidationError (name, password rules, role) or Conflict (name taken).
    """
    require(actor, Permission.ADMIN)
    return _new_user(db, username, password, parse_role(role), actor, first=False)


def create_first_admin(db: Database, username: str, password: str) -> Actor:
    """The first start: create the admin account of a database that has none, and log it in.

    Needs no login, and so is refused (Conflict) as soon as any account exists.
    """
    view = _new_user(
        db, username, password, Role.ADMIN, Actor(clean_username(username), Role.ADMIN), first=True
    )
    return Actor(view.username, view.role)


def login(db: Database, username: str, password: str) -> Actor:
    """The actor for a correct name and password of an active account.

    Raises LoginFailed (one message whatever was wrong, so names cannot be probed). After
    FREE_ATTEMPTS failures in a row an account is locked for a while, doubling with each failure,
    and no password is checked until the lock ends; a success resets the count.
    """
    global _dummy_hash
    try:
        name = clean_username(username)
    except ValidationError:
        raise LoginFailed("Wrong user name or password.", field="username") from None
    refused = LoginFailed("Wrong user name or password.", field="password")
    u = user_t.c
    with db.read() as conn:
        user = conn.execute(
            select(u.id, u.username, u.password_hash, u.role, u.active, u.locked_until).where(
                u.username == name
            )
        ).first()
    now = db.now()
    if user is None:
        _dummy_hash = _dummy_hash or _hash("not a password")
        _verify(_dummy_hash, password)  # take as long as a real check
        raise refused
    if user.locked_until is not None and user.locked_until > now:
        wait = max(1, math.ceil((user.locked_until - now).total_seconds()))
        raise LoginFailed(
            f"Too many failed logins for {name}: try again in {wait} seconds, "
            "or ask an administrator to reset the password.",
            field="password",
        )
    # The slow hash check runs outside any transaction (a SQLite write lock would stall others).
    correct = _verify(user.password_hash, password)
    if not correct or not user.active:
        db.run(lambda conn: _count_failure(conn, user.id, now))
        if correct:
            raise LoginFailed(
                f"The account {name} is deactivated; ask an administrator.", field="username"
            )
        raise refused
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(user.password_hash):
        values["password_hash"] = _hash(password)
    db.run(lambda conn: conn.execute(update(user_t).where(u.id == user.id).values(**values)))
    return Actor(user.username, Role(user.role))


def sign_in(url: str, username: str, password: str) -> tuple[Database, Actor] | None:
    """On a server whose accounts are login roles: the database opened as the person, and who they
    are. None when the accounts there are the app's own (then `login` on the usual database).

    Raises LoginFailed (one message for a wrong name or password), DatabaseUnavailable.
    """
    if make_url(url).get_backend_name() != "postgresql":
        return None
    try:
        return logins.sign_in(url, username, password)
    except ValidationError:
        raise LoginFailed("Wrong user name or password.", field="username") from None


def standing(db: Database, actor: Actor) -> Actor | None:
    """The logged-in actor as the account stands now: None once it is deactivated or gone; the
    role an administrator gave it since. A running app checks this so a deactivation takes effect
    without waiting for the clerk to log out."""
    u = user_t.c
    with db.read() as conn:
        row = conn.execute(select(u.role, u.active).where(u.username == actor.username)).first()
        if row is None:
            # Without any account (scripts, a database not yet set up) there is no one to end.
            anyone = conn.execute(select(u.id).limit(1)).first()
            return None if anyone is not None else actor
    return Actor(actor.username, Role(row.role)) if row.active else None


def _count_failure(conn: Connection, user_id: int, now: datetime) -> None:
    # One statement, so concurrent failures on several PCs all count.
    u = user_t.c
    failures = conn.execute(
        update(user_t)
        .where(u.id == user_id)
        .values(failed_logins=u.failed_logins + 1)
        .returning(u.failed_logins)
    ).scalar_one()
    lock = lock_after(failures)
    if lock is not None:
        conn.execute(update(user_t).where(u.id == user_id).values(locked_until=now + lock))


def list_users(db: Database, actor: Actor, include_inactive: bool = True) -> list[UserView]:
    """Every account, by name. Admins only."""
    require(actor, Permission.ADMIN)
    stmt = select(User).order_by(User.username)
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    with db.read() as conn, Session(bind=conn) as session:
        return [_view(u) for u in session.scalars(stmt)]


def change_password(
    db: Database,
    username: str,
    new_password: str,
    actor: Actor,
    *,
    old_password: str | None = None,
) -> UserView:
    """Set a password (and lift a login lock). Admins may set anyone's; others only their own,
    with their current password. Raises PermissionDenied, LoginFailed, ValidationError, NotFound.
    """
    own = clean_username(username) == actor.username
    if not own:
        require(actor, Permission.ADMIN)
    check_password_rules(new_password)
    as_login = logins.db_enabled(db)
    if own and not actor.can(Permission.ADMIN):
        if old_password is None:
            raise ValidationError("Enter your current password.", field="old_password")
        _check_password(db, username, old_password, as_login)
    hashed = "" if as_login else _hash(new_password)

    def work(session: Session) -> UserView:
        user = _by_name(session, username)
        if as_login:
            logins.set_password(session.connection(), user.username, new_password, own=own)
            audit_trail.record(
                session.connection(), actor, db.now(), "password", "user", user.username
            )
            return _view(user)
        user.password_hash = hashed
        user.failed_logins = 0
        user.locked_until = None
        audit_trail.record(session.connection(), actor, db.now(), "password", "user", user.username)
        session.flush()
        return _view(user)

    view = edit_session(db, work)
    if as_login and own and db.engine.url.username == view.username:
        # The server now wants the new password from this login: the pool's next connection
        # must send it (the ones open go on; the server does not ask them again).
        db.use_password(new_password)
    return view


def _check_password(db: Database, username: str, password: str, as_login: bool) -> None:
    if not as_login:
        login(db, username, password)
        return
    url = db.engine.url.render_as_string(hide_password=False)
    signed = logins.sign_in(url, username, password)
    if signed is None:
        raise logins.refused()
    signed[0].dispose()


def set_role(db: Database, username: str, role: Role | str, actor: Actor) -> UserView:
    """Give an account another role; the last active admin keeps theirs. Admins only."""
    require(actor, Permission.ADMIN)
    new_role = parse_role(role)

    def work(session: Session) -> UserView:
        user = _by_name(session, username)
        if user.role == Role.ADMIN.value and new_role is not Role.ADMIN and user.active:
            _keep_an_admin(session)
        return _change(
            session,
            user,
            {"role": new_role.value},
            lambda conn: logins.set_role(conn, user.username, new_role),
            db.now(),
            actor,
        )

    return edit_session(db, work)


def set_user_active(db: Database, username: str, active: bool, actor: Actor) -> UserView:
    """Deactivate an account (it can no longer log in; its history stays) or reactivate it."""
    require(actor, Permission.ADMIN)

    def work(session: Session) -> UserView:
        user = _by_name(session, username)
        if not active and user.active and user.role == Role.ADMIN.value:
            _keep_an_admin(session)
        return _change(
            session,
            user,
            {"active": active},
            lambda conn: logins.set_active(conn, user.username, active),
            db.now(),
            actor,
        )

    return edit_session(db, work)


def _change(
    session: Session,
    user: User,
    change: dict[str, Any],
    on_login_role: Callable[[Connection], None],
    at: datetime,
    actor: Actor,
) -> UserView:
    """Apply an account change, audited: where accounts are login roles, to the role (through the
    account functions, which also write the directory row); else to the directory row itself."""
    conn = session.connection()
    if logins.enabled(conn):
        on_login_role(conn)
        audit_trail.record(conn, actor, at, "edit", "user", user.username, change)
        session.expire(user)
        return _view(user)
    for name, value in change.items():
        setattr(user, name, value)
    audit_trail.record_edit(session, actor, at, "user", user.username, user)
    session.flush()
    return _view(user)


def _keep_an_admin(session: Session) -> None:
    if _active_admins(session) <= 1:
        raise ValidationError(
            "This is the last active admin: make another user admin first.", field="role"
        )
