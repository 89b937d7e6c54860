"""The outbox: events written in the changing transaction, and sequenced without gaps."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from invdesk.db.models import OutboxEvent
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.orders import OrderLine, PlaceOrder
from invdesk.domain.restock import AlertStatus
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import IssueStock, Line, TransferStock
from invdesk.services.outbound import delivery
from invdesk.services.reads import alerts
from invdesk.services.stock import operations, orders, outbox
from tests import support


def _rows(db):
    with db.read() as conn:
        rows = conn.execute(select(OutboxEvent.id, OutboxEvent.events).order_by(OutboxEvent.id))
        return [(row.id, json.loads(row.events)) for row in rows]


def test_a_receipt_writes_one_outbox_row_with_its_stock_change(shop):
    support.stocked(shop, "A", 7)
    [(_, items)] = _rows(shop)
    assert items == [
        {
            "type": "stock.changed",
            "warehouses": ["MAIN"],
            "data": {
                "movement_id": items[0]["data"]["movement_id"],
                "sku": "A",
                "warehouse": "MAIN",
                "kind": "receive",
                "qty": 7,
                "reserved_delta": 0,
                "on_hand": 7,
            },
        }
    ]


def test_a_transfer_is_one_outbox_row_with_both_stock_changes(shop):
    support.stocked(shop, "A", 5)
    operations.transfer(shop, TransferStock("MAIN", "SHOP", (Line("A", 2),)), SYSTEM)
    _, items = _rows(shop)[-1]
    assert [(i["type"], i["data"]["warehouse"], i["data"]["qty"]) for i in items] == [
        ("stock.changed", "MAIN", -2),
        ("stock.changed", "SHOP", 2),
    ]


def test_a_refused_issue_writes_no_event(shop):
    support.stocked(shop, "A", 1)
    with pytest.raises(InsufficientStock):
        operations.issue(shop, IssueStock("MAIN", (Line("A", 5),)), SYSTEM)
    assert len(_rows(shop)) == 1


def test_alert_changes_carry_sku_and_warehouse(shop):
    support.stocked(shop, "A", 1)
    operations.issue(shop, IssueStock("MAIN", (Line("A", 1),)), SYSTEM)  # out of stock: raised
    [alert] = alerts.list_alerts(shop, SYSTEM, statuses=(AlertStatus.OPEN,))
    alerts.acknowledge(shop, alert.id, SYSTEM)
    support.stocked(shop, "A", 3)  # resolved
    seen = [(i["type"], i["data"].get("sku"), i["warehouses"]) for _, it in _rows(shop) for i in it]
    assert ("alert.raised", "A", ["MAIN"]) in seen
    assert ("alert.acknowledged", "A", ["MAIN"]) in seen
    assert ("alert.resolved", "A", ["MAIN"]) in seen


def test_an_order_event_names_its_warehouses(shop):
    support.stocked(shop, "A", 5)
    support.stocked(shop, "B", 5, wh="SHOP")
    lines = (OrderLine("A", 1), OrderLine("B", 1, warehouse="SHOP"))
    orders.place_order(shop, PlaceOrder("WEB-1", "MAIN", lines, "web_shop", 600), SYSTEM)
    _, items = _rows(shop)[-1]
    [order] = [i for i in items if i["type"] == "order.changed"]
    assert order["warehouses"] == ["MAIN", "SHOP"]
    assert order["data"]["reference"] == "WEB-1"
    assert order["data"]["status"] == "open"


def test_a_rolled_back_transaction_leaves_no_event(shop):
    def work(conn):
        outbox.write_one(conn, shop.now(), {"type": "stock.changed", "warehouses": [], "data": {}})
        raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        shop.run(work)
    assert _rows(shop) == []


@pytest.mark.postgres
def test_an_event_committed_late_with_a_smaller_id_still_reaches_a_stream(pg_shop):
    """A reader keeping "the last id seen" would skip it; paging by `seq` does not.

    PostgreSQL only: it takes two writers at once (SQLite has one writer at a time, so its ids
    commit in order)."""
    shop = pg_shop
    support.stocked(shop, "A", 1)
    delivery.sequence(shop)
    start = delivery.latest_position(shop)
    late = shop.engine.connect()
    tx = late.begin()
    outbox.write_one(
        late, shop.now(), {"type": "stock.changed", "warehouses": ["MAIN"], "data": {}}
    )
    support.stocked(shop, "A", 2)  # commits first, with a larger id
    assert delivery.sequence(shop) == 1
    first, position = delivery.events_after(shop, start, None)
    assert [e.event["data"]["qty"] for e in first] == [2]
    tx.commit()
    late.close()
    assert delivery.sequence(shop) == 1
    second, _ = delivery.events_after(shop, position, None)
    assert len(second) == 1
    assert int(second[0].event["id"].split("-")[0]) < int(first[0].event["id"].split("-")[0])
    with shop.read() as conn:
        unsequenced = conn.execute(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.seq.is_(None))
        ).scalar_one()
    assert unsequenced == 0


def test_a_stream_sees_only_its_warehouses_and_resumes_after_its_cursor(shop):
    support.stocked(shop, "A", 1)
    support.stocked(shop, "A", 2, wh="SHOP")
    support.stocked(shop, "A", 3)
    delivery.sequence(shop)
    found, _ = delivery.events_after(shop, (0, 0), {"MAIN"})
    assert [e.event["data"]["qty"] for e in found] == [1, 3]
    resumed, _ = delivery.events_after(shop, delivery.parse_cursor(found[0].cursor) or (0, 0), None)
    assert [e.event["data"]["qty"] for e in resumed] == [2, 3]
