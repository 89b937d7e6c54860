"""Fixtures for the dialog tests: the small shop on SQLite, or on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invdesk.services.system.database import Database, open_database
from tests.ui.dialogs.shop import seed


@pytest.fixture
def shop(shop_file_url: str) -> Iterator[Database]:
    """The small shop on a fresh SQLite file."""
    db = open_database(shop_file_url)
    try:
        yield seed(db)
    finally:
        db.dispose()


@pytest.fixture
def any_shop(db: Database) -> Database:
    """The small shop on SQLite and on PostgreSQL (the two variants of the `db` fixture)."""
    return seed(db)
