"""A stock read's latency when it sweeps expired holds first (before) and when it counts them in
the query (after: reads never write).

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_reads.py [--seconds N] [--rounds N] [--holds-per-s N]

On a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end. 1,000 products in one
warehouse; throughout, one process places 1-unit holds with a 1-second time to live (a web shop's
abandoned carts) at --holds-per-s, and another runs the sweeper every second (as `invdesk serve`
and the desktop do). The reader asks for one product's stock (queries.stock_levels by SKU and
warehouse, what the CLI's `stock` and an API look-up do), in blocks of --seconds alternating
before/after/after/before --rounds times, so load from other jobs falls on both alike:

* before: `reservations.sweep` (its read, and its write transaction when holds are due) and then
  the read, as every stock read did until now;
* after: the read alone, overdue holds counted as released in its query.

It prints p50/p99/max per variant and the ratios after/before.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import Line, ReceiveStock, ReserveStock
from invdesk.services.catalog import products, warehouses
from invdesk.services.reads import queries
from invdesk.services.stock import operations, reservations

PRODUCTS = 1000
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _setup(url: str) -> None:
    with Database.open(url) as db:
        migrate.upgrade(db)
        warehouses.create_warehouse(db, "MAIN", "Main", SYSTEM)
        for n in range(PRODUCTS):
            products.create_product(db, CreateProduct(f"P{n:04d}", f"Product {n}", "Tools"), SYSTEM)
        lines = tuple(Line(f"P{n:04d}", 100) for n in range(PRODUCTS))
        operations.receive(db, ReceiveStock("MAIN", lines), SYSTEM)


def _holder(url: str, per_second: float, stop: Any) -> None:
    """Place short holds at a steady rate until told to stop."""
    with Database.open(url) as db:
        pace = 1.0 / per_second
        due = time.monotonic()
        while not stop.is_set():
            sku = f"P{random.randrange(PRODUCTS):04d}"
            with contextlib.suppress(InsufficientStock):  # every unit held: try another
                reservations.reserve(db, ReserveStock(sku, "MAIN", 1, ttl_seconds=1), SYSTEM)
            due += pace
            stop.wait(max(0.0, due - time.monotonic()))


def _sweeper(url: str, stop: Any) -> None:
    with Database.open(url) as db:
        while not stop.wait(1.0):
            reservations.sweep(db, SYSTEM)


def _block(db: Database, seconds: float, sweep_first: bool) -> tuple[list[float], float]:
    """Latencies (ms) of the reads of one block, and the reader's CPU seconds for them."""
    latencies: list[float] = []
    cpu = time.process_time()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sku = f"P{random.randrange(PRODUCTS):04d}"
        start = time.perf_counter()
        if sweep_first:
            reservations.sweep(db, SYSTEM)
        queries.stock_levels(db, SYSTEM, product=sku, warehouse="MAIN")
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies, time.process_time() - cpu


def _report(per_s: float, results: dict[bool, list[float]], cpu: dict[bool, float]) -> None:
    print(f"stock read of one product, PostgreSQL, {per_s:g} holds/s expiring")
    print(f"{'variant':<26}{'reads':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'CPU ms/read':>13}")
    per_read = {k: cpu[k] * 1000 / max(1, len(v)) for k, v in results.items()}
    for sweep_first, label in ((True, "before (sweep, then read)"), (False, "after (read only)")):
        values = results[sweep_first]
        print(f"{label:<26}{len(values):>7}{statistics.median(values):>9.2f}"
              f"{_pct(values, 0.99):>9.2f}{max(values):>9.2f}{per_read[sweep_first]:>13.3f}")  # fmt: skip
    before, after = results[True], results[False]
    print(f"after/before: p50 {statistics.median(after) / statistics.median(before):.2f}x, "
          f"p99 {_pct(after, 0.99) / _pct(before, 0.99):.2f}x, "
          f"reader CPU per read {per_read[False] / per_read[True]:.2f}x")  # fmt: skip


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--holds-per-s", type=float, default=50.0)
    args = parser.parse_args()
    server = os.environ.get("INVDESK_BENCH_DATABASE_URL", DEFAULT_PG)
    admin_url = make_url(server).set(drivername="postgresql+psycopg")
    name = f"invdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    stop = mp.get_context("spawn").Event()
    helpers = [
        mp.get_context("spawn").Process(target=_holder, args=(url, args.holds_per_s, stop)),
        mp.get_context("spawn").Process(target=_sweeper, args=(url, stop)),
    ]
    try:
        _setup(url)
        for process in helpers:
            process.start()
        results: dict[bool, list[float]] = {True: [], False: []}
        cpu = {True: 0.0, False: 0.0}
        with Database.open(url) as db:
            _block(db, 1.0, True)  # warm both paths' statements and connections
            _block(db, 1.0, False)
            for _ in range(args.rounds):
                for sweep_first in (True, False, False, True):
                    latencies, used = _block(db, args.seconds, sweep_first)
                    results[sweep_first] += latencies
                    cpu[sweep_first] += used
        _report(args.holds_per_s, results, cpu)
    finally:
        stop.set()
        for process in helpers:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
