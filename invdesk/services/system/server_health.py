"""The health of an `invdesk serve` server, asked over HTTP: up (/healthz) and ready (/readyz)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from invdesk.domain.errors import ValidationError
from invdesk.domain.security import Actor, Permission, require

TIMEOUT_S = 3.0


@dataclass(frozen=True)
class ServerHealth:
    """What the server answered: `up` (the process runs), `ready` (its database is usable)."""

    url: str
    up: bool
    ready: bool
    message: str
    """A sentence for the Admin page: all is well, or what is wrong."""


def check_url(url: str) -> str:
    """The server's base URL without a trailing slash; ValidationError if it is not http(s)."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"“{url}” is not a server address: use http://host:8765 or https://host.",
            field="server_url",
        )
    return text


def _get(url: str, timeout_s: float) -> tuple[int, dict[str, object]]:
    """Status and JSON body of a GET; a non-2xx answer is an answer too (/readyz says 503)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = {}
    return status, body if isinstance(body, dict) else {}


def check_server(actor: Actor, url: str, timeout_s: float = TIMEOUT_S) -> ServerHealth:
    """Ask the server at `url` whether it is up and ready. Never raises for a server that is
    down or answers nonsense: that is what the answer reports. Admins only."""
    require(actor, Permission.ADMIN)
    base = check_url(url)
    try:
        status, _ = _get(f"{base}/healthz", timeout_s)
        if status != 200:
            return ServerHealth(base, False, False, f"The server answered {status} to /healthz.")
        status, body = _get(f"{base}/readyz", timeout_s)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return ServerHealth(base, False, False, f"The server does not answer ({reason}).")
    if status == 200:
        return ServerHealth(base, True, True, "Up and ready.")
    why = body.get("database") or f"/readyz answered {status}"
    return ServerHealth(base, True, False, f"Up, but not ready: {why}.")
