"""The edit audit trail's writing half: who changed what, in the same transaction as the edit."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, insert, inspect
from sqlalchemy.orm import Session

from invdesk.db.tables import audit_t
from invdesk.domain.security import Actor

# Never copied into the trail: secrets, and bookkeeping the audit row itself already says.
_SKIPPED_FIELDS = frozenset(
    {"password_hash", "version", "failed_logins", "locked_until", "updated_at", "last_login_at"}
)
DETAILS_MAX = 2000
_TRACKED = "invdesk_audit_changes"


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 9.9000 -> "9.9"
    if hasattr(value, "name") and not isinstance(value, str | int | float | bool):
        return value.name  # a related record (a product's category)
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def changes_of(obj: object) -> dict[str, list[Any]]:
    """The fields of an ORM object changed (and not yet flushed) in this session: {name: [old, new]}."""
    state = inspect(obj)
    found: dict[str, list[Any]] = {}
    for attr in state.attrs:
        if attr.key in _SKIPPED_FIELDS or attr.key.endswith("_id") or attr.key == "barcodes":
            continue
        history = attr.history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                found[attr.key] = [_text(old), _text(new)]
    return found


def record(
    conn: Connection,
    actor: Actor,
    at: datetime,
    action: str,
    entity: str,
    key: str,
    details: dict[str, Any] | str | None = None,
) -> None:
    """Append one audit row in the caller's transaction (so it commits or rolls back with the edit)."""
    if isinstance(details, dict):
        details = json.dumps(details, default=str, ensure_ascii=False, sort_keys=True)
    if details is not None and len(details) > DETAILS_MAX:
        details = details[: DETAILS_MAX - 1] + "…"
    conn.execute(
        insert(audit_t).values(
            at=at,
            user=actor.username,
            action=action[:16],
            entity=entity[:16],
            entity_key=key[:200],
            details=details,
        )
    )


def _merge(into: dict[str, list[Any]], changes: dict[str, list[Any]]) -> None:
    for name, (old, new) in changes.items():
        into[name] = [into[name][0] if name in into else old, new]


def track(session: Session) -> None:
    """Keep the changes that autoflush writes mid-edit, so `record_edit` still sees them."""
    pending: dict[int, dict[str, list[Any]]] = {}
    session.info[_TRACKED] = pending

    def collect(session: Session, *_: object) -> None:
        for obj in session.dirty:
            _merge(pending.setdefault(id(obj), {}), changes_of(obj))

    event.listen(session, "before_flush", collect)


def record_edit(
    session: Session,
    actor: Actor,
    at: datetime,
    entity: str,
    key: str,
    obj: object,
    extra: dict[str, list[Any]] | None = None,
) -> None:
    """Audit an ORM edit by the fields it changed; an edit that changed nothing is not recorded.

    `extra` adds changes the object's own fields do not show (a related record by its code)."""
    changed: dict[str, list[Any]] = dict(extra or {})
    _merge(changed, session.info.get(_TRACKED, {}).pop(id(obj), {}))
    _merge(changed, changes_of(obj))
    changed = {name: values for name, values in changed.items() if values[0] != values[1]}
    if changed:
        record(session.connection(), actor, at, "edit", entity, key, changed)
