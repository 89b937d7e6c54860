"""The ASGI app factory: routers, error handling, and the lifespan that opens the database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from litestar import Litestar, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from invdesk import __version__
from invdesk.server import health
from invdesk.server.settings import ServerSettings
from invdesk.server.state import ServerState
from invdesk.services.database import open_database

# A background job: entered when the process starts serving, left (and so stopped) on shutdown.
Job = Callable[[ServerState], AbstractAsyncContextManager[object]]


def create_app(
    settings: ServerSettings,
    *,
    routers: Sequence[Router] = (),
    jobs: Sequence[Job] = (),
) -> Litestar:
    """The API for one process. `routers` and `jobs` are mounted beside the core ones."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        db = open_database(settings.db_url)
        state = ServerState(settings, db)
        app.state.invdesk = state
        try:
            async with AsyncExitStack() as stack:
                for job in jobs:
                    await stack.enter_async_context(job(state))
                yield
        finally:
            db.dispose()

    return Litestar(
        route_handlers=[health.router, *routers],
        lifespan=[lifespan],
        # The machine-readable description at /openapi.json, rendered for people at /docs.
        openapi_config=OpenAPIConfig(
            title="invdesk API",
            version=__version__,
            path="/",
            render_plugins=[SwaggerRenderPlugin(path="/docs")],
        ),
    )
