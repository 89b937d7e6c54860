"""What one `invdesk serve` process is started with (handed to worker processes as JSON)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

ENV_SETTINGS = "INVDESK_SERVE_SETTINGS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Per-token request rate: a steady 20 requests a second, with bursts of up to 100.
DEFAULT_RATE = 20.0
DEFAULT_BURST = 100


@dataclass(frozen=True)
class ServerSettings:
    db_url: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    rate_per_second: float = DEFAULT_RATE
    rate_burst: int = DEFAULT_BURST
    # A PostgreSQL streaming replica for the API's GETs, used while within `read_max_lag_s`.
    read_db_url: str | None = None
    read_max_lag_s: float = 2.0

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServerSettings:
        """The settings `invdesk serve` left for its worker processes."""
        text = os.environ.get(ENV_SETTINGS)
        if not text:
            raise RuntimeError(f"{ENV_SETTINGS} is not set: start the server with `invdesk serve`.")
        return cls(**json.loads(text))
