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

_process_pools: dict[int, ProcessPoolExecutor] = {}


def _process_pool(count: int) -> ProcessPoolExecutor:
    """A pool of `count` worker processes, kept for the next race (starting 16 Python processes
    costs seconds on a loaded machine; the workers reopen the database each race names)."""
    pool = _process_pools.get(count)
    if pool is None:
        # forkserver: children fork from a clean server with the modules preloaded, which is
        # much faster than spawn and safe where fork (from a threaded pytest) is not.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tests.integration.workers"])
        pool = _process_pools[count] = ProcessPoolExecutor(count, mp_context=context)
    return pool


def shutdown() -> None:
    """Stop the kept worker processes (they close their databases as they exit)."""
    while _process_pools:
        _process_pools.popitem()[1].shutdown()


@contextmanager
def clerks(db: Database, count: int = 16) -> Iterator[Executor]:
    url = url_of(db)
    if db.dialect == "sqlite":
        # One pool of at least 16 serves every race; a race of fewer clerks leaves some idle.
        size = max(count, 16)
        pool = _process_pool(size)
        try:
            # Start (or re-point) every process before the race, so set-up does not serialise it.
            list(pool.map(_warm, [url] * size))
            yield pool
        except BaseException:
            shutdown()  # a broken or half-used pool is not reused
            raise
    else:
        workers.use(Database.open(url, pool_size=count + 2, max_overflow=4), url)
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
