"""FEFO pick latency at 1,000,000 quants on PostgreSQL (issue 13: p99 under 10 ms).

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_fefo.py [--products 100000] [--lots 10] [--picks 2000]

A scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres) gets `products` lot-tracked products in one
warehouse, each with `lots` lots of staggered expiry (products x lots quants, 1,000,000 by
default), loaded in bulk by SQL. Then, from one client, `picks` one-line issues of one unit of a
random product run through the service (`operations.issue`: look-ups, counter lock, the FEFO read
of the product's quants, the ledger row whose trigger moves counter and quant, the commit), each
timed; and the same number of bare FEFO reads (`quants.pick` inside a read transaction) to show
what the pick itself costs. Prints p50/p90/p99/max of both; the database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import psycopg

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import Actor
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.catalog.lookup import product_ref, warehouse_ref
from invdesk.services.stock import ledger, operations, quants

SERVER = os.environ.get(
    "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
NAME = "invdesk_bench_fefo"

LOAD = """
INSERT INTO warehouse (code, name, active, version, expiry_warning_days) VALUES ('MAIN', 'Main', TRUE, 1, 30);
INSERT INTO product (sku, name, category_id, unit, price, cost, active, version, created_at,
                     updated_at, tracking)
SELECT 'L' || n, 'Lot product ' || n, (SELECT min(id) FROM category), 'each', 20000, 10000, TRUE, 1,
       now(), now(), 'lot'
FROM generate_series(1, %(products)s) AS n;
INSERT INTO lot (product_id, number, serial, expiry, created_at, created_by)
SELECT p.id, 'LOT' || k, FALSE, DATE '2099-01-01' + (k * 7 + p.id %% 5)::int, now(), 'bench'
FROM product p CROSS JOIN generate_series(1, %(lots)s) AS k;
INSERT INTO quant (product_id, warehouse_id, location_id, lot_id, on_hand)
SELECT l.product_id, (SELECT id FROM warehouse), NULL, l.id, 100 FROM lot l;
INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost)
SELECT p.id, (SELECT id FROM warehouse), 100 * %(lots)s, 0, 10000 FROM product p
"""


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return (
        f"p50 {at(0.5):.2f} ms, p90 {at(0.9):.2f} ms, p99 {at(0.99):.2f} ms, "
        f"max {1000 * ordered[-1]:.2f} ms, mean {1000 * statistics.fmean(ordered):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--lots", type=int, default=10)
    parser.add_argument("--picks", type=int, default=2000)
    args = parser.parse_args()
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {NAME}")
    url = SERVER.rsplit("/", 1)[0] + f"/{NAME}"
    try:
        with Database.open(url) as db:
            migrate.upgrade(db)
            started = time.perf_counter()
            with db.engine.begin() as conn:
                for statement in LOAD.split(";\n"):
                    if statement.strip():
                        conn.exec_driver_sql(
                            statement, {"products": args.products, "lots": args.lots}
                        )
                conn.exec_driver_sql("ANALYZE")
            total = args.products * args.lots
            print(f"loaded {total:,} quants in {time.perf_counter() - started:.1f} s")
            rng = random.Random(1)
            actor = Actor("bench")
            reads: list[float] = []
            with db.read() as conn:
                warehouse = warehouse_ref(conn, "MAIN")
                for _ in range(args.picks):
                    product = product_ref(conn, f"L{rng.randint(1, args.products)}")
                    op = ledger.Op(conn, actor, db.now(), "bench")
                    began = time.perf_counter()
                    quants.pick(op, product, warehouse, 150)
                    reads.append(time.perf_counter() - began)
            issues: list[float] = []
            for _ in range(args.picks):
                sku = f"L{rng.randint(1, args.products)}"
                began = time.perf_counter()
                operations.issue(db, IssueStock("MAIN", (Line(sku, 1),)), actor)
                issues.append(time.perf_counter() - began)
            print(f"FEFO read of one product's quants (150 units, two lots): {percentiles(reads)}")
            print(f"one-line issue by FEFO, whole transaction:           {percentiles(issues)}")
            print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
