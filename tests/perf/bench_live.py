"""Live updates: writer throughput with them on vs off, and staleness from commit to another client.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_live.py [--seconds N] [--workers N] [--samples N] [--rounds N]
        [--only sqlite|postgresql]

PostgreSQL uses a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end; SQLite a WAL file in a temporary
directory. For each it prints:

* throughput: receive/issue operations per second of N writer processes, with live updates off
  (no notifier, nobody listening) and on (each writer runs the coalescing NOTIFY sender, and a
  separate client process listens and re-reads the rows it is told about, as the GUI does), as
  rounds of alternating slices off/on/on/off, the ratio of the medians on/off (target >= 0.9),
  and the CPU the listening client used;
* staleness: a writer process commits a receive every 20-80 ms; a reader process with a
  ChangeListener re-reads the row on each change; commit -> the reader seeing the new balance,
  p50/p99/max over the samples (target p99 <= 1 s on PostgreSQL; SQLite polls every 500 ms).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.browse import PageRequest, StockQuery
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services import browse, catalog, live, queries, stock, warehouses

PRODUCTS = 40
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _setup(url: str) -> None:
    db = Database.open(url)
    try:
        migrate.upgrade(db)
        warehouses.create_warehouse(db, "MAIN", "Main", SYSTEM)
        for n in range(PRODUCTS):
            catalog.create_product(
                db,
                CreateProduct(f"P{n:03d}", f"Product {n}", "Tools", cost="1.00", price="2.00"),
                SYSTEM,
            )
        stock.receive(
            db,
            ReceiveStock("MAIN", tuple(Line(f"P{n:03d}", 1_000_000) for n in range(PRODUCTS))),
            SYSTEM,
        )
    finally:
        db.dispose()


def _writer(url: str, live_on: bool, barrier: Any, seconds: float, seed: int, out: Any) -> None:
    db = Database.open(url)
    notifier = live.start_notifier(db) if live_on else None
    rng = random.Random(seed)
    done = 0
    cpu = 0.0
    try:
        barrier.wait()
        cpu = time.process_time()  # every writer imported and connected: start together
        end = time.time() + seconds
        while time.time() < end:
            sku = f"P{rng.randrange(PRODUCTS):03d}"
            try:
                if rng.random() < 0.5:
                    stock.receive(db, ReceiveStock("MAIN", (Line(sku, 1),)), SYSTEM)
                else:
                    stock.issue(db, IssueStock("MAIN", (Line(sku, 1),)), SYSTEM)
            except InsufficientStock:
                pass
            done += 1
        cpu = time.process_time() - cpu  # includes the notifier thread of this process
    finally:
        if notifier is not None:
            notifier.close()
        db.dispose()
    out.put((done, cpu))


def _listening_client(url: str, ready: Any, stop: Any, out: Any) -> None:
    """Another PC on its Stock page: listens and re-reads the stock rows it is told about (as the
    GUI does: only the rows a change names; the first page when a change names none)."""
    db = Database.open(url)
    seen = 0
    query = StockQuery(warehouse="MAIN")

    def on_change(change: live.Change) -> None:
        nonlocal seen
        seen += 1
        levels = change.ids.get("stock", ())
        if levels:
            browse.stock_rows(db, SYSTEM, query, levels)
        elif "stock" in change.kinds:
            browse.stock_page(db, SYSTEM, query, PageRequest(limit=PRODUCTS))

    def on_online(online: bool) -> None:
        if online:
            ready.set()

    listener = live.ChangeListener(db, on_change, on_online).start()
    cpu = time.process_time()
    stop.wait()
    cpu = time.process_time() - cpu  # the listener thread and its re-reads
    listener.close()
    db.dispose()
    out.put((seen, cpu))


def _slice(
    ctx: Any, url: str, live_on: bool, workers: int, seconds: float
) -> tuple[float, float, float]:
    """(operations per second, writer CPU milliseconds per operation, listening client CPU
    milliseconds per second)."""
    out, ready, stop, heard = ctx.Queue(), ctx.Event(), ctx.Event(), ctx.Queue()
    client = None
    if live_on:
        client = ctx.Process(target=_listening_client, args=(url, ready, stop, heard))
        client.start()
        # Start the writers once the client listens: its start-up (imports, connecting) is not
        # what live updates cost, and on a busy 2-core machine it can take longer than a second.
        if not ready.wait(60):
            raise RuntimeError("the listening client did not come online")
        time.sleep(0.5)  # and has settled (its first check read)
    barrier = ctx.Barrier(workers)
    procs = [
        ctx.Process(target=_writer, args=(url, live_on, barrier, seconds, i, out))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    total = sum(done for done, _ in results)
    cpu = sum(used for _, used in results)
    for p in procs:
        p.join()
    listener_cpu = 0.0
    if client is not None:
        stop.set()
        _seen, listener_cpu = heard.get()
        client.join()
    return total / seconds, 1000 * cpu / max(1, total), 1000 * listener_cpu / seconds


def _stale_writer(url: str, samples: int, ready: Any, out: Any) -> None:
    db = Database.open(url)
    notifier = live.start_notifier(db)
    rng = random.Random(1)
    commits = []
    ready.wait()
    try:
        for _ in range(samples):
            result = stock.receive(db, ReceiveStock("MAIN", (Line("P000", 1),)), SYSTEM)
            commits.append((result.movements[0].balance_after, time.time()))
            time.sleep(rng.uniform(0.02, 0.08))
        time.sleep(1.5)
    finally:
        if notifier is not None:
            notifier.close()
        db.dispose()
    out.put(commits)


def _stale_reader(url: str, ready: Any, stop: Any, out: Any) -> None:
    db = Database.open(url)
    observed: list[tuple[int, float]] = []

    def on_change(change: live.Change) -> None:
        if "stock" in change.kinds:
            (row,) = queries.stock_levels(db, SYSTEM, product="P000", warehouse="MAIN")
            observed.append((row.on_hand, time.time()))

    listener = live.ChangeListener(db, on_change, lambda online: ready.set() if online else None)
    listener.start()
    stop.wait()
    listener.close()
    db.dispose()
    out.put(observed)


def _staleness(ctx: Any, url: str, samples: int) -> list[float]:
    ready, stop, commits_q, seen_q = ctx.Event(), ctx.Event(), ctx.Queue(), ctx.Queue()
    reader = ctx.Process(target=_stale_reader, args=(url, ready, stop, seen_q))
    writer = ctx.Process(target=_stale_writer, args=(url, samples, ready, commits_q))
    reader.start()
    writer.start()
    commits = commits_q.get()
    writer.join()
    stop.set()
    observed = seen_q.get()
    reader.join()
    delays = []
    for balance, committed in commits:
        seen = [t for on_hand, t in observed if on_hand >= balance]
        delays.append(max(0.0, min(seen) - committed) if seen else float("inf"))
    return delays


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(kind: str, url: str, args: argparse.Namespace) -> None:
    _setup(url)
    ctx = mp.get_context("spawn")
    rates: dict[bool, list[float]] = {False: [], True: []}
    cpus: dict[bool, list[float]] = {False: [], True: []}
    listening: list[float] = []
    for live_on in (False, True, True, False) * args.rounds:
        rate, cpu, listener_cpu = _slice(ctx, url, live_on, args.workers, args.seconds)
        rates[live_on].append(rate)
        cpus[live_on].append(cpu)
        if live_on:
            listening.append(listener_cpu)
    # Medians: on a shared machine one slice can lose a third to someone else's job.
    off, on = statistics.median(rates[False]), statistics.median(rates[True])
    cpu_off, cpu_on = statistics.median(cpus[False]), statistics.median(cpus[True])
    print(
        f"{kind}: throughput, {args.workers} writers: off {off:,.0f} ops/s, on {on:,.0f} ops/s, "
        f"ratio {on / off:.2f} (target >= 0.90; medians); slices off "
        f"{[round(r) for r in rates[False]]} on {[round(r) for r in rates[True]]}"
    )
    print(
        f"{kind}: writer CPU per operation: off {cpu_off:.2f} ms, on {cpu_on:.2f} ms, "
        f"ratio off/on {cpu_off / cpu_on:.2f}; listening client "
        f"{statistics.median(listening):.1f} ms CPU per second "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    delays = _staleness(ctx, url, args.samples)
    print(
        f"{kind}: staleness commit -> other client, {len(delays)} samples: "
        f"p50 {_pct(delays, 0.5) * 1000:,.0f} ms, p99 {_pct(delays, 0.99) * 1000:,.0f} ms, "
        f"max {max(delays) * 1000:,.0f} ms (target p99 <= 1,000 ms)"
    )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput slice")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="of off/on/on/off throughput slices")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.db", args)
    if args.only in (None, "postgresql"):
        server = os.environ.get("INVDESK_BENCH_DATABASE_URL", DEFAULT_PG)
        admin_url = make_url(server).set(drivername="postgresql+psycopg")
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = f"invdesk_bench_live_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(
                "postgresql",
                admin_url.set(database=name).render_as_string(hide_password=False),
                args,
            )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
