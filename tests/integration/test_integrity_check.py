"""The scheduled integrity check: seals and verifies, records its run, and a mismatch is an alert
for admins until one acknowledges it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from invdesk.domain.errors import PermissionDenied
from invdesk.domain.security import Actor, Role
from invdesk.services.trust import integrity
from tests import support

ADMIN = Actor("ada", Role.ADMIN)
CLERK = Actor("carl", Role.CLERK)
NOW = timedelta(0)


@pytest.fixture
def stocked(db):
    support.warehouse(db, "MAIN")
    support.product(db, "SKU-1")
    support.stocked(db, "SKU-1", 10)
    return db


def _edit_counter(db) -> None:
    """A counter changed by someone whose role may write it, behind the ledger's back."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE stock_level SET on_hand = on_hand + 5"))


def test_a_clean_database_passes_and_gets_sealed(stocked):
    run = integrity.run_check(stocked, CLERK)

    assert run is not None and run.findings == 0 and run.checked_by == "carl"
    assert integrity.open_alerts(stocked, ADMIN) == []
    assert integrity.last_check(stocked, CLERK) == run


def test_one_run_per_period_whoever_asks(stocked):
    assert integrity.run_check(stocked, CLERK) is not None

    assert integrity.run_check(stocked, ADMIN) is None  # another PC checked within the hour


def test_an_edited_counter_raises_a_ledger_mismatch_alert_for_admins(stocked):
    _edit_counter(stocked)

    run = integrity.run_check(stocked, CLERK, every=NOW)

    assert run is not None and run.findings == 1 and run.title == "Ledger mismatch"
    assert run.summary == "SKU-1 in MAIN: on hand is 15 but the ledger adds up to 10"
    assert integrity.open_alerts(stocked, ADMIN) == [run]
    assert integrity.open_alert_count(stocked, ADMIN) == 1
    assert integrity.open_alert_count(stocked, CLERK) == 0


def test_an_acknowledged_alert_is_no_longer_open(stocked):
    _edit_counter(stocked)
    run = integrity.run_check(stocked, CLERK, every=NOW)
    assert run is not None

    integrity.acknowledge(stocked, run.id, ADMIN)

    assert integrity.open_alerts(stocked, ADMIN) == []
    with pytest.raises(PermissionDenied):
        integrity.acknowledge(stocked, run.id, CLERK)
