"""The audit trail as people read it: ledger rows and edit records merged, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditRow:
    """One thing someone did. `source` is "stock" (a ledger row) or "edit" (a record edit)."""

    at: datetime
    user: str
    source: str
    action: str
    entity: str
    key: str
    details: str | None = None
    id: int = 0


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500
