"""Live updates: writer throughput with them on vs off, and staleness from commit to another client.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_live.py [--seconds N] [--workers N] [--samples N] [--rounds N]
        [--only sqlite|postgresql]

PostgreSQL uses a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end; SQLite a WAL file in a temporary
directory. For each it prints:

* throughput: receive/issue operations per second of N writer processes that run throughout,
  with live updates switched off (no notifier, nobody listening) and on (each writer runs the
  coalescing NOTIFY sender, and a separate client process listens and re-reads the rows it is
  told about, as the GUI does) in windows off/on/on/off repeated --rounds times, so that load
  from other jobs on a shared machine falls on both states alike; the ratio on/off (the median
  over the off/on/on/off blocks; target >= 0.9), and the CPU the listening client used;
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
from invdesk.services.catalog import products, warehouses
from invdesk.services.reads import browse, queries
from invdesk.services.stock import operations
from invdesk.services.system import live

PRODUCTS = 40
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _setup(url: str) -> None:
    db = Database.open(url)
    try:
        migrate.upgrade(db)
        warehouses.create_warehouse(db, "MAIN", "Main", SYSTEM)
        for n in range(PRODUCTS):
            products.create_product(
                db,
                CreateProduct(f"P{n:03d}", f"Product {n}", "Tools", cost="1.00", price="2.00"),
                SYSTEM,
            )
        operations.receive(
            db,
            ReceiveStock("MAIN", tuple(Line(f"P{n:03d}", 1_000_000) for n in range(PRODUCTS))),
            SYSTEM,
        )
    finally:
        db.dispose()


def _writer(url: str, notify: Any, stop: Any, seed: int, counts: Any, cpus: Any, n: int) -> None:
    """Receives and issues until `stop`, publishing its count and CPU time in counts[n] and
    cpus[n]; runs the coalescing NOTIFY sender while `notify` is set (PostgreSQL)."""
    db = Database.open(url)
    notifier: live.ChangeNotifier | None = None
    notifying = False
    rng = random.Random(seed)
    done = 0
    cpu = time.process_time()
    try:
        while not stop.is_set():
            if notify.is_set() != notifying:
                notifying = not notifying
                if notifying:
                    notifier = live.start_notifier(db)
                elif notifier is not None:
                    notifier.close()
                    notifier = None
            sku = f"P{rng.randrange(PRODUCTS):03d}"
            try:
                if rng.random() < 0.5:
                    operations.receive(db, ReceiveStock("MAIN", (Line(sku, 1),)), SYSTEM)
                else:
                    operations.issue(db, IssueStock("MAIN", (Line(sku, 1),)), SYSTEM)
            except InsufficientStock:
                pass
            done += 1
            counts[n] = done
            cpus[n] = time.process_time() - cpu  # includes the notifier thread of this process
    finally:
        if notifier is not None:
            notifier.close()
        db.dispose()


def _listening_client(url: str, listen: Any, stop: Any, cpu: Any) -> None:
    """Another PC on its Stock page, listening while `listen` is set: it re-reads the stock rows
    it is told about, as the GUI does (only the rows a change names; the first page when a
    change names none). Publishes its CPU time in cpu.value."""
    db = Database.open(url)
    query = StockQuery(warehouse="MAIN")

    def on_change(change: live.Change) -> None:
        levels = change.ids.get("stock", ())
        if levels:
            browse.stock_rows(db, SYSTEM, query, levels)
        elif "stock" in change.kinds:
            browse.stock_page(db, SYSTEM, query, PageRequest(limit=PRODUCTS))

    listener: live.ChangeListener | None = None
    start = time.process_time()
    while not stop.is_set():
        if listen.is_set() and listener is None:
            listener = live.ChangeListener(db, on_change).start()
        elif not listen.is_set() and listener is not None:
            listener.close()
            listener = None
        cpu.value = time.process_time() - start
        time.sleep(0.02)
    if listener is not None:
        listener.close()
    db.dispose()


def _throughput(
    ctx: Any, url: str, args: argparse.Namespace
) -> tuple[dict[bool, list[float]], dict[bool, list[float]], list[float]]:
    """Writers run throughout; live updates are switched on and off in windows off/on/on/off
    (`rounds` times), so a burst of someone else's load falls on both sides alike. Per state:
    operations per second and writer CPU ms per operation of each window, and the listening
    client's CPU ms per second in the windows with live updates on."""
    workers = args.workers
    counts, cpus = ctx.Array("q", workers, lock=False), ctx.Array("d", workers, lock=False)
    client_cpu = ctx.Value("d", 0.0, lock=False)
    notify, listen, stop = ctx.Event(), ctx.Event(), ctx.Event()
    procs = [
        ctx.Process(target=_writer, args=(url, notify, stop, i, counts, cpus, i))
        for i in range(workers)
    ]
    client = ctx.Process(target=_listening_client, args=(url, listen, stop, client_cpu))
    for proc in (*procs, client):
        proc.start()
    rates: dict[bool, list[float]] = {False: [], True: []}
    per_op: dict[bool, list[float]] = {False: [], True: []}
    listening: list[float] = []
    try:
        while min(counts) == 0:  # every writer imported, connected and writing
            time.sleep(0.1)
        time.sleep(1.0)
        for live_on in (False, True, True, False) * args.rounds:
            for flag in (notify, listen):
                flag.set() if live_on else flag.clear()
            time.sleep(0.5)  # the listener connects, notifiers start or stop
            ops0, cpu0, client0 = sum(counts), sum(cpus), client_cpu.value
            started = time.monotonic()
            time.sleep(args.seconds)
            elapsed = time.monotonic() - started
            ops = sum(counts) - ops0
            rates[live_on].append(ops / elapsed)
            per_op[live_on].append(1000 * (sum(cpus) - cpu0) / max(1, ops))
            if live_on:
                listening.append(1000 * (client_cpu.value - client0) / elapsed)
    finally:
        stop.set()
        for proc in (*procs, client):
            proc.join()
    return rates, per_op, listening


def _stale_writer(url: str, samples: int, ready: Any, out: Any) -> None:
    db = Database.open(url)
    notifier = live.start_notifier(db)
    rng = random.Random(1)
    commits = []
    ready.wait()
    try:
        for _ in range(samples):
            result = operations.receive(db, ReceiveStock("MAIN", (Line("P000", 1),)), SYSTEM)
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
    rates, cpus, listening = _throughput(ctx, url, args)
    off, on = rates[False], rates[True]
    # Each off/on/on/off block gives one ratio; their median shrugs off a block in which
    # someone else's job started or stopped (the pooled ratio is printed too).
    blocks = [
        (on[2 * i] + on[2 * i + 1]) / max(1e-9, off[2 * i] + off[2 * i + 1])
        for i in range(len(on) // 2)
    ]
    cpu_off, cpu_on = statistics.median(cpus[False]), statistics.median(cpus[True])
    print(
        f"{kind}: throughput, {args.workers} writers: off {statistics.mean(off):,.0f} ops/s, "
        f"on {statistics.mean(on):,.0f} ops/s, ratio {statistics.median(blocks):.2f} "
        f"(median of {len(blocks)} off/on/on/off blocks; target >= 0.90), pooled "
        f"{sum(on) / sum(off):.2f}; block ratios {[round(b, 2) for b in blocks]}"
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
    parser.add_argument("--seconds", type=float, default=1.0, help="per throughput window")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="of off/on/on/off windows")
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
