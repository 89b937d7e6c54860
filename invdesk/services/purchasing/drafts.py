"""TEMPORARY STUB (pogui branch): the lead's drafts service lands on main; removed at merge."""

from __future__ import annotations

from invdesk.db.engine import Database
from invdesk.domain.purchasing import DraftsFromReorder
from invdesk.domain.security import Actor


def drafts_from_reorder(
    db: Database,
    actor: Actor,
    warehouse: str | None = None,
    picks: list[tuple[str, str]] | None = None,
) -> DraftsFromReorder:
    raise NotImplementedError
