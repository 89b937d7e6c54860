"""API tokens: add (shown once, stored as a SHA-256), list, revoke (admin, audited), authenticate."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import Connection, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import token_t
from invdesk.domain.errors import Conflict, NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.tokens import (
    Scope,
    TokenGrant,
    TokenRefused,
    TokenView,
    clean_token_name,
    parse_scopes,
)
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref
from invdesk.services.stock import events

_t = token_t.c
# 32 random bytes: far beyond guessing, so a fast hash (not a password hash) is the right store,
# and a request can be checked by one indexed look-up.
TOKEN_BYTES = 32
TOKEN_MARK = "invd_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _view(row: object) -> TokenView:
    r = row._mapping  # type: ignore[attr-defined]
    return TokenView(
        name=r["name"],
        scopes=tuple(Scope(s) for s in r["scopes"].split()),
        warehouses=tuple((r["warehouses"] or "").split()),
        active=r["active"],
        created_at=r["created_at"],
        created_by=r["created_by"],
        revoked_at=r["revoked_at"],
        revoked_by=r["revoked_by"],
        last_four=r["last_four"],
    )


def _warehouses(conn: Connection, codes: Iterable[object]) -> list[str]:
    found = []
    for code in codes:
        found.append(warehouse_ref(conn, warehouse_code(code)).code)  # NotFound if unknown
    return sorted(set(found))


def add_token(
    db: Database,
    actor: Actor,
    name: object,
    scopes: Iterable[object],
    warehouses: Iterable[object] = (),
) -> tuple[TokenView, str]:
    """Create a token; returns its view and the token itself, which is never shown again.

    Raises PermissionDenied (admins only), ValidationError (name, scopes), NotFound (a warehouse)
    or Conflict (the name is taken, also by a revoked token).
    """
    require(actor, Permission.ADMIN)
    clean = clean_token_name(name)
    granted = sorted(s.value for s in parse_scopes(scopes))
    secret = TOKEN_MARK + secrets.token_urlsafe(TOKEN_BYTES)

    def work(conn: Connection) -> TokenView:
        events.collect(conn, events.AdminChanged("token"))  # the Admin page's lists
        if conn.execute(select(_t.id).where(_t.name == clean)).first() is not None:
            raise Conflict(f"A token named {clean} already exists.", field="name")
        limits = _warehouses(conn, warehouses)
        at = db.now()
        conn.execute(
            insert(token_t).values(
                name=clean,
                token_hash=hash_token(secret),
                last_four=secret[-4:],
                scopes=" ".join(granted),
                warehouses=" ".join(limits) or None,
                active=True,
                created_at=at,
                created_by=actor.username,
            )
        )
        details = {"scopes": " ".join(granted), "warehouses": " ".join(limits) or "all"}
        audit_trail.record(conn, actor, at, "create", "token", clean, details)
        return _view(conn.execute(select(token_t).where(_t.name == clean)).one())

    return events.run(db, work), secret


def list_tokens(db: Database, actor: Actor) -> list[TokenView]:
    """Every token, active and revoked, by name. Admins only."""
    require(actor, Permission.ADMIN)
    with db.read() as conn:
        return [_view(r) for r in conn.execute(select(token_t).order_by(_t.name))]


def revoke_token(db: Database, actor: Actor, name: object) -> TokenView:
    """Revoke a token for good (a repeat changes nothing). Admins only; raises NotFound."""
    require(actor, Permission.ADMIN)
    clean = clean_token_name(name)

    def work(conn: Connection) -> TokenView:
        events.collect(conn, events.AdminChanged("token"))  # the Admin page's lists
        row = conn.execute(select(token_t).where(_t.name == clean)).first()
        if row is None:
            raise NotFound(f"There is no token “{clean}”.", field="name")
        if row.active:
            at = db.now()
            conn.execute(
                update(token_t)
                .where(_t.id == row.id)
                .values(active=False, revoked_at=at, revoked_by=actor.username)
            )
            audit_trail.record(conn, actor, at, "revoke", "token", clean)
            row = conn.execute(select(token_t).where(_t.id == row.id)).one()
        return _view(row)

    return events.run(db, work)


def authenticate(db: Database, secret: str | None) -> TokenGrant:
    """The grant of an active token; raises TokenRefused for a missing, unknown or revoked one."""
    if not secret:
        raise TokenRefused("Send the API token as “Authorization: Bearer TOKEN”.")
    with db.read() as conn:
        row = conn.execute(
            select(_t.name, _t.scopes, _t.warehouses, _t.active).where(
                _t.token_hash == hash_token(secret)
            )
        ).first()
    if row is None or not row.active:
        raise TokenRefused("This API token is unknown or was revoked; ask for a new one.")
    limits = frozenset(row.warehouses.split()) if row.warehouses else None
    return TokenGrant(row.name, frozenset(Scope(s) for s in row.scopes.split()), limits)
