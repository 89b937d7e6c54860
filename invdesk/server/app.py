"""The ASGI app factory: routers, error handling, and the lifespan that opens the database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from invdesk import __version__
from invdesk.server import errors, health, housekeeping, inventory, metrics, orders, sse
from invdesk.server.auth import current_grant
from invdesk.server.settings import ServerSettings
from invdesk.server.state import ServerState
from invdesk.services.system.database import open_database

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
        db = open_database(
            settings.db_url,
            read_url=settings.read_db_url,
            read_max_lag_s=settings.read_max_lag_s,
        )
        state = ServerState(settings, db)
        app.state.invdesk = state
        try:
            async with AsyncExitStack() as stack:
                for job in (housekeeping.forget_old_answers, *jobs):
                    await stack.enter_async_context(job(state))
                yield
        finally:
            db.dispose()

    api = Router(
        path="/api/v1",
        route_handlers=[
            *inventory.HANDLERS,
            *orders.HANDLERS,
            sse.events_handler(sse.read_scope),
        ],
        # On the event loop: a token's grant is cached, so this reads the database once per token
        # every GRANT_TTL_SECONDS, and a thread hop per request would cost more than that read.
        dependencies={"grant": Provide(current_grant, sync_to_thread=False)},
        security=[{"bearer": []}],
    )
    return Litestar(
        route_handlers=[health.router, metrics.metrics_endpoint, api, *routers],
        lifespan=[lifespan],
        exception_handlers=errors.HANDLERS,
        middleware=[metrics.MetricsMiddleware],
        # The machine-readable description at /openapi.json, rendered for people at /docs.
        openapi_config=OpenAPIConfig(
            title="invdesk API",
            version=__version__,
            path="/",
            render_plugins=[SwaggerRenderPlugin(path="/docs")],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http", scheme="bearer", description="An API token (token add)"
                    )
                }
            ),
        ),
    )
