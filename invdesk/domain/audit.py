"""The audit trail as people read it: ledger rows and edit records merged, newest first."""

from __future__ import annotations

import json
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


def details_object(row: AuditRow) -> dict[str, object]:
    """A row's details as an object for scripts: an edit's recorded fields ({"price": [old,
    new]}), a stock row's change ({"change": "-3 in MAIN (ORDER-7)"}); empty when there are none."""
    if not row.details:
        return {}
    if row.source == "edit":
        try:
            data = json.loads(row.details)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
        return {"text": row.details}  # a truncated record is no longer valid JSON
    return {"change": row.details}


def describe_details(details: str | None) -> str:
    """Details for people: `name: Cable → USB-C cable; price: 0 → 9.9` rather than JSON."""
    if not details:
        return ""
    try:
        data = json.loads(details)
    except ValueError:
        return details
    if not isinstance(data, dict):
        return details
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{key}: {_shown(value[0])} → {_shown(value[1])}")
        else:
            parts.append(f"{key}: {_shown(value)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if value is True or value is False:
        return "yes" if value else "no"
    return str(value)
