"""Goods in transit on SQLite and PostgreSQL: ship now, receive later, in full or short."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from invdesk.db.tables import audit_t, lot_t, quant_t, shipment_t
from invdesk.domain.errors import InsufficientStock, NotFound, ValidationError
from invdesk.domain.stock import Line, MovementKind, TransferStock
from invdesk.domain.transit import ReceivedLine, ReceiveShipment, ShipmentStatus
from invdesk.services.stock import shipments, transit
from invdesk.services.trust import verify
from tests import support
from tests.lots import receive_lot, receive_serials, tracked_product

ACTOR = support.ACTOR


@pytest.fixture
def route(db):
    """MAIN holds 10 of SKU-1; SHOP is another site."""
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    support.product(db, "SKU-1")
    support.stocked(db, "SKU-1", 10, "MAIN")
    return db


def _ship(db, qty=6, sku="SKU-1", **kw) -> str:
    result = transit.ship(db, TransferStock("MAIN", "SHOP", (Line(sku, qty),), **kw), ACTOR)
    return result.movements[0].transfer_id


def test_shipped_transfer_is_in_transit_and_a_short_receipt_records_the_shortfall(route):
    db = route
    shipment_id = _ship(db, 6, reference="TRUCK-7")
    assert support.on_hand(db, "SKU-1", "MAIN") == (4, 0)
    assert support.on_hand(db, "SKU-1", "SHOP") == (0, 0)
    (pair,) = shipments.in_transit(db, ACTOR)
    assert (pair.source, pair.destination, pair.shipments, pair.expected) == ("MAIN", "SHOP", 1, 6)
    assert pair.since is not None

    lines = (ReceivedLine("SKU-1", 4),)
    receipt = transit.receive_shipment(db, ReceiveShipment(shipment_id, lines), ACTOR)

    assert receipt.discrepancy
    assert receipt.shipment.status is ShipmentStatus.CLOSED
    (line,) = receipt.shipment.lines
    assert (line.shipped, line.received, line.short, line.expected) == (6, 4, 2, 0)
    assert [m.kind for m in receipt.result.movements] == [MovementKind.TRANSIT_IN]
    assert support.on_hand(db, "SKU-1", "SHOP") == (4, 0)
    assert shipments.in_transit(db, ACTOR) == []
    with db.read() as conn:
        audit = conn.execute(select(audit_t.c.details).where(audit_t.c.entity == "shipment"))
        assert '"short": 2' in audit.scalar_one()
    assert verify.verify(db, ACTOR) == []


def test_a_receipt_may_keep_the_shipment_open_for_a_later_truck(route):
    db = route
    shipment_id = _ship(db, 6)
    first = transit.receive_shipment(
        db, ReceiveShipment(shipment_id, (ReceivedLine("SKU-1", 2),), keep_open=True), ACTOR
    )
    assert first.shipment.status is ShipmentStatus.PARTIAL
    assert not first.discrepancy
    assert shipments.in_transit(db, ACTOR)[0].expected == 4
    rest = transit.receive_shipment(db, ReceiveShipment(shipment_id), ACTOR)
    assert rest.shipment.status is ShipmentStatus.RECEIVED
    assert support.on_hand(db, "SKU-1", "SHOP") == (6, 0)
    listed = shipments.list_shipments(db, ACTOR)
    assert [(s.status, s.received, s.short) for s in listed] == [(ShipmentStatus.RECEIVED, 6, 0)]


def test_ship_and_receive_retries_apply_once(route):
    db = route
    cmd = TransferStock("MAIN", "SHOP", (Line("SKU-1", 3),), request_id="ship-1")
    first = transit.ship(db, cmd, ACTOR)
    again = transit.ship(db, cmd, ACTOR)
    assert again.replayed
    assert again.movements[0].transfer_id == first.movements[0].transfer_id
    assert support.on_hand(db, "SKU-1", "MAIN") == (7, 0)
    shipment_id = first.movements[0].transfer_id
    receipt = ReceiveShipment(shipment_id, (ReceivedLine("SKU-1", 1),), True, "recv-1")
    transit.receive_shipment(db, receipt, ACTOR)
    replay = transit.receive_shipment(db, receipt, ACTOR)
    assert replay.result.replayed
    assert replay.shipment.lines[0].received == 1
    assert support.on_hand(db, "SKU-1", "SHOP") == (1, 0)
    with db.read() as conn:
        assert len(conn.execute(select(shipment_t.c.id)).all()) == 1


def test_refusals_change_nothing(route):
    db = route
    before = support.ledger_count(db)
    with pytest.raises(InsufficientStock):
        _ship(db, 11)
    assert support.ledger_count(db) == before
    assert shipments.list_shipments(db, ACTOR) == []
    shipment_id = _ship(db, 5)
    with pytest.raises(ValidationError, match="Only 5"):
        transit.receive_shipment(
            db, ReceiveShipment(shipment_id, (ReceivedLine("SKU-1", 6),)), ACTOR
        )
    with pytest.raises(NotFound):
        transit.receive_shipment(db, ReceiveShipment("no-such-id"), ACTOR)
    assert shipments.get_shipment(db, ACTOR, shipment_id).status is ShipmentStatus.IN_TRANSIT
    transit.receive_shipment(db, ReceiveShipment(shipment_id), ACTOR)
    with pytest.raises(ValidationError, match="already received"):
        transit.receive_shipment(db, ReceiveShipment(shipment_id), ACTOR)
    assert support.on_hand(db, "SKU-1", "SHOP") == (5, 0)


def test_lots_ship_first_expiry_first_and_arrive_as_the_same_lots(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    tracked_product(db, "MILK")
    receive_lot(db, "MILK", "MAIN", 5, "LATE", date(2099, 6, 1))
    receive_lot(db, "MILK", "MAIN", 5, "EARLY", date(2099, 1, 1))
    receive_lot(db, "MILK", "MAIN", 5, "OLD", date(2000, 1, 1))  # expired: never shipped
    shipment_id = _ship(db, 7, "MILK")
    view = shipments.get_shipment(db, ACTOR, shipment_id)
    assert [(line.lot, line.shipped) for line in view.lines] == [("EARLY", 5), ("LATE", 2)]
    transit.receive_shipment(db, ReceiveShipment(shipment_id), ACTOR)
    with db.read() as conn:
        held = conn.execute(
            select(lot_t.c.number, quant_t.c.on_hand)
            .join(lot_t, lot_t.c.id == quant_t.c.lot_id)
            .where(quant_t.c.warehouse_id == 2, quant_t.c.on_hand > 0)
            .order_by(lot_t.c.number)
        ).all()
    assert [tuple(row) for row in held] == [("EARLY", 5), ("LATE", 2)]
    with pytest.raises(InsufficientStock, match="expired"):
        _ship(db, 4, "MILK")
    assert verify.verify(db, ACTOR) == []


def test_serials_named_on_shipping_arrive_as_those_serials(db):
    support.warehouse(db, "MAIN")
    support.warehouse(db, "SHOP")
    tracked_product(db, "PHONE", "serial")
    receive_serials(db, "PHONE", "MAIN", "SN1", "SN2", "SN3")
    cmd = TransferStock("MAIN", "SHOP", (Line("PHONE", 2, serials=("SN3", "SN1")),))
    shipment_id = transit.ship(db, cmd, ACTOR).movements[0].transfer_id
    view = shipments.get_shipment(db, ACTOR, shipment_id)
    assert sorted(line.lot for line in view.lines) == ["SN1", "SN3"]
    lines = (ReceivedLine("PHONE", 1, lot="SN3"),)
    receipt = transit.receive_shipment(db, ReceiveShipment(shipment_id, lines), ACTOR)
    assert receipt.discrepancy
    assert {(line.lot, line.received, line.short) for line in receipt.shipment.lines} == {
        ("SN1", 0, 1),
        ("SN3", 1, 0),
    }
    assert support.on_hand(db, "PHONE", "SHOP") == (1, 0)
    assert verify.verify(db, ACTOR) == []


def test_clerks_racing_to_receive_a_shipment_book_each_unit_once(route):
    from tests.integration import racing, workers

    db = route
    shipment_id = _ship(db, 10)
    url = racing.url_of(db)
    with racing.clerks(db) as pool:
        calls = [(url, shipment_id, "SKU-1", i % 16) for i in range(40)]
        results = racing.run_all(pool, workers.receive_one, calls)
    assert (results.count("ok"), results.count("over")) == (10, 30)
    assert support.on_hand(db, "SKU-1", "SHOP") == (10, 0)
    assert shipments.get_shipment(db, ACTOR, shipment_id).status is ShipmentStatus.RECEIVED
    assert verify.verify(db, ACTOR) == []
