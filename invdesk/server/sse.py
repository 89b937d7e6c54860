"""GET /api/v1/events: stock, alert and order changes as Server-Sent Events, resumable.

Each event's `id:` is its place in the sequenced outbox ("seq.index", see services.delivery), so a
client that reconnects with `Last-Event-ID` gets exactly what it missed, even an event whose
transaction committed late. A token limited to warehouses sees only their events. A stream ends
after STREAM_S (before the server's graceful-shutdown limit); EventSource clients reconnect by
themselves after `retry` milliseconds, sending Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Collection
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from invdesk.domain.tokens import Scope as TokenScope
from invdesk.domain.tokens import TokenGrant
from invdesk.server import examples
from invdesk.server.state import ServerState
from invdesk.services.outbound import delivery
from invdesk.services.system.database import Database

POLL_S = 0.5
HEARTBEAT_S = 15.0
STREAM_S = 25.0
RETRY_MS = 1000
# From a token's grant: check it may read, and return its warehouse codes (None: every one).
Scope = Callable[[Any], Collection[str] | None]


async def _events(
    db: Database, warehouses: Collection[str] | None, position: tuple[int, int]
) -> AsyncIterator[ServerSentEventMessage]:
    yield ServerSentEventMessage(data=None, comment="invdesk events", retry=RETRY_MS)
    started = beat = time.monotonic()
    while time.monotonic() - started < STREAM_S:
        found, position = await asyncio.to_thread(delivery.events_after, db, position, warehouses)
        for item in found:
            text = json.dumps(item.event, ensure_ascii=False, separators=(",", ":"))
            yield ServerSentEventMessage(data=text, event=item.event["type"], id=item.cursor)
        if found:
            beat = time.monotonic()
            continue
        if time.monotonic() - beat > HEARTBEAT_S:
            beat = time.monotonic()
            yield ServerSentEventMessage(data=None, comment="keep-alive")
        await asyncio.sleep(POLL_S)


def read_scope(grant: TokenGrant) -> frozenset[str] | None:
    """An API token needs the read scope; it sees its warehouses' events only."""
    grant.require(TokenScope.READ)
    return grant.warehouses


def events_handler(scope: Scope) -> HTTPRouteHandler:
    """The handler, mounted in a router that provides the `grant` dependency (the API token)."""

    @get(
        "/events",
        summary="Stream stock, alert and order changes (Server-Sent Events)",
        description=(
            "Events of the token's warehouses as they commit: `event:` is the type "
            "(stock.changed, alert.raised, alert.acknowledged, alert.resolved, order.changed), "
            '`data:` the JSON event ({"id", "type", "created_at", "warehouses", "data"}; `id` '
            "is the same event id webhooks carry), `id:` the stream position. Reconnect with "
            "`Last-Event-ID` to resume; without it the stream starts at new events."
        ),
        tags=["events"],
        responses=examples.COMMON,  # the stream itself is text/event-stream, described above
    )
    async def stream(
        request: Request[Any, Any, Any],
        grant: NamedDependency[Any],
        last_event_id: Annotated[
            str | None,
            HeaderParameter(
                name="Last-Event-ID", required=False, description="Resume after this event."
            ),
        ] = None,
    ) -> ServerSentEvent:
        state: ServerState = request.app.state.invdesk
        warehouses = scope(grant)
        position = delivery.parse_cursor(last_event_id) if last_event_id else None
        if position is None:
            position = await asyncio.to_thread(delivery.latest_position, state.db)
        return ServerSentEvent(_events(state.db, warehouses, position))

    return stream
