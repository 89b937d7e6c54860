"""The import path uvicorn's worker processes load: the app built from the settings `serve` left."""

from __future__ import annotations

from litestar import Litestar

from invdesk.server.app import create_app
from invdesk.server.dispatch import dispatcher_job
from invdesk.server.jobs import scheduler_job
from invdesk.server.settings import ServerSettings


def make_app() -> Litestar:
    return create_app(ServerSettings.from_env(), jobs=[dispatcher_job, scheduler_job])
