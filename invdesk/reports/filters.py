"""What a report covers: warehouse, category and a period, resolved against the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select, text

from invdesk.db.tables import category_t
from invdesk.domain.errors import NotFound
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import warehouse_ref

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class ReportFilter:
    """Filters as typed; None means all warehouses / categories, or the default period."""

    warehouse: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Scope:
    """A filter resolved to ids and a definite period [since, until)."""

    warehouse_id: int | None
    warehouse: str | None
    category_id: int | None
    category: str | None
    since: datetime
    until: datetime
    now: datetime

    @property
    def days(self) -> int:
        return max(1, round((self.until - self.since).total_seconds() / 86400))

    def describe(self, *, snapshot: bool = False) -> str:
        """The filters in words; a `snapshot` (stock as it is) says when, not a period."""
        when = (
            f"as of {self.now:%Y-%m-%d %H:%M} UTC"
            if snapshot
            else f"{self.since:%Y-%m-%d %H:%M} to {self.until:%Y-%m-%d %H:%M} UTC"
        )
        parts = [
            f"warehouse {self.warehouse}" if self.warehouse else "all warehouses",
            f"category {self.category}" if self.category else "all categories",
            when,
        ]
        return ", ".join(parts)


def resolve(conn: Connection, flt: ReportFilter, now: datetime) -> Scope:
    """Look up the warehouse and category; the default period is the last DEFAULT_DAYS days."""
    warehouse = None if flt.warehouse is None else warehouse_ref(conn, flt.warehouse)
    category_id = category_name = None
    if flt.category is not None:
        row = conn.execute(
            select(category_t.c.id, category_t.c.name).where(
                func.lower(category_t.c.name) == flt.category.strip().lower()
            )
        ).first()
        if row is None:
            raise NotFound(f"There is no category “{flt.category}”.", field="category")
        category_id, category_name = row.id, row.name
    until = (flt.until or now).astimezone(UTC)
    since = (flt.since or until - timedelta(days=DEFAULT_DAYS)).astimezone(UTC)
    return Scope(
        warehouse_id=None if warehouse is None else warehouse.id,
        warehouse=None if warehouse is None else warehouse.code,
        category_id=category_id,
        category=category_name,
        since=since,
        until=until,
        now=now,
    )


def begin_report(conn: Connection, actor: Actor) -> None:
    """Check the permission and make the read transaction a consistent snapshot in UTC.

    On PostgreSQL a report reads under REPEATABLE READ (every sheet sees the same ledger) and may
    sit between fetches while a big sheet is written, so it gets a longer idle allowance than
    a stock operation.
    """
    require(actor, Permission.REPORTS)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        conn.execute(text("SET LOCAL idle_in_transaction_session_timeout = '120s'"))
        conn.execute(text("SET LOCAL TIME ZONE 'UTC'"))
