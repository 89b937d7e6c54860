"""Report and chart benchmark on PostgreSQL at design scale (DESIGN.md section 7).

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_reports.py [--products 1000000] [--movements 10000000]

It creates a scratch database on the server named by INVDESK_BENCH_DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), seeds it server-side with generate_series (products
spread over 20 warehouses, one stock row each, `--movements` ledger rows, and one product with three
years of daily movements in four warehouses for the chart), then, each in its own process so that
peak RSS is that of the writer alone:

* invdesk: `invdesk.reports.runner.generate(..., "valuation", ...)`: the styled, streamed stock
  valuation report (two sheets; the detail sheet has one row per stock row),
* openpyxl: the same detail rows (same SQL, server-side cursor) with openpyxl write-only, plain values,
* xlsxwriter: the same rows with xlsxwriter's constant_memory mode, plain values,

and prints rows, seconds, rows/s and peak RSS of each. Then it times the product chart: the series
query, building the widget, first render, and 60 pan steps (offscreen Qt), plus a 1,000,000-point
line. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
VALUATION_SQL = """
SELECT w.code, p.sku, p.name, c.name, p.unit, s.on_hand, s.reserved, s.on_hand - s.reserved,
       s.avg_cost / 10000.0, s.on_hand * s.avg_cost / 10000.0
FROM stock_level s JOIN product p ON p.id = s.product_id
JOIN warehouse w ON w.id = s.warehouse_id JOIN category c ON c.id = p.category_id
WHERE s.on_hand > 0 ORDER BY w.code, p.sku
"""
CHART_SKU = "CHART-3Y"
CHART_DAYS = 3 * 365


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system time of this process: what the writer itself cost, whatever else runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def seed(url: str, products: int, movements: int) -> None:
    """Fill a migrated database server-side; foreign-key triggers off and ledger indexes rebuilt
    after the load, as a bulk load would."""
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        run = conn.execute
        run("SET session_replication_role = replica")
        run("SET maintenance_work_mem = '512MB'")
        t = time.perf_counter()
        run(
            "INSERT INTO warehouse (code, name, active, version) "
            "SELECT 'W' || lpad(i::text, 2, '0'), 'Warehouse ' || i, true, 1 "
            "FROM generate_series(1, 20) i"
        )
        run(
            "INSERT INTO product (sku, name, category_id, unit, price, cost, active, version, "
            "created_at, updated_at) "
            "SELECT 'SKU-' || lpad(i::text, 8, '0'), 'Product number ' || i || ' (bench)', "
            "(SELECT min(id) FROM category) + i %% 6, 'each', (500 + i %% 9000) * 100, "
            "(200 + i %% 5000) * 100, true, 1, now(), now() FROM generate_series(1, %s) i",
            (products,),
        )
        run(
            "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) "
            "SELECT p.id, 1 + p.id % 20, 3 + p.id % 997, p.id % 3, (150 + p.id % 4000) * 100 "
            "FROM product p"
        )
        print(f"  catalogue and stock rows: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        run(
            'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) '
            "VALUES ('bench-seed', 'receive', 'x', 'bench', now())"
        )
        for name in ("ix_movement_product_warehouse", "ix_movement_warehouse_id", "ix_movement_at",
                     "ix_movement_request_id"):  # fmt: skip
            run(f"DROP INDEX IF EXISTS {name}")
        chunk = 2_000_000
        for start in range(0, movements, chunk):
            n = min(chunk, movements - start)
            run(
                "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
                'balance_after, unit_cost, "user", at, request_id) '
                "SELECT CASE WHEN i %% 4 = 0 THEN 'receive' ELSE 'issue' END, "
                "1 + (i * 7919) %% %(p)s, 1 + ((i * 7919) %% %(p)s + 1) %% 20, "
                "CASE WHEN i %% 4 = 0 THEN 12 ELSE -4 END, 0, "
                "CASE WHEN i %% 4 = 0 THEN 12 ELSE 4 END, i %% 500, 25000, 'bench', "
                "now() - interval '3 years' + (i::double precision / %(m)s) * interval '3 years', "
                "'bench-seed' FROM generate_series(%(a)s::bigint, %(b)s::bigint) i",
                {"p": products, "m": movements, "a": start + 1, "b": start + n},
            )
            print(f"  ledger rows: {start + n:,}  ({time.perf_counter() - t:.0f} s)", flush=True)
        _chart_product(run)
        t = time.perf_counter()
        run("SET max_parallel_maintenance_workers = 2")
        run("CREATE INDEX ix_movement_product_warehouse ON movement (product_id, warehouse_id, id)")
        run("CREATE INDEX ix_movement_warehouse_id ON movement (warehouse_id, id)")
        run("CREATE INDEX ix_movement_at ON movement (at)")
        run("CREATE INDEX ix_movement_request_id ON movement (request_id)")
        run("VACUUM ANALYZE")
        print(f"  ledger indexes and analyze: {time.perf_counter() - t:.1f} s", flush=True)


def _chart_product(run: Any) -> None:
    """One product with three years of daily sales and weekly receipts in four warehouses."""
    run(
        "INSERT INTO product (sku, name, category_id, unit, price, cost, active, version, "
        "created_at, updated_at) SELECT %s, 'Chart product', min(id), 'each', 10000, 5000, true, "
        "1, now(), now() FROM category",
        (CHART_SKU,),
    )
    run(
        "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, "
        'balance_after, unit_cost, "user", at, request_id) '
        "SELECT CASE WHEN d %% 7 = 0 THEN 'receive' ELSE 'issue' END, p.id, w, "
        "CASE WHEN d %% 7 = 0 THEN 70 ELSE -10 END, 0, CASE WHEN d %% 7 = 0 THEN 70 ELSE 10 END, "
        "100 + 70 - 10 * (d %% 7) + (d %% 5), 5000, 'bench', "
        "now() - make_interval(days => %s - d) + make_interval(hours => w), 'bench-seed' "
        "FROM product p, generate_series(0, %s) d, generate_series(1, 4) w WHERE p.sku = %s "
        "ORDER BY d, w",
        (CHART_DAYS, CHART_DAYS - 1, CHART_SKU),
    )


# --- writers, each run in a fresh process ------------------------------------------------------


def run_invdesk(url: str, path: str, out: Any) -> None:
    from invdesk.domain.security import Actor, Role
    from invdesk.reports import runner
    from invdesk.services.system.database import open_database

    db = open_database(url)
    c0, t = cpu_seconds(), time.perf_counter()
    result = runner.generate(db, Actor("bench", Role.MANAGER), "valuation", path)
    seconds = time.perf_counter() - t
    db.dispose()
    out.put(("invdesk (styled, 2 sheets)", result.rows, seconds, peak_rss_mb(), cpu_seconds() - c0))


def _rows(url: str) -> Any:
    conn = psycopg.connect(psycopg_url(url))
    with conn.transaction(), conn.cursor(name="bench") as cursor:
        cursor.itersize = 5000
        cursor.execute(VALUATION_SQL)
        yield from cursor
    conn.close()


def run_openpyxl(url: str, path: str, out: Any) -> None:
    from openpyxl import Workbook

    c0, t = cpu_seconds(), time.perf_counter()
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Stock on hand")
    ws.append(["Warehouse", "SKU", "Product", "Category", "Unit", "On hand", "Reserved",
               "Available", "Avg cost", "Value"])  # fmt: skip
    n = 0
    for row in _rows(url):
        ws.append([*row[:8], float(row[8]), float(row[9])])
        n += 1
    workbook.save(path)
    out.put(("openpyxl write-only", n, time.perf_counter() - t, peak_rss_mb(), cpu_seconds() - c0))


def run_xlsxwriter(url: str, path: str, out: Any) -> None:
    import xlsxwriter

    c0, t = cpu_seconds(), time.perf_counter()
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = workbook.add_worksheet("Stock on hand")
    ws.write_row(0, 0, ["Warehouse", "SKU", "Product", "Category", "Unit", "On hand",
                        "Reserved", "Available", "Avg cost", "Value"])  # fmt: skip
    n = 0
    for n, row in enumerate(_rows(url), start=1):
        ws.write_row(n, 0, [*row[:8], float(row[8]), float(row[9])])
    workbook.close()
    out.put(
        (
            "xlsxwriter constant_memory",
            n,
            time.perf_counter() - t,
            peak_rss_mb(),
            cpu_seconds() - c0,
        )
    )


def in_process(target: Any, url: str, path: str) -> tuple[Any, ...]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=target, args=(url, path, out))
    proc.start()
    result = out.get()
    proc.join()
    return tuple(result)


# --- chart --------------------------------------------------------------------------------------


def run_chart(url: str, _path: str, out: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from invdesk.domain.security import Actor
    from invdesk.reports.series import product_series
    from invdesk.services.system.database import open_database
    from invdesk.ui.charts.product_chart import ProductChartWidget
    from invdesk.ui.charts.time_plot import TimePlot

    app = QApplication.instance() or QApplication([])
    db = open_database(url)
    actor = Actor("bench")
    figures: dict[str, float] = {}
    t = time.perf_counter()
    series = product_series(db, actor, CHART_SKU)
    figures["series query + forecast (ms)"] = (time.perf_counter() - t) * 1000
    points = sum(len(line.x) for line in series.levels)
    t = time.perf_counter()
    widget = ProductChartWidget(db, actor, CHART_SKU)
    widget.resize(1200, 800)
    widget.show()
    app.processEvents()
    widget.grab()
    figures["widget built and first render (ms)"] = (time.perf_counter() - t) * 1000
    view = widget.levels.getPlotItem().getViewBox()
    (x0, x1), _ = view.viewRange()
    span = (x1 - x0) / 4
    view.setXRange(x0, x0 + span, padding=0)
    app.processEvents()
    frames = []
    for i in range(60):
        start = x0 + (x1 - x0 - span) * i / 59
        t = time.perf_counter()
        view.setXRange(start, start + span, padding=0)
        app.processEvents()  # both linked plots repaint, as when dragging
        widget.levels.repaint()
        frames.append((time.perf_counter() - t) * 1000)
    frames.sort()
    figures["pan step p50 (ms)"] = frames[len(frames) // 2]
    figures["pan step p95 (ms)"] = frames[int(len(frames) * 0.95) - 1]
    figures["pan step max (ms)"] = frames[-1]
    widget.close()
    plot = TimePlot("1M points")
    plot.resize(1200, 600)
    plot.show()
    xs = np.arange(1_000_000, dtype=float) * 60 + 1.6e9
    ys = np.cumsum(np.random.default_rng(1).normal(size=1_000_000))
    t = time.perf_counter()
    plot.line("1M", xs, ys)
    app.processEvents()
    plot.repaint()
    figures["1,000,000-point line first render (ms)"] = (time.perf_counter() - t) * 1000
    plot.close()
    db.dispose()
    del pg
    out.put(("chart", points, figures, peak_rss_mb()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--movements", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    server = os.environ.get("INVDESK_BENCH_DATABASE_URL", DEFAULT_URL)
    name = f"invdesk_bench_reports_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(psycopg_url(server), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        from invdesk.db import migrate
        from invdesk.db.engine import Database

        db = Database.open(url)
        migrate.upgrade(db)
        db.dispose()
        print(f"Seeding {args.products:,} products, {args.movements:,} ledger rows in {name}",
              flush=True)  # fmt: skip
        t = time.perf_counter()
        seed(url, args.products, args.movements)
        print(f"Seeded in {time.perf_counter() - t:.0f} s\n", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            results = {}
            for label, target in (
                ("invdesk", run_invdesk),
                ("xlsxwriter", run_xlsxwriter),
                ("openpyxl", run_openpyxl),
            ):
                path = str(Path(folder) / f"{label}.xlsx")
                what, rows, seconds, rss, cpu = in_process(target, url, path)
                size = Path(path).stat().st_size / 1e6
                results[label] = (rows, seconds, rss, cpu)
                print(f"{what:<28} {rows:>10,} rows {seconds:7.1f} s {rows / seconds:8,.0f} rows/s"
                      f"  client CPU {cpu:6.1f} s ({rows / cpu:7,.0f} rows/CPU-s)"
                      f"  peak RSS {rss:5.0f} MB  file {size:5.1f} MB", flush=True)  # fmt: skip
            ours, base = results["invdesk"], results["xlsxwriter"]
            wall = (ours[0] / ours[1]) / (base[0] / base[1])
            cpu_ratio = (ours[0] / ours[3]) / (base[0] / base[3])
            print(f"\ninvdesk / xlsxwriter: {wall:.2f}x rows/s wall clock, {cpu_ratio:.2f}x rows per "
                  f"client CPU-second (target >= 0.80x); invdesk peak RSS {ours[2]:.0f} MB "
                  f"(target < 500 MB); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
            _, points, figures, rss = in_process(run_chart, url, "")
            print(f"\nChart of {CHART_SKU}: {points:,} stock-level points over "
                  f"{CHART_DAYS} days in 4 warehouses (offscreen Qt)")  # fmt: skip
            for key, value in figures.items():
                print(f"  {key:<42} {value:8.1f}")
    finally:
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
