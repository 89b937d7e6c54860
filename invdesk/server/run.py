"""Running the server: uvicorn with graceful shutdown (requests in flight are finished)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from invdesk.server.settings import ENV_SETTINGS, ServerSettings

# On SIGTERM/SIGINT uvicorn stops accepting, lets requests in flight finish, then exits;
# a request still running after this many seconds is cut off.
GRACEFUL_SECONDS = 30
# prometheus-client's multiprocess mode: each worker writes its metrics to files in this directory
# and /metrics, in whichever worker answers, adds up every worker's files.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def serve(settings: ServerSettings) -> None:
    """Serve until stopped; with several workers each is its own process on the same port."""
    os.environ[ENV_SETTINGS] = settings.to_env()
    with _shared_metrics(settings.workers):
        _run(settings)


def _run(settings: ServerSettings) -> None:
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


@contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, a fresh directory for their metrics (set before they start: the
    workers choose where their metrics live when they import prometheus-client), removed after.
    A directory already named by PROMETHEUS_MULTIPROC_DIR is used as it is."""
    if workers == 1 or os.environ.get(MULTIPROC_ENV):
        yield
        return
    path = tempfile.mkdtemp(prefix="invdesk-metrics-")
    os.environ[MULTIPROC_ENV] = path
    try:
        yield
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(path, ignore_errors=True)
