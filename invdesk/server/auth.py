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
from invdesk.services.channels.stock_cache import MAX_STALENESS_S

if TYPE_CHECKING:
    from invdesk.services.system.database import Database

# A grant is re-read from the database (the primary) after this long, so a revoked token is
# refused within it by every server process, and a busy token costs one look-up per interval, not
# per request. The same bound as the stock read cache's: one figure for how far behind a server
# process may be.
GRANT_TTL_SECONDS = MAX_STALENESS_S


class Grants:
    """Token grants by token hash, each kept GRANT_TTL_SECONDS from the start of its read.

    Past half that, the next request of the token reads it again while the token's other
    requests are still let through on the kept grant: a busy token never has all its requests
    wait on the database at once (each second, on the loaded test box, that took the p99 of
    reads to hundreds of ms).
    """

    def __init__(self) -> None:
        self._found: dict[str, tuple[float, float, TokenGrant]] = {}
        self._refreshing: set[str] = set()
        self._lock = threading.Lock()

    def cached(self, secret: str) -> TokenGrant | None:
        """The grant of `secret` if read less than GRANT_TTL_SECONDS ago (no I/O); None: call
        `read` (also for the one request that reads a grant past half its life again)."""
        key = tokens.hash_token(secret)
        found = self._found.get(key)
        if found is None:
            return None
        now = time.monotonic()
        expires, refresh, grant = found
        if expires <= now:
            return None
        if refresh <= now and key not in self._refreshing:
            with self._lock:
                if key not in self._refreshing:
                    self._refreshing.add(key)
                    return None
        return grant

    def read(self, db: Database, secret: str | None) -> TokenGrant:
        """Authenticate `secret` against the database and keep its grant; TokenRefused if it is
        missing, unknown or revoked (and then forgotten, so it is asked again next time)."""
        if not secret:
            return tokens.authenticate(db, secret)  # raises TokenRefused
        key = tokens.hash_token(secret)
        began = time.monotonic()
        try:
            grant = tokens.authenticate(db, secret)
        except TokenRefused:
            with self._lock:
                self._found.pop(key, None)
            raise
        finally:
            with self._lock:
                self._refreshing.discard(key)
        with self._lock:
            if len(self._found) > 10_000:  # unknown tokens are never kept, so this stays small
                self._found.clear()
            self._found[key] = (began + GRANT_TTL_SECONDS, began + GRANT_TTL_SECONDS / 2, grant)
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
