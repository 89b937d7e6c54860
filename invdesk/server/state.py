"""What the handlers of one server process share: the open database, settings, grants, limiter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from invdesk.server.auth import Grants, RateLimiter
from invdesk.server.settings import ServerSettings
from invdesk.services.system.database import Database


@dataclass
class ServerState:
    settings: ServerSettings
    db: Database
    grants: Grants = field(default_factory=Grants)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_per_second, self.settings.rate_burst)


def state_of(request: Request[Any, Any, Any]) -> ServerState:
    state: ServerState = request.app.state.invdesk
    return state
