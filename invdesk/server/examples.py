"""Examples for the OpenAPI description: one per request body and per answer."""

from __future__ import annotations

from typing import Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

AT = "2026-12-07T09:30:00+00:00"
ROW = {
    "sku": "USB-C-1M",
    "name": "USB-C cable 1 m",
    "warehouse": "MAIN",
    "on_hand": 40,
    "reserved": 3,
    "available": 37,
    "updated_at": AT,
}
PAGE = {"items": [ROW], "next_cursor": "WyJVU0ItQy0xTSIsICJNQUlOIl0="}
PRODUCT = {
    "sku": "USB-C-1M",
    "name": "USB-C cable 1 m",
    "available": 49,
    "warehouses": [
        {"warehouse": "MAIN", "on_hand": 40, "reserved": 3, "available": 37},
        {"warehouse": "SHOP", "on_hand": 12, "reserved": 0, "available": 12},
    ],
}
REPLENISH = {"sku": "USB-C-1M", "warehouse": "MAIN", "qty": 24, "reference": "PO-1042"}
MOVEMENT = {
    "id": 8812,
    "kind": "receive",
    "sku": "USB-C-1M",
    "warehouse": "MAIN",
    "qty": 24,
    "balance_after": 64,
    "unit_cost": None,
    "reference": "PO-1042",
    "user": "token:web-shop",
    "at": AT,
}
ALERTS = {
    "items": [
        {
            "id": 31,
            "sku": "USB-C-1M",
            "name": "USB-C cable 1 m",
            "warehouse": "MAIN",
            "kind": "low_stock",
            "status": "open",
            "available": 4,
            "threshold": 10,
            "raised_at": AT,
            "resolved_at": None,
        }
    ]
}
ORDER_IN = {
    "channel": "web_shop",
    "reference": "WEB-100231",
    "warehouse": "MAIN",
    "lines": [{"sku": "USB-C-1M", "qty": 2}],
    "hold_minutes": 60,
}
ORDER = {
    "id": 501,
    "channel": "web_shop",
    "reference": "WEB-100231",
    "status": "reserved",
    "created_at": AT,
    "expires_at": "2026-12-07T10:30:00+00:00",
    "closed_at": None,
    "lines": [
        {
            "line": 1,
            "sku": "USB-C-1M",
            "name": "USB-C cable 1 m",
            "warehouse": "MAIN",
            "qty": 2,
            "status": "active",
        }
    ],
}
SHORT = {
    "error": {
        "code": "insufficient_stock",
        "message": "Line 1: cannot reserve 5 of USB-C-1M in MAIN, only 2 available; nothing was "
        "reserved for this order.",
        "field": "qty",
        "lines": [{"sku": "USB-C-1M", "requested": 5, "available": 2}],
    }
}


def example(value: Any, summary: str = "Example") -> list[Example]:
    return [Example(summary=summary, value=value)]


def _error(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    return {"error": body}


def refusal(status: int, description: str, body: dict[str, Any]) -> ResponseSpec:
    return ResponseSpec(
        data_container=dict[str, Any],
        description=description,
        examples=example(body),
        generate_examples=False,
    )


COMMON = {
    401: refusal(
        401,
        "No token, or an unknown or revoked one",
        _error("unauthorized", "This API token is unknown or was revoked; ask for a new one."),
    ),
    403: refusal(
        403,
        "The token lacks the scope, or names a warehouse outside its limits",
        _error("forbidden", "Token pos may not use warehouse MAIN.", "warehouse"),
    ),
    429: refusal(
        429,
        "Too many requests for this token; see Retry-After",
        _error(
            "rate_limited",
            "Token web-shop sent more than 20 requests a second (bursts up to 100); retry "
            "after 1 s.",
        ),
    ),
}
NOT_FOUND = refusal(
    404,
    "Unknown SKU, barcode, warehouse or order",
    _error("not_found", "There is no order number 77.", "id"),
)
INVALID = refusal(
    422,
    "Input the rules refuse, or an Idempotency-Key reused with another body",
    _error("invalid", "Quantity must be at least 1 (got 0).", "qty"),
)
BAD = refusal(
    400,
    "A body or parameter that does not parse",
    _error("bad_request", "“qty”: Expected `int`, got `str`.", "qty"),
)
SHORT_SPEC = refusal(409, "Not every line could be held; none was", SHORT)
CONFLICT = refusal(
    409,
    "The order is in a state that does not allow this",
    _error("conflict", "Order WEB-100231 is fulfilled; it cannot be cancelled.", "reference"),
)
