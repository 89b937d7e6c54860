"""On a shared server a manager's own login may merge categories (which deletes the merged one);
a clerk's login may not delete a category even with SQL of their own."""

from __future__ import annotations

import psycopg
import pytest

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.services.catalog import categories, products
from tests import support


def test_a_managers_login_merges_categories_and_a_clerks_cannot_delete_one(pg_db, make_login):
    support.product(pg_db, "T-1", category="Tools")
    categories.create_category(pg_db, "Hand tools", SYSTEM)
    manager, clerk = make_login("manager"), make_login("clerk")

    with Database.open(manager.url) as db:
        merged = categories.merge_category(
            db, "Tools", "Hand tools", Actor(manager.name, Role.MANAGER)
        )

    assert merged.products == 1
    assert products.get_product(pg_db, "T-1", SYSTEM).category == "Hand tools"
    with clerk.connect() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM category WHERE name = 'Other'")
