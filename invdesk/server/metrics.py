"""Prometheus metrics of a server process, and the gauges other parts of the server set.

With several worker processes (`invdesk serve --workers N`), each writes its metrics to files in
one directory (prometheus-client's multiprocess mode; `serve` makes a fresh one unless
PROMETHEUS_MULTIPROC_DIR names one) and /metrics, whichever worker answers, adds them all up.
"""

from __future__ import annotations

import os
import time
from typing import Any

from litestar import Response, get
from litestar.types import ASGIApp, Message, Receive, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

REQUESTS = Counter(
    "invdesk_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "invdesk_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "endpoint", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
STOCK_OPERATIONS = Counter(
    "invdesk_stock_operations_total", "Stock operations done through the API", ["kind"]
)
OVERSELL_REFUSALS = Counter(
    "invdesk_oversell_refusals_total", "Lines refused because too little stock was available"
)
READ_CACHE = Counter(
    "invdesk_read_cache_total",
    "GET /api/v1/inventory/{sku} answered from the process's read cache (hit) or the database",
    ["result"],
)
# Set by the event delivery and the jobs (not by this module).
WEBHOOK_QUEUE_DEPTH = Gauge(
    "invdesk_webhook_queue_depth", "Webhook deliveries waiting to be sent", multiprocess_mode="max"
)
WEBHOOK_DELIVERY_SECONDS = Histogram(
    "invdesk_webhook_delivery_seconds", "Time from an event's commit to its webhook answered"
)
COMMIT_TO_EVENT_SECONDS = Histogram(
    "invdesk_commit_to_event_seconds", "Time from a commit to its event going out"
)
LAST_VERIFY_OK = Gauge(
    "invdesk_last_verify_ok",
    "1 if the last scheduled verify found no differences, 0 if it did",
    multiprocess_mode="liveall",
)
LAST_VERIFY_OK.set(float("nan"))  # unknown until the first scheduled verify has run
LAST_VERIFY_TIME = Gauge(
    "invdesk_last_verify_timestamp_seconds",
    "When the last scheduled verify ran (Unix time)",
    multiprocess_mode="max",
)


class MetricsMiddleware:
    """Counts and times each request by its route template (never the raw path, to keep labels few)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            endpoint = scope.get("path_template") or "unmatched"
            labels = (scope["method"], endpoint, str(status))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - start)


def _multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def process_ended() -> None:
    """A worker stops: its live gauges leave the sum (its counters stay: what it served counts)."""
    if _multiprocess():
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def _registry() -> Any:
    if _multiprocess():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


@get("/metrics", summary="Prometheus metrics", tags=["health"], sync_to_thread=False)
def metrics_endpoint() -> Response[bytes]:
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)
