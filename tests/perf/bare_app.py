"""The HTTP stack's ceiling for bench_serve: Litestar on uvicorn returning a constant JSON."""

from __future__ import annotations

from litestar import Litestar, get

BODY = {"sku": "BENCH-1", "name": "Bench product", "available": 1000000, "warehouses": []}


@get("/constant", sync_to_thread=False)
def constant() -> dict[str, object]:
    return BODY


app = Litestar([constant])
