"""Stock throughput before and after the stock grain (issue 13), products without lots, one run.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_grain.py [--seconds N] [--only sqlite|postgresql]
        [--baseline REV] [--workers 1,4]

The baseline is a git revision from before locations and lots (default: the last commit before
migration 0012). Its `invdesk/` and `migrations/` are exported into a temporary folder and run
from there (PYTHONPATH), against a database of its own migrated by its own code; the current tree
runs against another. Both get the same products, warehouses, starting stock and the same random
mix of operations per worker (receive 1-5, issue 1, transfer 1 between two warehouses; untracked
products, warehouses without locations: the shop that must see no slowdown). Each configuration
runs as four slices, baseline/current/current/baseline, so background load on a shared machine
weighs on both alike; the ratio is current/baseline ops/s (target >= 0.85).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASELINE = "d6bc129"
PG_SERVER = os.environ.get(
    "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PRODUCTS = 200

# Runs inside a child process whose PYTHONPATH selects the invdesk version under test.
SETUP = """
import sys
from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import Line, ReceiveStock
from invdesk.services.catalog import products, warehouses
from invdesk.services.stock import operations
url, count = sys.argv[1], int(sys.argv[2])
with Database.open(url) as db:
    migrate.upgrade(db)
    for code in ("MAIN", "BACK"):
        warehouses.create_warehouse(db, code, code, SYSTEM)
    for n in range(count):
        products.create_product(db, CreateProduct(f"P{n}", f"Product {n}", "Tools", cost="1.00"), SYSTEM)
    for code in ("MAIN", "BACK"):
        lines = tuple(Line(f"P{n}", 1000) for n in range(count))
        operations.receive(db, ReceiveStock(code, lines), SYSTEM)
"""

WORK = """
import json, multiprocessing as mp, random, sys, time
def run(url, seconds, worker, count, queue):
    from invdesk.db.engine import Database
    from invdesk.domain.errors import InsufficientStock
    from invdesk.domain.security import Actor
    from invdesk.domain.stock import IssueStock, Line, ReceiveStock, TransferStock
    from invdesk.services.stock import operations
    rng = random.Random(worker)
    actor = Actor(f"clerk{worker}")
    ops = 0
    with Database.open(url) as db:
        start = time.process_time()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            sku = f"P{rng.randrange(count)}"
            wh, other = ("MAIN", "BACK") if rng.random() < 0.5 else ("BACK", "MAIN")
            roll = rng.random()
            try:
                if roll < 0.4:
                    operations.receive(db, ReceiveStock(wh, (Line(sku, rng.randint(1, 5), "1.00"),)), actor)
                elif roll < 0.8:
                    operations.issue(db, IssueStock(wh, (Line(sku, 1),)), actor)
                else:
                    operations.transfer(db, TransferStock(wh, other, (Line(sku, 1),)), actor)
            except InsufficientStock:
                pass
            ops += 1
        queue.put((ops, time.process_time() - start))
if __name__ == "__main__":
    url, seconds, workers, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=run, args=(url, seconds, w, count, queue)) for w in range(workers)]
    for p in procs: p.start()
    results = [queue.get() for _ in procs]
    for p in procs: p.join()
    print(json.dumps({"ops": sum(r[0] for r in results), "cpu": sum(r[1] for r in results)}))
"""


def export_baseline(revision: str, folder: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "invdesk", "migrations"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def child(path: Path, code: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(path))
    script = Path(tempfile.gettempdir()) / f"invdesk-bench-{uuid.uuid4().hex}.py"
    script.write_text(code)
    try:
        done = subprocess.run(
            [sys.executable, str(script), *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        script.unlink()
    return done.stdout


def pg_database(name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return PG_SERVER.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0, help="per slice (4 slices each)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    parser.add_argument("--workers", default="1,4")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        base.mkdir()
        export_baseline(args.baseline, base)
        versions = {"baseline": base, "current": ROOT}
        print(
            f"baseline {args.baseline} vs current tree; {PRODUCTS} products, untracked, no locations"
        )
        for dialect in ("sqlite", "postgresql"):
            if args.only and dialect != args.only:
                continue
            urls = {}
            for name, path in versions.items():
                if dialect == "sqlite":
                    urls[name] = f"sqlite:///{tmp}/{name}.db"
                else:
                    urls[name] = pg_database(f"invdesk_bench_grain_{name}", create=True)
                child(path, SETUP, urls[name], str(PRODUCTS))
            try:
                for workers in counts:
                    totals = {name: [0, 0.0, 0.0] for name in versions}
                    for name in ("baseline", "current", "current", "baseline"):
                        started = time.perf_counter()
                        out = json.loads(
                            child(
                                versions[name],
                                WORK,
                                urls[name],
                                str(args.seconds),
                                str(workers),
                                str(PRODUCTS),
                            )
                        )
                        totals[name][0] += out["ops"]
                        totals[name][1] += out["cpu"]
                        totals[name][2] += time.perf_counter() - started
                    rate = {n: t[0] / (2 * args.seconds) for n, t in totals.items()}
                    cpu = {n: 1000 * t[1] / max(t[0], 1) for n, t in totals.items()}
                    print(
                        f"{dialect:10} {workers:2} workers: baseline {rate['baseline']:8.0f} ops/s "
                        f"({cpu['baseline']:.2f} ms CPU/op), current {rate['current']:8.0f} ops/s "
                        f"({cpu['current']:.2f} ms CPU/op), ratio {rate['current'] / rate['baseline']:.2f}"
                        f"  [load {os.getloadavg()[0]:.1f}]"
                    )
            finally:
                if dialect == "postgresql":
                    for name in versions:
                        pg_database(f"invdesk_bench_grain_{name}", create=False)


if __name__ == "__main__":
    main()
