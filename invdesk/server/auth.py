"""Bearer tokens: who is calling (a short in-process cache over the token table) and the
per-token rate limit (a token bucket in each process)."""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, Any

from litestar import Request

from invdesk.domain.tokens import RateLimited, TokenGrant, TokenRefused
from invdesk.services.channels import tokens

if TYPE_CHECKING:
    from invdesk.server.state import ServerState

# A grant is re-read from the database after this long, so a revoked token stops working within
# it on every server process, and a busy token costs one look-up per interval, not per request.
GRANT_TTL_SECONDS = 2.0


class Grants:
    """Token grants by token hash, each kept GRANT_TTL_SECONDS."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[float, TokenGrant]] = {}
        self._lock = threading.Lock()

    def grant(self, state: ServerState, secret: str | None) -> TokenGrant:
        if not secret:
            return tokens.authenticate(state.db, secret)  # raises TokenRefused
        key = tokens.hash_token(secret)
        now = time.monotonic()
        with self._lock:
            found = self._found.get(key)
        if found is not None and found[0] > now:
            return found[1]
        grant = tokens.authenticate(state.db, secret)
        with self._lock:
            if len(self._found) > 10_000:  # unknown tokens are never kept, so this stays small
                self._found.clear()
            self._found[key] = (now + GRANT_TTL_SECONDS, grant)
        return grant


class RateLimiter:
    """A token bucket per API token: `rate` requests a second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, name: str) -> None:
        """Spend one request of `name`'s allowance; RateLimited with the wait if there is none."""
        now = time.monotonic()
        with self._lock:
            level, since = self._buckets.get(name, (float(self.burst), now))
            level = min(float(self.burst), level + (now - since) * self.rate)
            if level < 1.0:
                self._buckets[name] = (level, now)
                wait = math.ceil((1.0 - level) / self.rate)
                raise RateLimited(
                    f"Token {name} sent more than {self.rate:g} requests a second (bursts up to "
                    f"{self.burst}); retry after {wait} s.",
                    retry_after=wait,
                )
            self._buckets[name] = (level - 1.0, now)


def bearer(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        if header:
            raise TokenRefused("Send the API token as “Authorization: Bearer TOKEN”.")
        return None
    return value.strip()


def current_grant(request: Request[Any, Any, Any]) -> TokenGrant:
    """The dependency every API handler takes: authenticated, and within its rate."""
    state: ServerState = request.app.state.invdesk
    grant = state.grants.grant(state, bearer(request))
    state.limiter.take(grant.name)
    return grant
