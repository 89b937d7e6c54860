"""Running the server: uvicorn with graceful shutdown (requests in flight are finished)."""

from __future__ import annotations

import os

import uvicorn

from invdesk.server.settings import ENV_SETTINGS, ServerSettings

# On SIGTERM/SIGINT uvicorn stops accepting, lets requests in flight finish, then exits;
# a request still running after this many seconds is cut off.
GRACEFUL_SECONDS = 30


def serve(settings: ServerSettings) -> None:
    """Serve until stopped; with several workers each is its own process on the same port."""
    os.environ[ENV_SETTINGS] = settings.to_env()
    uvicorn.run(
        "invdesk.server.asgi:make_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        lifespan="on",
    )
