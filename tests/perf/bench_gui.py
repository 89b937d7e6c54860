"""The desktop tables with 1,000,000 products: first page, search latency, jump to the last row.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_gui.py [--products N] [--only sqlite|postgresql]

For SQLite (a file in a temporary directory) and PostgreSQL (a scratch database on the server named
by INVDESK_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres, dropped at the
end) it builds the schema with the migrations, bulk-loads N products with one EAN-13 barcode each
(driver bulk inserts / COPY, not the services), then prints:

* first page: from constructing the main window (opening on the Products page) to the first page
  of products on screen (count + first page read off the GUI thread, then painted);
* search by SKU and by barcode: what the products table does for a search (count + first page),
  median and p99 of 100 searches for random existing codes;
* sort by name and jump to the last row: reloading sorted by name, then reading the last row.

Targets (issue 3): first page < 1 s, search p99 < 50 ms, no step that grows with the catalogue.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.barcodes import gtin_check_digit
from invdesk.domain.browse import PageRequest, ProductQuery, ProductSort
from invdesk.domain.security import Actor, Role
from invdesk.services.reads import browse

ACTOR = Actor("bench", Role.ADMIN)
WORDS = [
    "cable",
    "drill",
    "hoodie",
    "socks",
    "tape",
    "cutter",
    "lamp",
    "kettle",
    "marker",
    "paper",
    "stapler",
    "jacket",
    "wrench",
    "pliers",
    "battery",
    "charger",
    "adapter",
    "monitor",
    "keyboard",
    "mouse",
    "bottle",
    "towel",
    "glove",
    "helmet",
    "bolt",
    "screw",
    "nut",
]
SIZES = ("S", "M", "L", "XL", "10 mm", "20 mm", "2 m", "5 m", "black", "white", "blue", "red")


def sku(i: int) -> str:
    return f"SKU-{i:07d}"


def barcode(i: int) -> str:
    body = f"20{i:010d}"
    return body + str(gtin_check_digit(body))


def rows(n: int, seed: int = 1) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    for i in range(1, n + 1):
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {rng.choice(SIZES)} {i}"
        price = rng.randrange(100, 10_000) * 100
        yield (i, sku(i), name, rng.randint(1, 6), "each", price, price // 2, True, 1, now, now)


COLUMNS = "id, sku, name, category_id, unit, price, cost, active, version, created_at, updated_at"


def load_sqlite(path: str, n: int) -> None:
    sqlite3.register_adapter(datetime, lambda value: value.isoformat(" "))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        conn.executemany(f"INSERT INTO product ({COLUMNS}) VALUES ({','.join('?' * 11)})", rows(n))
        conn.executemany(
            "INSERT INTO barcode (code, product_id, pack_qty) VALUES (?, ?, 1)",
            ((barcode(i), i) for i in range(1, n + 1)),
        )
    conn.execute("ANALYZE")
    conn.close()


def load_postgresql(url: str, n: int) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY product ({COLUMNS}) FROM STDIN") as copy:
            for row in rows(n):
                copy.write_row(row)
        with cur.copy("COPY barcode (code, product_id, pack_qty) FROM STDIN") as copy:
            for i in range(1, n + 1):
                copy.write_row((barcode(i), i, 1))
        cur.execute("SELECT setval('product_id_seq', %s)", (n,))
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE product")
        cur.execute("VACUUM ANALYZE barcode")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(name: str, db: Database, n: int, tmp: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from invdesk.ui import background
    from invdesk.ui.launch import make_app
    from invdesk.ui.main_window import MainWindow
    from invdesk.ui.models.products import Column, ProductTableModel
    from invdesk.ui.pages.products import ProductsPage

    make_app(offscreen=True)
    settings = QSettings(f"{tmp}/{name}.ini", QSettings.Format.IniFormat)
    settings.setValue("window/page", "Products")

    def first_page() -> tuple[float, float]:
        start = time.perf_counter()
        window = MainWindow(db, ACTOR, settings=settings)
        window.show()
        page = window.current_page()
        assert isinstance(page, ProductsPage)
        counted: list[float] = []
        page.model.loaded.connect(lambda _n: counted.append(time.perf_counter() - start))
        while page.model.rowCount() == 0:
            QApplication.processEvents()
            time.sleep(0.001)
        page.table.viewport().repaint()
        shown = time.perf_counter() - start
        while not counted:
            QApplication.processEvents()
            time.sleep(0.001)
        assert page.model.rowCount() == n, page.model.rowCount()
        window.close()
        background.default().wait()
        return shown, counted[0]

    # The first window in a process also pays Qt's one-off start-up (fonts, styles, icons).
    (cold, _), (warm, count_done) = first_page(), first_page()

    model = ProductTableModel(db, ACTOR)  # synchronous: the work the table does per search
    rng = random.Random(7)
    picks = [rng.randint(1, n) for _ in range(100)]
    results = {}
    for label, code in (("SKU", sku), ("barcode", barcode)):
        times = []
        for i in picks:
            search = ProductQuery(search=code(i))
            times.append(timed(lambda search=search: model.set_query(search)))
            assert model.rowCount() == 1 and model.row_at(0).sku == sku(i)
        times.sort()
        results[label] = (statistics.median(times), times[98])
    by_name = ProductQuery(sort=ProductSort.NAME)
    sort = timed(lambda: browse.product_page(db, ACTOR, by_name, PageRequest(limit=100)))
    count = timed(lambda: browse.count_products(db, ACTOR, by_name))
    model.set_query(by_name)
    jump = timed(lambda: model.index(n - 1, Column.NAME).data())
    last = model.row_at(n - 1)
    print(f"\n{name}: {n:,} products")
    print(
        f"  window start to first page shown   {ms(warm)}   (first window of the process {ms(cold)})"
    )
    for label, (median, p99) in results.items():
        print(f"  search by {label:<8} median {ms(median)}   p99 {ms(p99)}")
    print(
        f"  count of all rows (after the page) {ms(count)}   (all counted {ms(count_done)} after start)"
    )
    print(f"  sort by name: first page           {ms(sort)}")
    print(f"  jump to the last row by name       {ms(jump)}   ({last.name!r})")


def bench_sqlite(n: int, keep: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or f"{tmp}/bench.db"
        loaded = Path(path).exists()
        db = Database.open(f"sqlite:///{path}")
        try:
            if not loaded:
                migrate.upgrade(db)
                start = time.perf_counter()
                load_sqlite(path, n)
                print(f"SQLite: loaded {n:,} products in {time.perf_counter() - start:.1f} s")
            measure("SQLite", db, n, tmp)
        finally:
            db.dispose()


def bench_postgresql(n: int) -> None:
    server = os.environ.get(
        "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"invdesk_bench_{uuid.uuid4().hex[:8]}"
    admin_url = make_url(server).set(drivername="postgresql")
    admin = psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    db = Database.open(url)
    try:
        migrate.upgrade(db)
        start = time.perf_counter()
        load_postgresql(make_url(url).set(drivername="postgresql").render_as_string(False), n)
        print(f"PostgreSQL: loaded {n:,} products in {time.perf_counter() - start:.1f} s")
        with tempfile.TemporaryDirectory() as tmp:
            measure("PostgreSQL", db, n, tmp)
    finally:
        db.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--sqlite-file", help="keep the loaded SQLite file here (reused if present)"
    )
    args = parser.parse_args()
    if args.only in (None, "sqlite"):
        bench_sqlite(args.products, args.sqlite_file)
    if args.only in (None, "postgresql"):
        bench_postgresql(args.products)
    return None


if __name__ == "__main__":
    sys.exit(main())
