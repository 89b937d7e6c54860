"""Count sheets at size: a 5,000-line sheet's variance preview and post, on SQLite and PostgreSQL.

Run from the repository root (not collected by pytest; it has no test functions):

    uv run python tests/perf/bench_counts.py [--lines N] [--only sqlite|postgresql]

For SQLite (a WAL file in a temporary directory) and PostgreSQL (a scratch database on the server
named by INVDESK_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres, dropped
at the end) it stocks N products, opens a sheet of the whole warehouse (N lines), counts 200 lines
through the service (the clerk's path, timed per line) and the rest with one UPDATE (the same
values the service writes: the quant, the newest ledger id), every line off by a few units so
that every line books a ledger row (the worst case), sells a few products after the count, then
times the variance preview (best of 3) and the post, checks the result with `verify`, and prints
each figure with its target and the ratio target / measured (above 1: within the target).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.counts import OpenCount, PostCount, RecordCount
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import IssueStock, Line, ReceiveStock
from invdesk.services.catalog import products, warehouses
from invdesk.services.counts import lines, posting, sheets, variance
from invdesk.services.stock import operations
from invdesk.services.trust import verify

BOSS = Actor("bench", Role.ADMIN)
TARGETS = {"preview": 1.0, "post": 5.0}
SERVICE_COUNTED = 200
_COUNT_REST = """
UPDATE count_line SET
    expected = (SELECT q.on_hand FROM quant q WHERE q.product_id = count_line.product_id
                AND q.warehouse_id = 1 AND q.location_id IS NULL AND q.lot_id IS NULL),
    position = (SELECT max(m.id) FROM movement m WHERE m.product_id = count_line.product_id
                AND m.warehouse_id = 1),
    counted_by = 'bench', counted_at = :at
WHERE sheet_id = :sheet AND counted IS NULL;
"""
_OFF_BY = "UPDATE count_line SET counted = expected + (id % 5) - 2 + CASE WHEN id % 5 = 2 THEN 1 ELSE 0 END WHERE sheet_id = :sheet AND counted_by = 'bench'"


def _setup(db: Database, size: int) -> None:
    from invdesk.domain.catalog import CreateProduct

    warehouses.create_warehouse(db, "MAIN", "Main", BOSS)
    for n in range(size):
        products.create_product(
            db, CreateProduct(f"C-{n:05d}", f"Counted {n}", "Tools", cost="1.25"), BOSS
        )
    batch = 1000
    for start in range(0, size, batch):
        chunk = tuple(Line(f"C-{n:05d}", 50) for n in range(start, min(size, start + batch)))
        operations.receive(db, ReceiveStock("MAIN", chunk), BOSS)


def run(db: Database, label: str, size: int) -> None:
    started = time.perf_counter()
    _setup(db, size)
    print(f"{label}: set-up of {size:,} stocked products {time.perf_counter() - started:.1f} s")
    sheet = sheets.open_count(db, OpenCount("MAIN"), BOSS).id
    took = []
    for n in range(SERVICE_COUNTED):
        begun = time.perf_counter()
        lines.record_count(db, RecordCount(sheet, "-", f"C-{n:05d}", 47), BOSS)
        took.append(time.perf_counter() - begun)
    with db.engine.begin() as conn:
        conn.execute(text(_COUNT_REST), {"sheet": sheet, "at": db.now()})
        conn.execute(text(_OFF_BY), {"sheet": sheet})
    for n in range(0, size, max(1, size // 20)):  # sales after the count
        operations.issue(db, IssueStock("MAIN", (Line(f"C-{n:05d}", 1),)), BOSS)
    runs = []
    for _ in range(3):
        begun = time.perf_counter()
        report = variance.variance(db, BOSS, sheet)
        runs.append(time.perf_counter() - begun)
    preview = min(runs)
    assert len(report.counted) == size, len(report.counted)
    begun = time.perf_counter()
    posted = posting.post_count(db, PostCount(sheet), BOSS)
    post = time.perf_counter() - begun
    problems = verify.verify(db, BOSS)
    print(f"{label}: count one line (service)  p50 {statistics.median(took) * 1000:6.1f} ms")
    for name, seconds in (("preview", preview), ("post", post)):
        target = TARGETS[name]
        print(
            f"{label}: {name:<8} {size:,} lines {seconds:7.3f} s  target {target:.1f} s  "
            f"ratio {target / seconds:5.1f}x"
        )
    print(f"{label}: posted {posted.movements:,} ledger rows, {posted.units:+,} units; "
          f"verify: {'ok' if not problems else problems[:3]}")  # fmt: skip


def sqlite(size: int) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        Database.open(f"sqlite:///{Path(folder) / 'bench.db'}") as db,
    ):
        migrate.upgrade(db)
        run(db, "sqlite", size)


def postgresql(size: int) -> None:
    server = os.environ.get(
        "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"invdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        url = make_url(server).set(database=name).render_as_string(False)
        with Database.open(url) as db:
            migrate.upgrade(db)
            run(db, "postgresql", size)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    if args.only in (None, "sqlite"):
        sqlite(args.lines)
    if args.only in (None, "postgresql"):
        postgresql(args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
