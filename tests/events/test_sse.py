"""GET /api/v1/events over real HTTP (uvicorn): ids, warehouse scope, resume with Last-Event-ID."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import uvicorn
from litestar import Litestar, Request, Router
from litestar.di import Provide

from invdesk.db.engine import Database
from invdesk.server import sse
from invdesk.services.outbound import delivery
from tests import support
from tests.server.running import free_port


def _test_grant(request: Request[Any, Any, Any]) -> Any:
    # Stands in for the API token: the warehouses it may see, from a header.
    value = request.headers.get("x-test-warehouses")
    return None if value is None else frozenset(value.split(","))


@pytest.fixture
def server(db_url) -> Iterator[str]:
    router = Router(
        "/api/v1",
        route_handlers=[sse.events_handler(lambda grant: grant)],
        dependencies={"grant": Provide(_test_grant, sync_to_thread=False)},
    )
    port = free_port()
    # Only the events route: the rest of the API is tested by running `invdesk serve` itself.
    app = Litestar(route_handlers=[router])
    app.state.invdesk = SimpleNamespace(db=Database.open(db_url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)  # polling a condition with a deadline
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(60)
        app.state.invdesk.db.dispose()


def _read(base: str, count: int, headers: dict[str, str]) -> list[dict[str, str]]:
    """The first `count` events of a stream, as {"id", "event", "data"}."""
    found: list[dict[str, str]] = []
    with httpx.stream("GET", f"{base}/api/v1/events", headers=headers, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        current: dict[str, str] = {}
        for line in response.iter_lines():
            if not line:
                if "data" in current:
                    found.append(current)
                    if len(found) == count:
                        return found
                current = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(": ")
                current[key] = value
    raise AssertionError(f"stream ended after {len(found)} events")


def test_a_stream_resumes_after_its_last_event_id_and_keeps_to_its_warehouses(db_url, server):
    with Database.open(db_url) as db:
        support.warehouse(db, "MAIN")
        support.warehouse(db, "SHOP")
        support.product(db, "A")
        for qty, wh in ((1, "MAIN"), (2, "SHOP"), (3, "MAIN"), (4, "MAIN")):
            support.stocked(db, "A", qty, wh=wh)
        delivery.sequence(db)
    everything = _read(server, 4, {"Last-Event-ID": "0.0"})
    assert [json.loads(e["data"])["data"]["qty"] for e in everything] == [1, 2, 3, 4]
    assert {e["event"] for e in everything} == {"stock.changed"}
    resumed = _read(server, 2, {"Last-Event-ID": everything[1]["id"]})
    assert [e["id"] for e in resumed] == [e["id"] for e in everything[2:]]
    main_only = _read(server, 3, {"Last-Event-ID": "0.0", "X-Test-Warehouses": "MAIN"})
    assert [json.loads(e["data"])["data"]["qty"] for e in main_only] == [1, 3, 4]
