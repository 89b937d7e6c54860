"""What the handlers of one server process share: the open database, settings, grants, limiter,
and the stock read cache; and the dependency that gives each handler its caller's grant."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio
from litestar import Request

from invdesk.domain.tokens import TokenGrant
from invdesk.server.auth import Grants, RateLimiter, bearer
from invdesk.server.settings import ServerSettings
from invdesk.services.channels.stock_cache import StockCache
from invdesk.services.system.database import Database


@dataclass
class ServerState:
    settings: ServerSettings
    db: Database
    grants: Grants = field(default_factory=Grants)
    limiter: RateLimiter = field(init=False)
    stock_cache: StockCache = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_per_second, self.settings.rate_burst)
        self.stock_cache = StockCache(self.db)


def state_of(request: Request[Any, Any, Any]) -> ServerState:
    state: ServerState = request.app.state.invdesk
    return state


async def current_grant(request: Request[Any, Any, Any]) -> TokenGrant:
    """The dependency every API handler takes: authenticated, and within its rate. On the event
    loop while the token's grant is cached; its database read (once a GRANT_TTL_SECONDS per token)
    runs in a worker thread, so a slow database never stalls the other requests."""
    state = state_of(request)
    secret = bearer(request)
    grant = state.grants.cached(secret) if secret else None
    if grant is None:
        grant = await anyio.to_thread.run_sync(state.grants.read, state.db, secret)
    state.limiter.take(grant.name)
    return grant
