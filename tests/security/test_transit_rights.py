"""Goods in transit, traceability and lot expiry alerts on a person's own PostgreSQL login: what
the services do works with the role's rights, and what they never do is refused by the database."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import text

from invdesk.db.engine import Database
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import Line, TransferStock
from invdesk.domain.transit import ReceivedLine, ReceiveShipment, ShipmentStatus
from invdesk.services.reads import alerts, trace
from invdesk.services.stock import expiry_alerts, orders, shipments, transit
from invdesk.services.trust import verify
from tests import support
from tests.lots import receive_lot, tracked_product

REFUSED = {
    "change what was shipped": "UPDATE shipment_line SET shipped = shipped + 1",
    "move a line to another product": "UPDATE shipment_line SET product_id = product_id",
    "change a line's cost": "UPDATE shipment_line SET unit_cost = 0",
    "remove a shipment's lines": "DELETE FROM shipment_line",
    "reroute a shipment": "UPDATE shipment SET destination_id = source_id",
    "ship in another's name": "UPDATE shipment SET shipped_by = 'boss'",
    "remove a shipment": "DELETE FROM shipment",
    "change a lot's expiry": "UPDATE lot SET expiry = '2999-01-01'",
}


@pytest.fixture
def shipped(pg_db):
    """MILK in MAIN (lot A) and a shipment of 2 units of it to SHOP, in transit."""
    support.warehouse(pg_db, "MAIN")
    support.warehouse(pg_db, "SHOP")
    tracked_product(pg_db, "MILK")
    # The server's clock judges holds and orders: the lot expires ten days from today.
    receive_lot(pg_db, "MILK", "MAIN", 10, "A", date.today() + timedelta(days=10))
    transit.ship(pg_db, TransferStock("MAIN", "SHOP", (Line("MILK", 2),)), SYSTEM)
    return pg_db


@pytest.mark.parametrize("role", [Role.CLERK, Role.MANAGER, Role.ADMIN], ids=str)
def test_transit_trace_and_expiry_work_on_each_persons_login(shipped, make_login, role):
    login = make_login(role.value)
    me = Actor(login.name, role)
    with Database.open(login.url) as db:
        sent = transit.ship(db, TransferStock("MAIN", "SHOP", (Line("MILK", 3),)), me)
        shipment_id = sent.movements[0].transfer_id
        cmd = ReceiveShipment(shipment_id, (ReceivedLine("MILK", 2),))
        receipt = transit.receive_shipment(db, cmd, me)
        orders.place_order(db, PlaceOrder("WEB-1", "MAIN", (OrderLine("MILK", 1),)), me)
        orders.fulfil_order(db, "WEB-1", me)
        found = trace.trace_lot(db, me, "MILK", "A")
        done = expiry_alerts.check_expiry(db, me)
        raised = alerts.list_alerts(db, me)
        in_transit = shipments.in_transit(db, me)

    assert receipt.shipment.status is ShipmentStatus.CLOSED and receipt.shipment.short == 1
    assert sent.movements[0].user == login.name  # the server's word for who shipped
    assert [o.reference for o in found.orders] == ["WEB-1"]
    assert done.raised == 2  # lot A expires within 30 days in MAIN and in SHOP
    assert {a.kind.value for a in raised} == {"lot_expiring"}
    assert [(r.source, r.destination, r.expected) for r in in_transit] == [("MAIN", "SHOP", 2)]
    assert verify.verify(shipped, SYSTEM) == []


def _state(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("shipment", "shipment_line", "lot")
        ]


# Managers may correct a lot's dates (db/privileges.py); everything else is refused to both.
CASES = [
    (role, attack)
    for role in ("clerk", "manager")
    for attack in REFUSED
    if not (role == "manager" and attack == "change a lot's expiry")
]


@pytest.mark.parametrize(("role", "attack"), CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_rewriting_a_shipment_is_refused_and_changes_nothing(shipped, make_login, role, attack):
    me = make_login(role)
    before = _state(shipped)

    with me.connect() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(REFUSED[attack])

    assert isinstance(refused.value, errors.InsufficientPrivilege), refused.value
    assert _state(shipped) == before
