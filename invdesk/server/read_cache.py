"""The job that keeps this process's stock read cache fresh, and tells other processes of its own
changes.

The listener (services.system.live) hands the cache every change: this process's at once, other
processes' and desktop PCs' from NOTIFY hints and watermark checks (PostgreSQL) or
`PRAGMA data_version` (SQLite). The notifier sends this process's changes to the others, so a
GET anywhere sees a change well inside the cache's hard bound (which does not rest on either).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from invdesk.server.state import ServerState
from invdesk.services.system import live


@asynccontextmanager
async def read_cache_job(state: ServerState) -> AsyncIterator[None]:
    notifier = live.start_notifier(state.db)
    listener = live.ChangeListener(state.db, state.stock_cache.changed).start()
    try:
        yield
    finally:
        # Joins threads that wake at least every poll interval: off the event loop.
        await asyncio.to_thread(listener.close)
        if notifier is not None:
            await asyncio.to_thread(notifier.close)
