"""/healthz (the process answers) and /readyz (database reachable, schema current)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.response import Response

from invdesk.server.state import state_of
from invdesk.services.system import database


@get("/healthz", summary="The process is up", sync_to_thread=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", summary="The database is reachable and its schema current", sync_to_thread=True)
def readyz(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    ready, reason = database.readiness(state_of(request).db)
    body = {"status": "ready" if ready else "not ready", "database": reason}
    return Response(body, status_code=200 if ready else 503)


router = Router(path="/", route_handlers=[healthz, readyz], tags=["health"])
