"""The database itself refuses to change or delete ledger and audit rows (triggers of migration 0003)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests import support


@pytest.mark.parametrize(
    "statement",
    ["UPDATE movement SET qty = qty + 1", "DELETE FROM movement"],
    ids=["update", "delete"],
)
def test_ledger_rows_cannot_be_updated_or_deleted(db, statement):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=5)

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))

    assert support.ledger_count(db) == 1
    assert support.on_hand(db, "SKU-1") == (5, 0)


def test_new_ledger_rows_are_still_appended(db):
    support.warehouse(db)
    support.product(db)
    support.stocked(db, qty=5)
    support.stocked(db, qty=5)

    assert support.ledger_count(db) == 2


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET \"user\" = 'someone else'", "DELETE FROM audit_entry"],
    ids=["update", "delete"],
)
def test_audit_rows_cannot_be_updated_or_deleted(db, statement):
    support.warehouse(db)  # writes one audit row

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))

    with db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == 1
