"""The server's own upkeep: answers kept for Idempotency-Key are forgotten after a day."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from invdesk.domain.errors import InvdeskError
from invdesk.server.state import ServerState
from invdesk.services.channels import idempotency

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600.0


@contextlib.asynccontextmanager
async def forget_old_answers(state: ServerState) -> AsyncIterator[None]:
    """While the server runs: hourly, drop kept answers older than a day (any process may; the
    delete is the same whoever runs it)."""

    async def every_hour() -> None:
        while True:
            try:
                await asyncio.to_thread(idempotency.purge, state.db)
            except InvdeskError as error:  # the database is down: try again next hour
                log.warning("Forgetting old Idempotency-Key answers failed: %s", error.message)
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    task = asyncio.create_task(every_hour())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
