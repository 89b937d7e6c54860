"""Reorder suggestions with on-order at scale on PostgreSQL (issue 12's performance target).

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_reorder.py [--products 1000000] [--po-lines 100000] [--keep URL]

It creates a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it with Alembic and seeds it server-side
(INSERT ... SELECT generate_series): two warehouses with a stock row for every product in each,
restock policies of all three kinds at warehouse, category and product scope, 90 days of sales
for the days-of-cover rows, preferred suppliers with lead times, `--po-lines` open PO lines and a
few overdue holds. Then it times, against the targets:

* the Reorder page's first page (`reorder.suggestion_page`, 100 rows; all warehouses and one),
* `reorder.suggestions` for one warehouse (the service under `reorder --json -w W01`),
* `invdesk reorder --json -w W01` as a user runs it (a new process, output to /dev/null),
* with --reference, the row-by-row reference (every stock row through
  `policy_lookup.thresholds` in Python, as `suggestions` worked before) for the same warehouse,
  and checks both give the same answer.

The scratch database is dropped at the end unless --keep-db; `--url` reuses a kept one.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PAGE_TARGET_S = 1.0
WAREHOUSE_TARGET_S = 5.0


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def seed(url: str, products: int, po_lines: int) -> None:
    """Fill a migrated database server-side, foreign-key triggers off, then analyze."""
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        run = conn.execute
        run("SET session_replication_role = replica")
        run("SET maintenance_work_mem = '512MB'")
        t = time.perf_counter()
        run("INSERT INTO warehouse (code, name, active, version) VALUES "
            "('W01', 'Main', true, 1), ('W02', 'Shop', true, 1)")  # fmt: skip
        run(
            "INSERT INTO product (sku, name, category_id, unit, price, cost, active, version, "
            "created_at, updated_at) "
            "SELECT 'SKU-' || lpad(i::text, 8, '0'), 'Product number ' || i, "
            "(SELECT min(id) FROM category) + i %% 6, 'each', 1000, 500, i %% 50 <> 0, 1, "
            "now(), now() FROM generate_series(1, %s) i",
            (products,),
        )
        # Stock everywhere; roughly one row in eight sits low for its policy.
        run(
            "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) "
            "SELECT p.id, w.id, (p.id * 7 + w.id * 13) % 160, "
            "CASE WHEN p.id % 11 = 0 AND (p.id * 7 + w.id * 13) % 160 >= 2 THEN 2 ELSE 0 END, 5000 "
            "FROM product p CROSS JOIN warehouse w"
        )
        print(f"  products and stock rows: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        # Warehouse defaults: W01 reorder point, W02 min/max. Categories: days of cover in both
        # (different lookbacks), min/max in W01. Products: 20,000 overrides of every kind.
        run(
            _policy_sql(
                "SELECT w.id, 'warehouse', 'warehouse', NULL::bigint, NULL::bigint, k, pt, q, lv, 0, 0, 0 "
                "FROM warehouse w, (VALUES ('W01', 'reorder_point', 20, 60, 0), "
                "('W02', 'min_max', 15, 0, 90)) v(code, k, pt, q, lv) WHERE w.code = v.code"
            )
        )
        run(
            _policy_sql(
                "SELECT w.id, 'category', 'category:' || c.id, NULL::bigint, c.id, "
                "'days_of_cover', 0, 0, 0, 14, CASE WHEN w.code = 'W01' THEN 30 ELSE 60 END, 28 "
                "FROM warehouse w, category c WHERE c.id = (SELECT min(id) FROM category)"
            )
        )
        run(
            _policy_sql(
                "SELECT w.id, 'category', 'category:' || c.id, NULL::bigint, c.id, "
                "'min_max', 25, 0, 120, 0, 0, 0 FROM warehouse w, category c "
                "WHERE w.code = 'W01' AND c.id = (SELECT min(id) FROM category) + 1"
            )
        )
        run(_policy_sql("SELECT w.id, 'product', 'product:' || p.id, p.id, NULL::bigint, "
            "(ARRAY['reorder_point', 'min_max', 'days_of_cover'])[1 + p.id % 3], "
            "10 + p.id % 30, 40, 150, 7 + p.id % 5, (ARRAY[14, 30, 45])[1 + p.id % 3], 35 "
            "FROM product p, warehouse w WHERE p.id % 50 = 7"))  # fmt: skip
        print(f"  restock policies: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        run('INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('bench-seed', 'issue', 'x', 'bench', now())")  # fmt: skip
        for name in ("ix_movement_product_warehouse", "ix_movement_warehouse_id",
                     "ix_movement_at", "ix_movement_request_id"):  # fmt: skip
            run(f"DROP INDEX IF EXISTS {name}")
        # 90 days of sales: four issues per stock row of the days-of-cover categories and
        # product policies, one per row elsewhere (history the other kinds ignore).
        run(
            "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
            'balance_after, unit_cost, "user", at, request_id) '
            "SELECT 'issue', s.product_id, s.warehouse_id, -u, 0, u, 0, 5000, 'bench', "
            "now() - make_interval(secs => (s.product_id * 7919 + n * 104729) % 7776000), "
            "'bench-seed' FROM stock_level s "
            "JOIN product p ON p.id = s.product_id, "
            "generate_series(1, 4) n, LATERAL (SELECT 1 + (s.product_id + n) % 9 AS u) x "
            "WHERE n = 1 OR p.category_id = (SELECT min(id) FROM category) OR p.id % 50 = 7"
        )
        run("SET max_parallel_maintenance_workers = 2")
        run("CREATE INDEX ix_movement_product_warehouse ON movement (product_id, warehouse_id, id)")
        run("CREATE INDEX ix_movement_warehouse_id ON movement (warehouse_id, id)")
        run("CREATE INDEX ix_movement_at ON movement (at)")
        run("CREATE INDEX ix_movement_request_id ON movement (request_id)")
        print(f"  sales history: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        run("INSERT INTO supplier (code, name, lead_days, active, version) "
            "SELECT 'SUP' || i, 'Supplier ' || i, 3 + i % 20, true, 1 "
            "FROM generate_series(1, 50) i")  # fmt: skip
        run(
            "INSERT INTO supplier_product (supplier_id, product_id, supplier_sku, price, "
            "pack_size, min_qty, lead_days, preferred, version) "
            "SELECT (SELECT min(id) FROM supplier) + p.id % 50, p.id, 'S-' || p.id, 60000, "
            "6, 12, CASE WHEN p.id % 4 = 0 THEN 30 END, true, 1 FROM product p WHERE p.id % 2 = 0"
        )
        per_po = 50
        run(
            "INSERT INTO purchase_order (number, supplier_id, warehouse_id, status, expected, "
            "created_by, created_at, sent_at, updated_at, version) "
            "SELECT 'PO-' || lpad(i::text, 6, '0'), (SELECT min(id) FROM supplier) + i %% 50, "
            "(SELECT min(id) FROM warehouse) + i %% 2, "
            "CASE WHEN i %% 5 = 0 THEN 'partial' ELSE 'sent' END, current_date + 7, 'bench', "
            "now(), now(), now(), 1 FROM generate_series(1, %s) i",
            (po_lines // per_po,),
        )
        run(
            "INSERT INTO purchase_order_line (order_id, line_no, product_id, ordered, pack_size, "
            "unit_price, received) "
            "SELECT o.id, n, 1 + (o.id * 9973 + n * 19997) %% %s, 24, 6, 10000, "
            "CASE WHEN o.status = 'partial' AND n %% 2 = 0 THEN 12 ELSE 0 END "
            "FROM purchase_order o, generate_series(1, %s) n",
            (products, per_po),
        )
        run('INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "SELECT 'bench-hold-' || i, 'reserve', 'x', 'bench', now() "
            "FROM generate_series(1, 20) i")  # fmt: skip
        run(
            'INSERT INTO reservation (product_id, warehouse_id, qty, status, "user", '
            "created_at, expires_at, request_id) "
            "SELECT s.product_id, s.warehouse_id, 1, 'active', 'bench', now() - interval '2 h', "
            "now() - interval '1 h', 'bench-hold-' || row_number() OVER () FROM stock_level s "
            "WHERE s.reserved > 0 LIMIT 20"
        )
        run("VACUUM ANALYZE")
        print(f"  suppliers, POs, holds, analyze: {time.perf_counter() - t:.1f} s", flush=True)


_POLICY = (
    "INSERT INTO restock_policy (warehouse_id, scope, scope_key, product_id, category_id, kind, "
    "point, qty, level, cover_days, lookback_days, target_days, updated_by, updated_at, "
    "version) SELECT *, 'bench', now(), 1 FROM ("
)


def _policy_sql(select_sql: str) -> str:
    return _POLICY + select_sql + ") x"


def cpu_seconds() -> float:
    """User + system time of this process and its finished children (the CLI run)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, fn, *args, target: float | None = None, **kwargs):  # type: ignore[no-untyped-def]
    c, t = cpu_seconds(), time.perf_counter()
    result = fn(*args, **kwargs)
    seconds, cpu = time.perf_counter() - t, cpu_seconds() - c
    verdict = "" if target is None else f"  target < {target:g} s: {seconds / target:.2f}x of it"
    print(f"  {label:<52} {seconds:7.2f} s (client CPU {cpu:5.2f} s){verdict}", flush=True)
    return result, seconds


def measure(url: str, reference: bool) -> None:
    from invdesk.db.engine import Database
    from invdesk.domain.security import Actor, Role
    from invdesk.services.reads import reorder
    from tests.reorder_reference import reference_suggestions

    actor = Actor("bench", Role.MANAGER)
    db = Database.open(url)
    print(f"\nLoad average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
    try:
        print("\nReorder page, first page (100 rows):", flush=True)
        for label, code in (("all warehouses", None), ("warehouse W01", "W01")):
            for attempt in ("cold", "warm"):
                page, _ = timed(f"suggestion_page, {label}, {attempt}", reorder.suggestion_page,
                                db, actor, code, target=PAGE_TARGET_S)  # fmt: skip
        print(f"    ({len(page.rows)} suggestions, more: {page.after is not None})")
        print("\nOne warehouse's whole list:", flush=True)
        new, _ = timed("reorder.suggestions(W01)", reorder.suggestions, db, actor, "W01",
                       target=WAREHOUSE_TARGET_S)  # fmt: skip
        print(f"    ({len(new):,} suggestions)")
        env = dict(os.environ, INVDESK_DATABASE_URL=url)
        cmd = [sys.executable, "-m", "invdesk", "reorder", "--json", "-w", "W01"]
        timed("invdesk reorder --json -w W01 (new process)", subprocess.run, cmd, env=env,
              check=True, stdout=subprocess.DEVNULL, target=WAREHOUSE_TARGET_S)  # fmt: skip
        if reference:
            old, _ = timed("row-by-row reference for W01 (policy_lookup, Python)",
                                 reference_suggestions, db, actor, "W01")  # fmt: skip
            print(f"\n  same answer as the row-by-row reference: {new == old}"
                  f" ({len(new):,} vs {len(old):,}); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--po-lines", type=int, default=100_000)
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    parser.add_argument("--url", help="measure a database kept by an earlier --keep-db run")
    parser.add_argument("--reference", action="store_true",
                        help="also time the row-by-row reference and compare (minutes)")  # fmt: skip
    args = parser.parse_args()
    if args.url:
        measure(args.url, args.reference)
        return 0
    server = os.environ.get("INVDESK_BENCH_DATABASE_URL", DEFAULT_URL)
    name = f"invdesk_bench_reorder_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(psycopg_url(server), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        from invdesk.db import migrate
        from invdesk.db.engine import Database

        db = Database.open(url)
        migrate.upgrade(db)
        db.dispose()
        print(f"Seeding {args.products:,} products in 2 warehouses, {args.po_lines:,} open PO "
              f"lines in {name}", flush=True)  # fmt: skip
        t = time.perf_counter()
        seed(url, args.products, args.po_lines)
        print(f"Seeded in {time.perf_counter() - t:.0f} s", flush=True)
        if args.keep_db:
            print(f"Kept (measure again with --url): {url}", flush=True)
        measure(url, args.reference)
    finally:
        if not args.keep_db:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
