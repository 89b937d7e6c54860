"""Fixtures for events out: a database with stock and a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from invdesk.db.engine import Database, make_engine
from tests import support
from tests.fixtures.databases import _empty


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(db_url: str, clock: Clock) -> Iterator[Database]:
    """MAIN and SHOP warehouses and products A and B, with a clock the test controls."""
    with Database(make_engine(db_url), clock=clock) as db:
        support.warehouse(db, "MAIN")
        support.warehouse(db, "SHOP")
        support.product(db, "A")
        support.product(db, "B")
        yield db


@pytest.fixture
def pg_shop(pg_url: str, clock: Clock) -> Iterator[Database]:
    """The same on PostgreSQL only, for what takes two writers at once."""
    with Database(make_engine(pg_url), clock=clock) as db:
        _empty(db)
        support.warehouse(db, "MAIN")
        support.warehouse(db, "SHOP")
        support.product(db, "A")
        support.product(db, "B")
        yield db
