"""`lot show|trace`, `serial show`, `order lots`, `alerts expiry` and `warehouse edit
--expiry-warning-days` from a script."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from invdesk.db.engine import Database
from tests.cli.conftest import assert_one_line_error
from tests.lots import receive_lot, receive_serials, tracked_product


@pytest.fixture
def lots(invdesk):
    """MAIN with MILK in lots SOON (expires in 5 days) and LATER (in a year); PHONE serials."""
    invdesk.ok("warehouse", "add", "MAIN", "Main")
    db = Database.open(invdesk.url)
    try:
        tracked_product(db, "MILK")
        tracked_product(db, "PHONE", "serial")
        today = date.today()
        receive_lot(db, "MILK", "MAIN", 4, "SOON", today + timedelta(days=5))
        receive_lot(db, "MILK", "MAIN", 4, "LATER", today + timedelta(days=365))
        receive_serials(db, "PHONE", "MAIN", "SN-1")
    finally:
        db.dispose()
    return invdesk


def test_lot_trace_lists_the_orders_that_took_the_lot(lots):
    lots.ok("order", "place", "WEB-1", "MILK:5", "--warehouse", "MAIN")
    lots.ok("order", "fulfil", "WEB-1")

    found = lots.json("lot", "trace", "MILK", "SOON")
    assert [(o["reference"], o["units"]) for o in found["orders"]] == [("WEB-1", 4)]
    assert [m["kind"] for m in found["history"]] == ["receive", "issue"]
    assert found["total_on_hand"] == 0
    shown = lots.ok("lot", "show", "MILK", "LATER").stdout
    assert "Lot LATER of MILK" in shown and "WEB-1" in shown
    taken = lots.json("order", "lots", "WEB-1")
    assert [(r["lot"], r["units"]) for r in taken] == [("SOON", 4), ("LATER", 1)]


def test_serial_show_is_the_serial_history_and_refuses_a_lot(lots):
    found = lots.json("serial", "show", "PHONE", "SN-1")
    assert found["lot"]["serial"] is True
    assert [(p["warehouse"], p["on_hand"]) for p in found["on_hand"]] == [("MAIN", 1)]
    refused = lots("serial", "show", "MILK", "SOON")
    assert assert_one_line_error(refused, 4) == "Error: MILK has no serial number “SOON”."


def test_expiry_alerts_follow_the_warehouse_warning_days(lots):
    assert "1 raised" in lots.ok("alerts", "expiry").stdout
    (alert,) = lots.json("alerts")
    assert (alert["kind"], alert["available"]) == ("lot_expiring", 4)
    lots.ok("warehouse", "edit", "MAIN", "--expiry-warning-days", "0")
    assert "1 resolved" in lots.ok("alerts", "expiry").stdout
    assert lots.json("alerts") == []
    bad = lots("warehouse", "edit", "MAIN", "--expiry-warning-days", "soon")
    assert "whole number of days" in assert_one_line_error(bad, 2)
