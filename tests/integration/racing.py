"""Running many clerks at once: processes on SQLite (one file, many programs), threads with their
own connections on PostgreSQL (the server does the concurrency; psycopg releases the GIL)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from invdesk.db.engine import Database
from tests.integration import workers


@contextmanager
def clerks(db: Database, count: int = 16) -> Iterator[Executor]:
    if db.dialect == "sqlite":
        # forkserver: children fork from a clean server with the modules preloaded, which is
        # much faster than spawn and safe where fork (from a threaded pytest) is not.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tests.integration.workers"])
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            # Start every process before the race, so start-up time does not serialise it.
            list(pool.map(_warm, [str(db.engine.url)] * count))
            yield pool
    else:
        workers.use(Database.open(url_of(db), pool_size=count + 2, max_overflow=4))
        try:
            with ThreadPoolExecutor(count) as pool:
                yield pool
        finally:
            workers.close()


def _warm(url: str) -> None:
    workers._database(url)


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def run_all(pool: Executor, fn: Callable[..., Any], calls: list[tuple[Any, ...]]) -> list[Any]:
    futures = [pool.submit(fn, *args) for args in calls]
    return [future.result() for future in futures]
