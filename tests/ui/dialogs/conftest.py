"""Fixtures for the dialog tests: the small shop on SQLite, or on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from invdesk.services.system.database import Database, open_database
from tests.ui.dialogs.shop import seed


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Database]:
    """The small shop on a fresh SQLite file."""
    db = open_database(f"sqlite:///{tmp_path}/shop.db")
    try:
        yield seed(db)
    finally:
        db.dispose()


@pytest.fixture
def any_shop(db: Database) -> Database:
    """The small shop on SQLite and on PostgreSQL (the two variants of the `db` fixture)."""
    return seed(db)
