"""Column types that behave the same on SQLite and PostgreSQL: exact money, UTC timestamps, 64-bit ids."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator

from invdesk.domain.validation import from_minor, to_minor

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Money(TypeDecorator[Decimal]):
    """Decimal in Python, an exact integer of 1/10,000 units in the database (SQLite has no decimal)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_minor(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_minor(int(value))


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; invdesk stores UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


IntPK = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
Str16 = Annotated[str, mapped_column(String(16))]
Str64 = Annotated[str, mapped_column(String(64))]
Str200 = Annotated[str, mapped_column(String(200))]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime())]
MoneyCol = Annotated[Decimal, mapped_column(Money(), default=Decimal(0))]
