"""Orders and Idempotency-Key over real HTTP: all lines or none, replay, fulfil, cancel."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from invdesk.db.engine import Database
from invdesk.domain.audit import AuditFilter
from invdesk.domain.security import SYSTEM
from invdesk.services.reads import audit
from tests.server.conftest import Api


def _order(reference: str, *lines: tuple[str, object], **extra: Any) -> dict[str, Any]:
    body = {
        "channel": "web_shop",
        "reference": reference,
        "warehouse": "MAIN",
        "lines": [{"sku": sku, "qty": qty} for sku, qty in lines],
    }
    return body | extra


def _available(api: Api, sku: str, warehouse: str = "MAIN") -> int:
    found = api.as_("reader").get(f"/inventory/{sku}").json()["warehouses"]
    return next(w["available"] for w in found if w["warehouse"] == warehouse)


def _ref() -> str:
    return f"WEB-{uuid.uuid4().hex[:10]}"


def test_an_order_holds_every_line_and_returns_201(api: Api) -> None:
    before = _available(api, "A-1")
    answer = api.as_("seller").post("/orders", json=_order(_ref(), ("A-1", 2), hold_minutes=30))
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["status"] == "reserved"
    assert [(line["sku"], line["qty"], line["status"]) for line in order["lines"]] == [
        ("A-1", 2, "active")
    ]
    assert _available(api, "A-1") == before - 2
    assert api.as_("seller").get(f"/orders/{order['id']}").json() == order


def test_the_same_channel_and_reference_returns_the_first_order(api: Api) -> None:
    reference = _ref()
    first = api.as_("seller").post("/orders", json=_order(reference, ("A-1", 1)))
    before = _available(api, "A-1")
    again = api.as_("seller").post("/orders", json=_order(reference, ("A-1", 1)))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert _available(api, "A-1") == before
    other = api.as_("seller").post("/orders", json=_order(reference, ("A-1", 3)))
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "duplicate_request"


def test_a_short_line_holds_nothing_and_names_each_short_line(api: Api) -> None:
    before = (_available(api, "A-1"), _available(api, "B-2"))
    answer = api.as_("seller").post(
        "/orders", json=_order(_ref(), ("A-1", 1), ("B-2", 999), ("C-3", 1))
    )
    assert answer.status_code == 409, answer.text
    error = answer.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert "nothing was reserved" in error["message"]
    assert [(line["sku"], line["requested"]) for line in error["lines"]] == [
        ("B-2", 999),
        ("C-3", 1),
    ]
    assert error["lines"][0]["available"] == before[1]
    assert (_available(api, "A-1"), _available(api, "B-2")) == before


def test_fulfil_is_idempotent_and_cancel_after_fulfil_is_409(api: Api) -> None:
    client = api.as_("seller")
    order = client.post("/orders", json=_order(_ref(), ("A-1", 1))).json()
    on_hand = api.as_("reader").get("/inventory", params={"sku": "A-1", "warehouse": "MAIN"})
    before = on_hand.json()["items"][0]["on_hand"]
    done = client.post(f"/orders/{order['id']}/fulfil")
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    again = client.post(f"/orders/{order['id']}/fulfil")
    assert again.status_code == 200 and again.json() == done.json()
    after = api.as_("reader").get("/inventory", params={"sku": "A-1", "warehouse": "MAIN"})
    assert after.json()["items"][0]["on_hand"] == before - 1
    refused = client.post(f"/orders/{order['id']}/cancel")
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "conflict",
        "message": f"Order {order['reference']} is fulfilled; it cannot be cancelled.",
        "field": "reference",
    }


def test_cancel_releases_the_holds_and_a_cancelled_order_cannot_be_fulfilled(api: Api) -> None:
    client = api.as_("seller")
    before = _available(api, "A-1")
    order = client.post("/orders", json=_order(_ref(), ("A-1", 4))).json()
    cancelled = client.post(f"/orders/{order['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"/orders/{order['id']}/cancel").status_code == 200
    assert _available(api, "A-1") == before
    assert client.post(f"/orders/{order['id']}/fulfil").status_code == 409


def test_order_refusals(api: Api) -> None:
    client = api.as_("seller")
    assert client.get("/orders/999999").status_code == 404
    assert client.post("/orders/999999/fulfil").status_code == 404
    cases = [
        (_order(_ref(), ("A-1", 0)), 422, "qty"),
        (_order(_ref()), 422, "lines"),
        (_order(_ref(), ("A-1", 1), channel="carrier-pigeon"), 422, "channel"),
        (_order(_ref(), ("A-1", 1), hold_minutes=0), 422, "hold_minutes"),
        (_order(_ref(), ("NOPE", 1)), 404, "sku"),
        (_order(_ref(), ("A-1", 1), warehouse="NOPE"), 404, "warehouse"),
        ({"channel": "pos", "warehouse": "MAIN", "lines": []}, 400, "reference"),
        # Whole numbers are JSON integers: "2", 2.0 and true are refused, not read as numbers.
        (_order(_ref(), ("A-1", "2")), 422, "qty"),
        (_order(_ref(), ("A-1", 2.0)), 422, "qty"),
        (_order(_ref(), ("A-1", True)), 422, "qty"),
        (_order(_ref(), ("A-1", 1), hold_minutes="30"), 422, "hold_minutes"),
        (_order(_ref(), ("A-1", 1), hold_minutes=30.0), 422, "hold_minutes"),
    ]
    for body, status, field in cases:
        answer = client.post("/orders", json=body)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["error"].get("field") == field, (body, answer.text)


def test_orders_are_attributed_to_the_token(api: Api) -> None:
    reference = _ref()
    order = api.as_("seller").post("/orders", json=_order(reference, ("A-1", 1))).json()
    api.as_("seller").post(f"/orders/{order['id']}/fulfil")
    with Database.open(api.db_url) as db:
        rows = audit.list_audit(db, SYSTEM, AuditFilter(user="token:seller", limit=10_000))
    assert {(row.action, row.key) for row in rows} >= {("reserve", "A-1"), ("issue", "A-1")}


def test_idempotency_key_returns_the_first_answer_and_refuses_another_body(api: Api) -> None:
    client = api.as_("all")
    key = str(uuid.uuid4())
    body = {"sku": "C-3", "warehouse": "MAIN", "qty": 2}
    before = _available(api, "C-3") if _has(api, "C-3") else 0
    first = client.post("/inventory/replenish", json=body, headers={"Idempotency-Key": key})
    again = client.post("/inventory/replenish", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert _available(api, "C-3") == before + 2
    other = client.post(
        "/inventory/replenish", json=body | {"qty": 3}, headers={"Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert _available(api, "C-3") == before + 2


def test_idempotency_key_keeps_a_refusal_too(api: Api) -> None:
    client = api.as_("all")
    key = str(uuid.uuid4())
    body = _order(_ref(), ("B-2", 10_000))
    first = client.post("/orders", json=body, headers={"Idempotency-Key": key})
    again = client.post("/orders", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


def test_idempotency_key_holds_across_server_processes(api: Api, limited: str) -> None:
    key = str(uuid.uuid4())
    body = {"sku": "C-3", "warehouse": "SHOP", "qty": 1}
    headers = {"Idempotency-Key": key, "Authorization": f"Bearer {api.secrets['all']}"}
    first = api.as_("all").post("/inventory/replenish", json=body, headers=headers)
    again = httpx.post(f"{limited}/api/v1/inventory/replenish", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()


def _has(api: Api, sku: str) -> bool:
    found = api.as_("reader").get(f"/inventory/{sku}").json()["warehouses"]
    return any(w["warehouse"] == "MAIN" for w in found)
