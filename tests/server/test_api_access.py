"""Who may call what: Bearer tokens, scopes, warehouse limits, revocation and the rate limit."""

from __future__ import annotations

import httpx

from tests.server.conftest import Api

ORDER = {"channel": "pos", "warehouse": "SHOP", "lines": [{"sku": "A-1", "qty": 1}]}


def _code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_request_without_a_valid_token_is_401(api: Api) -> None:
    url = f"{api.base}/api/v1/inventory"
    assert _code(httpx.get(url)) == (401, "unauthorized")
    assert _code(httpx.get(url, headers={"Authorization": "Basic abc"})) == (401, "unauthorized")
    assert _code(httpx.get(url, headers={"Authorization": "Bearer invd_wrong"})) == (
        401,
        "unauthorized",
    )
    revoked = httpx.get(url, headers={"Authorization": f"Bearer {api.secrets['gone']}"})
    assert _code(revoked) == (401, "unauthorized")
    assert "revoked" in revoked.json()["error"]["message"]


def test_each_scope_allows_only_its_endpoints(api: Api) -> None:
    replenish = {"sku": "A-1", "warehouse": "MAIN", "qty": 1}
    order = ORDER | {"reference": "SCOPE-1"}
    assert api.as_("reader").get("/inventory/A-1").status_code == 200
    assert api.as_("reader").get("/alerts").status_code == 200
    assert _code(api.as_("reader").post("/orders", json=order)) == (403, "forbidden")
    assert _code(api.as_("reader").post("/inventory/replenish", json=replenish)) == (
        403,
        "forbidden",
    )
    assert _code(api.as_("seller").get("/inventory")) == (403, "forbidden")
    assert _code(api.as_("seller").post("/inventory/replenish", json=replenish)) == (
        403,
        "forbidden",
    )
    placed = api.as_("seller").post("/orders", json=order)
    assert placed.status_code == 201
    assert _code(api.as_("stocker").get(f"/orders/{placed.json()['id']}")) == (403, "forbidden")
    assert api.as_("stocker").post("/inventory/replenish", json=replenish).status_code == 201
    message = api.as_("seller").get("/alerts").json()["error"]["message"]
    assert message.startswith("Token seller does not have the “read” scope")


def test_a_warehouse_limited_token_sees_and_touches_only_its_warehouses(api: Api) -> None:
    shop = api.as_("shop-only")
    rows = shop.get("/inventory").json()["items"]
    assert rows and {r["warehouse"] for r in rows} == {"SHOP"}
    assert [w["warehouse"] for w in shop.get("/inventory/A-1").json()["warehouses"]] == ["SHOP"]
    assert _code(shop.get("/inventory", params={"warehouse": "MAIN"})) == (403, "forbidden")
    assert _code(shop.get("/alerts", params={"warehouse": "MAIN"})) == (403, "forbidden")
    main_order = ORDER | {"reference": "LIMIT-MAIN", "warehouse": "MAIN"}
    assert _code(shop.post("/orders", json=main_order)) == (403, "forbidden")
    refill = {"sku": "A-1", "warehouse": "MAIN", "qty": 1}
    assert _code(shop.post("/inventory/replenish", json=refill)) == (403, "forbidden")
    assert shop.post("/orders", json=ORDER | {"reference": "LIMIT-SHOP"}).status_code == 201
    # An order in another warehouse is not there for this token at all.
    elsewhere = api.as_("all").post("/orders", json=main_order).json()
    assert _code(shop.get(f"/orders/{elsewhere['id']}")) == (404, "not_found")
    assert _code(shop.post(f"/orders/{elsewhere['id']}/cancel")) == (404, "not_found")
    assert api.as_("all").get(f"/orders/{elsewhere['id']}").json()["status"] == "reserved"


def test_the_rate_limit_answers_429_with_retry_after(api: Api, limited: str) -> None:
    reader = {"Authorization": f"Bearer {api.secrets['reader']}"}
    seller = {"Authorization": f"Bearer {api.secrets['seller']}"}
    url = f"{limited}/api/v1/inventory/A-1"
    with httpx.Client(headers=reader) as client:
        answers = [client.get(url) for _ in range(6)]
    statuses = [a.status_code for a in answers]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    # The limit is per token: another token still has its whole burst.
    assert httpx.get(f"{limited}/api/v1/orders/1", headers=seller).status_code in (200, 404)
