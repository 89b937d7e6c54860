"""The inventory, replenish and alerts endpoints, health, metrics and docs, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from invdesk.db.engine import Database
from invdesk.domain.audit import AuditFilter, AuditRow
from invdesk.domain.security import SYSTEM
from invdesk.services.reads import audit
from tests.server.conftest import CASE, EAN, Api


def _error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code
    assert isinstance(body["message"], str) and "Traceback" not in body["message"]
    return dict(body)


def test_inventory_lists_every_stock_row_with_availability(api: Api) -> None:
    body = api.as_("reader").get("/inventory").json()
    rows = {(r["sku"], r["warehouse"]): r for r in body["items"]}
    assert rows.keys() >= {("A-1", "MAIN"), ("A-1", "SHOP"), ("B-2", "MAIN")}
    a1 = rows["A-1", "SHOP"]
    assert a1["on_hand"] == 20 and a1["available"] == a1["on_hand"] - a1["reserved"]
    assert datetime.fromisoformat(a1["updated_at"]).tzinfo is not None


def test_inventory_pages_by_cursor_without_gaps_or_repeats(api: Api) -> None:
    client = api.as_("reader")
    everything = client.get("/inventory").json()["items"]
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = client.get("/inventory", params=params).json()
        assert len(page["items"]) <= 1
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [(r["sku"], r["warehouse"]) for r in seen] == [
        (r["sku"], r["warehouse"]) for r in everything
    ]


def test_inventory_filters_by_warehouse_sku_prefix_and_updated_since(api: Api) -> None:
    client = api.as_("all")
    shop = client.get("/inventory", params={"warehouse": "shop"}).json()["items"]
    assert {r["warehouse"] for r in shop} == {"SHOP"}
    b = client.get("/inventory", params={"sku": "B-"}).json()["items"]
    assert [r["sku"] for r in b] == ["B-2"]
    mark = datetime.now(UTC) - timedelta(seconds=1)
    moved = client.post("/inventory/replenish", json={"sku": "B-2", "warehouse": "MAIN", "qty": 1})
    assert moved.status_code == 201
    since = datetime.fromisoformat(moved.json()["at"]) - timedelta(microseconds=1)
    changed = client.get("/inventory", params={"updated_since": since.isoformat()}).json()
    assert [(r["sku"], r["warehouse"]) for r in changed["items"]] == [("B-2", "MAIN")]
    later = (mark + timedelta(days=1)).isoformat()
    assert client.get("/inventory", params={"updated_since": later}).json()["items"] == []


def test_inventory_refuses_bad_paging_input(api: Api) -> None:
    client = api.as_("reader")
    _error(client.get("/inventory", params={"limit": 0}), 422, "invalid")
    _error(client.get("/inventory", params={"limit": "many"}), 400, "bad_request")
    _error(client.get("/inventory", params={"cursor": "not-ours"}), 422, "invalid")
    _error(client.get("/inventory", params={"updated_since": "yesterday"}), 422, "invalid")
    _error(client.get("/inventory", params={"warehouse": "NOWHERE"}), 404, "not_found")


def test_one_product_by_sku_or_any_barcode(api: Api) -> None:
    client = api.as_("reader")
    by_sku = client.get("/inventory/A-1").json()
    assert by_sku["sku"] == "A-1" and by_sku["name"] == "Product A-1"
    assert {w["warehouse"] for w in by_sku["warehouses"]} == {"MAIN", "SHOP"}
    assert by_sku["available"] == sum(w["available"] for w in by_sku["warehouses"])
    for code in (EAN, CASE):
        assert client.get(f"/inventory/{code}").json()["sku"] == "A-1"
    error = _error(client.get("/inventory/NO-SUCH"), 404, "not_found")
    assert error["message"] == "No product has the SKU or barcode “NO-SUCH”."


def test_replenish_receives_stock_as_the_token_in_the_ledger(api: Api) -> None:
    client = api.as_("stocker")
    before = api.as_("reader").get("/inventory/C-3").json()["available"]
    earlier = {(row.source, row.id) for row in _audit_of(api, "token:stocker")}  # other tests'
    answer = client.post(
        "/inventory/replenish",
        json={
            "sku": "C-3",
            "warehouse": "SHOP",
            "qty": 7,
            "reference": "PO-9",
            "unit_cost": "1.25",
        },
    )
    assert answer.status_code == 201, answer.text
    moved = answer.json()
    assert (moved["kind"], moved["qty"], moved["reference"]) == ("receive", 7, "PO-9")
    assert moved["user"] == "token:stocker" and moved["unit_cost"] == "1.25"
    assert api.as_("reader").get("/inventory/C-3").json()["available"] == before + 7
    done = [r for r in _audit_of(api, "token:stocker") if (r.source, r.id) not in earlier]
    assert [(row.action, row.key) for row in done] == [("receive", "C-3")]


def _audit_of(api: Api, user: str) -> list[AuditRow]:
    with Database.open(api.db_url) as db:
        return audit.list_audit(db, SYSTEM, AuditFilter(user=user, limit=10_000))


def test_replenish_refusals_name_the_field_and_change_nothing(api: Api) -> None:
    client = api.as_("stocker")
    before = api.as_("reader").get("/inventory/A-1").json()
    cases = [
        ({"sku": "A-1", "warehouse": "MAIN", "qty": 0}, 422, "invalid", "qty"),
        # Quantities are JSON integers: no other type is read as one.
        ({"sku": "A-1", "warehouse": "MAIN", "qty": "five"}, 422, "invalid", "qty"),
        ({"sku": "A-1", "warehouse": "MAIN", "qty": "5"}, 422, "invalid", "qty"),
        ({"sku": "A-1", "warehouse": "MAIN", "qty": 5.0}, 422, "invalid", "qty"),
        ({"sku": "A-1", "warehouse": "MAIN", "qty": 1.5}, 422, "invalid", "qty"),
        ({"sku": "A-1", "warehouse": "MAIN", "qty": True}, 422, "invalid", "qty"),
        ({"sku": 12345, "warehouse": "MAIN", "qty": 1}, 422, "invalid", "sku"),
        ({"sku": "A-1", "warehouse": "MAIN"}, 400, "bad_request", "qty"),
        ({"sku": "NOPE", "warehouse": "MAIN", "qty": 1}, 404, "not_found", "sku"),
        ({"sku": "A-1", "warehouse": "NOPE", "qty": 1}, 404, "not_found", "warehouse"),
        ({"sku": "A-1", "warehouse": "MAIN", "qty": 1, "unit_cost": "-1"}, 422, "invalid", None),
    ]
    for body, status, code, field in cases:
        error = _error(client.post("/inventory/replenish", json=body), status, code)
        if field:
            assert error["field"] == field, (body, error)
    error = _error(client.post("/inventory/replenish", json=cases[2][0]), 422, "invalid")
    assert error["message"] == "“qty” must be a whole number, not text."
    bad_json = client.post(
        "/inventory/replenish", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _error(bad_json, 400, "bad_request")
    assert api.as_("reader").get("/inventory/A-1").json() == before


def test_alerts_lists_open_alerts_and_checks_its_status(api: Api) -> None:
    client = api.as_("reader")
    assert client.get("/alerts").json()["items"] == [] or all(
        a["status"] in ("open", "acknowledged") for a in client.get("/alerts").json()["items"]
    )
    assert (
        client.get("/alerts", params={"status": "resolved", "warehouse": "MAIN"}).status_code == 200
    )
    _error(client.get("/alerts", params={"status": "sleeping"}), 422, "invalid")


def test_health_readiness_metrics_and_docs(api: Api) -> None:
    assert httpx.get(f"{api.base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{api.base}/readyz").json()["status"] == "ready"
    api.as_("reader").get("/inventory/A-1")
    metrics = httpx.get(f"{api.base}/metrics").text
    assert (
        'invdesk_http_requests_total{endpoint="/api/v1/inventory/{code}",method="GET",status="200"}'
    ) in metrics, metrics
    assert "invdesk_stock_operations_total" in metrics
    assert "invdesk_webhook_queue_depth" in metrics
    assert httpx.get(f"{api.base}/docs").status_code == 200
    spec = httpx.get(f"{api.base}/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1")
        for method, op in item.items()
    ]
    assert {(path, method) for path, method, _op in operations} == {
        ("/api/v1/inventory", "get"),
        ("/api/v1/inventory/{code}", "get"),
        ("/api/v1/inventory/replenish", "post"),
        ("/api/v1/alerts", "get"),
        ("/api/v1/orders", "post"),
        ("/api/v1/orders/{order_id}", "get"),
        ("/api/v1/orders/{order_id}/fulfil", "post"),
        ("/api/v1/orders/{order_id}/cancel", "post"),
        ("/api/v1/events", "get"),
    }
    for path, method, op in operations:
        answers = op["responses"]
        assert any(
            "examples" in content
            for answer in answers.values()
            for content in answer.get("content", {}).values()
        ), (path, method)
        if method == "post" and "requestBody" in op:
            assert "examples" in str(op["requestBody"]), path


def test_unknown_paths_answer_json_errors(api: Api) -> None:
    _error(httpx.get(f"{api.base}/api/v1/nothing-here"), 404, "not_found")
    _error(httpx.delete(f"{api.base}/api/v1/inventory"), 405, "method_not_allowed")
