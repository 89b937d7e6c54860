"""What the handlers of one server process share: the open database, settings, grants, limiter,
and the stock read cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from invdesk.server.auth import Grants, RateLimiter
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
