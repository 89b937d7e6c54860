"""Printed documents built from the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from invdesk.domain.catalog import EditWarehouse
from invdesk.domain.errors import NotFound, ValidationError
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import Line, TransferStock
from invdesk.domain.transit import ReceivedLine, ReceiveShipment
from invdesk.reports.documents.packing_slip import packing_slip
from invdesk.reports.documents.pick_list import pick_list
from invdesk.reports.documents.transfer_note import transfer_note
from invdesk.services.catalog import warehouses
from invdesk.services.stock import orders, transit
from tests import picking as shop_with_bins
from tests import support


@pytest.fixture
def shop(db):
    shop_with_bins.bins_and_orders(db)
    edit = EditWarehouse("MAIN", name="Acme Supplies", address="1 Dock Road, Harbour City")
    warehouses.edit_warehouse(db, edit, SYSTEM)
    return db


def test_a_pick_list_orders_lines_by_bin_and_groups_the_orders(shop):
    doc = pick_list(shop, SYSTEM, ["WEB-2", "WEB-1"])
    assert doc.column_texts("Bin") == ["A-2", "", "A-10", "B-1", ""]
    assert doc.column_texts("SKU") == ["BOLT", "MILK", "BOLT", "MILK", "NUT"]
    soon, late = shop_with_bins.SOON.isoformat(), shop_with_bins.LATER.isoformat()
    assert doc.column_texts("Lot / expiry") == ["", f"L-SOON\n{soon}", "", f"L-LATE\n{late}", ""]
    # WEB-2 was named first, so it is served first from the first bin FEFO takes.
    assert doc.column_texts("For orders")[2] == "WEB-2\u00a0×\u00a04, WEB-1\u00a0×\u00a01"
    assert doc.issuer is not None and doc.issuer.name == "Acme Supplies"
    assert doc.issuer.address == ("1 Dock Road", "Harbour City")


def test_a_packing_slip_lists_the_orders_lines(shop):
    doc = packing_slip(shop, SYSTEM, "WEB-2")
    assert doc.column_texts("SKU") == ["BOLT", "MILK"]
    assert doc.column_texts("Qty") == ["4", "4"]
    assert doc.barcode == "WEB-2"
    orders.fulfil_order(shop, "WEB-2", SYSTEM)
    sent = packing_slip(shop, SYSTEM, "WEB-2")
    assert sent.column_texts("Lot / serial") == ["", "L-SOON × 3, L-LATE × 1"]
    orders.cancel_order(shop, "WEB-1", SYSTEM)
    with pytest.raises(ValidationError, match="cancelled"):
        packing_slip(shop, SYSTEM, "WEB-1")


def test_a_transfer_note_lists_what_is_in_transit(shop):
    support.warehouse(shop, "EAST", "East store")
    cmd = TransferStock("MAIN", "EAST", (Line("NUT", 5), Line("MILK", 1)), reference="T-77")
    shipped = transit.ship(shop, cmd, SYSTEM)
    transfer_id = shipped.movements[0].transfer_id
    doc = transfer_note(shop, SYSTEM, transfer_id)
    assert doc.barcode == transfer_id and doc.number == "T-77"
    assert [p.name for p in doc.parties] == ["Acme Supplies (MAIN)", "East store (EAST)"]
    assert doc.column_texts("SKU") == ["MILK", "NUT"]
    assert doc.column_texts("Shipped") == ["1", "5"]
    assert "Received" not in [c.header for c in doc.columns]
    arrived = ReceiveShipment(transfer_id, (ReceivedLine("NUT", 2),), keep_open=True)
    transit.receive_shipment(shop, arrived, SYSTEM)
    partly = transfer_note(shop, SYSTEM, transfer_id)
    assert partly.column_texts("Received") == ["0", "2"]
    assert partly.column_texts("Expected") == ["1", "3"]
    with pytest.raises(NotFound):
        transfer_note(shop, SYSTEM, "no-such-transfer")
