"""Sealing and verifying a big ledger: rows/s of the seal and of verify, and verify's peak memory.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_seals.py [--rows 1000000] [--only postgresql|sqlite]

PostgreSQL: a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end; the ledger is bulk-loaded on
the server with generate_series (1,000 products, running balances and times that agree; the
ledger's look-up indexes dropped first, as neither sealing nor verify uses them), then
sealed by the owner's invdesk_seal() and verified by `verify_all`. SQLite: the same rows in a
temporary file, sealed in Python. verify streams the ledger, so its peak RSS must not grow with the
row count: run with --rows 1000000 and --rows 10000000 and compare the "peak RSS" lines.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import Actor
from invdesk.services.trust import seals, verify

ACTOR = Actor("bench")
PRODUCTS = 1000
# Row i (from 0): product i % 1000 + 1 in warehouse 1, +1 each, so the k-th row of a product has
# balance k; times grow by a millisecond a row.
LEDGER_SQL = """
INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, balance_after,
                      unit_cost, reference, reason, "user", at, request_id)
SELECT 'receive', i % {products} + 1, 1, 1, 0, 1, i / {products} + 1, 10000, 'PO-' || i, NULL,
       'bench', TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 millisecond', 'bench'
  FROM generate_series(0, {last}) AS i ORDER BY i
"""


LOOKUP_INDEXES = (
    "ix_movement_product_warehouse",
    "ix_movement_warehouse_id",
    "ix_movement_at",
    "ix_movement_request_id",
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed[T](label: str, rows: int, work: Callable[[], T]) -> T:
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # This process's CPU time too: on a shared machine the wall clock mostly measures the others.
    print(
        f"  {label:<28} {seconds:8.1f} s   {rows / seconds:>12,.0f} rows/s   "
        f"(this process's CPU {cpu:,.1f} s)",
        flush=True,
    )
    return result


def load_catalog(execute: Callable[[str], object], rows: int) -> None:
    execute("INSERT INTO warehouse (code, name, active, version) VALUES ('MAIN', 'Main', TRUE, 1)")
    for i in range(1, PRODUCTS + 1):
        execute(
            "INSERT INTO product (sku, name, category_id, unit, price, cost, active, version, "
            f"created_at, updated_at) VALUES ('SKU-{i:04d}', 'Product {i}', 1, 'each', 0, 0, "
            "TRUE, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    execute(
        'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
        "VALUES ('bench', 'receive', 'bench', 'bench', '2026-01-01 00:00:00')"
    )
    # Each product got rows // 1000 rows, plus one more for the first rows % 1000 products.
    base, extra = divmod(rows, PRODUCTS)
    execute(
        "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) "
        f"SELECT id, 1, {base} + CASE WHEN id <= {extra} THEN 1 ELSE 0 END, 0, 0 FROM product"
    )


def rss_mb() -> float:
    """The resident memory right now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def sample_rss(stop: threading.Event, every_s: float) -> None:
    """Print the resident memory while verify runs (a run cut short still shows its memory)."""
    while not stop.wait(every_s):
        print(f"    RSS during verify {rss_mb():,.0f} MB", flush=True)


def check(db: Database, rows: int) -> None:
    before = peak_rss_mb()
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(stop, 60.0), daemon=True)
    sampler.start()
    try:
        report = timed("verify (all checks)", rows, lambda: verify.verify_all(db, ACTOR))
    finally:
        stop.set()
    assert report.ok, report.lines()[:5]
    print(f"  peak RSS {peak_rss_mb():,.0f} MB (before verify {before:,.0f} MB)")


def bench_postgresql(rows: int) -> None:
    server = os.environ.get(
        "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"invdesk_bench_{uuid.uuid4().hex[:8]}"
    admin_url = make_url(server).set(drivername="postgresql").render_as_string(False)
    admin = psycopg.connect(admin_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    db = Database.open(url)
    try:
        migrate.upgrade(db)
        plain = make_url(url).set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(plain, autocommit=True) as conn:
            print(f"PostgreSQL, {rows:,} ledger rows", flush=True)
            timed("load (generate_series)", rows, lambda: _load_pg(conn, rows))
        made = timed("seal (invdesk_seal)", rows, lambda: seals.seal(db, ACTOR))
        print(f"  {made} seals")
        check(db, rows)
    finally:
        db.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _load_pg(conn: psycopg.Connection[tuple[object, ...]], rows: int) -> None:
    load_catalog(conn.execute, rows)  # type: ignore[arg-type]
    # Sealing and verify read the ledger by id (the primary key) and sort for the balances; the
    # look-up indexes take no part, and dropping them makes loading 10 million rows several
    # times faster on a shared machine.
    for index in LOOKUP_INDEXES:
        conn.execute(f"DROP INDEX {index}".encode())
    # The counters are stated above: the ledger's trigger must not move them again (a bulk load,
    # allowed to the owner and a superuser only).
    conn.execute("SET invdesk.load_ledger = 'on'")
    conn.execute(LEDGER_SQL.format(products=PRODUCTS, last=rows - 1).encode())
    conn.execute("VACUUM ANALYZE movement")


def bench_sqlite(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/bench.db"
        db = Database.open(f"sqlite:///{path}")
        try:
            migrate.upgrade(db)
            print(f"SQLite, {rows:,} ledger rows")
            timed("load (recursive CTE)", rows, lambda: _load_sqlite(path, rows))
            made = timed("seal (Python)", rows, lambda: seals.seal(db, ACTOR))
            print(f"  {made} seals")
            check(db, rows)
        finally:
            db.dispose()


def _load_sqlite(path: str, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        load_catalog(conn.execute, rows)
        conn.execute(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
            "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
            'balance_after, unit_cost, reference, reason, "user", at, request_id) '
            "SELECT 'receive', i % ? + 1, 1, 1, 0, 1, i / ? + 1, 10000, 'PO-' || i, NULL, "
            "'bench', printf('%s.%06d', datetime('2026-01-01', (i / 1000) || ' seconds'), "
            "(i % 1000) * 1000), 'bench' FROM s",
            (rows - 1, PRODUCTS, PRODUCTS),
        )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    if args.only in (None, "postgresql"):
        bench_postgresql(args.rows)
    if args.only in (None, "sqlite"):
        bench_sqlite(args.rows)


if __name__ == "__main__":
    main()
