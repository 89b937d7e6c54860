"""Receiving a 200-line purchase order, on SQLite and PostgreSQL: the service's posting time.

Run from the repository root (not collected by pytest; it has no test functions):

    uv run python tests/perf/bench_po_receive.py [--lines 200] [--rounds 5] [--only sqlite|postgresql]

For SQLite (a WAL file in a temporary directory) and PostgreSQL (a scratch database on the server
named by INVDESK_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres, dropped
at the end) it makes N products, one supplier selling all of them, and per round a sent PO of N
lines, then books the whole delivery with one `receive_po` (the scanner dialog's post: one
transaction with N ledger rows, N PO lines updated, N receipt rows). It prints the median and the
worst post against the 1 s target (ratio target / measured: above 1 is within it) and checks the
ledger with `verify`. The per-scan side is measured by tests/perf/bench_po_scan.py.
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
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain import purchasing as p
from invdesk.domain.catalog import CreateProduct
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import Line
from invdesk.services.catalog import products, suppliers, warehouses
from invdesk.services.purchasing import orders, receiving
from invdesk.services.trust import verify

BOSS = Actor("bench", Role.ADMIN)
TARGET = 1.0


def run(db: Database, label: str, size: int, rounds: int) -> None:
    warehouses.create_warehouse(db, "MAIN", "Main", BOSS)
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme"), BOSS)
    skus = [f"P-{i:05d}" for i in range(size)]
    for sku in skus:
        products.create_product(db, CreateProduct(sku, f"Product {sku}", "Tools"), BOSS)
        suppliers.link_supplier(db, p.LinkSupplier("ACME", sku, price="12.00", pack_size=6), BOSS)
    timings = []
    for _ in range(rounds):
        lines = tuple(p.OrderLine(sku, 12) for sku in skus)
        po = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", lines), BOSS)
        orders.send_po(db, po.number, BOSS)
        delivery = tuple(Line(sku, 12) for sku in skus)
        started = time.perf_counter()
        done = receiving.receive_po(db, p.ReceivePurchase(po.number, delivery), BOSS)
        timings.append(time.perf_counter() - started)
        assert done.order.status is p.POStatus.RECEIVED and len(done.movements) == size
    assert verify.verify(db, BOSS) == []
    median, worst = statistics.median(timings), max(timings)
    print(
        f"{label:<10} {size} lines: post median {median:.3f} s, worst {worst:.3f} s "
        f"(target {TARGET:.1f} s, ratio {TARGET / worst:.1f})"
    )


def sqlite(size: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(db)
        try:
            run(db, "SQLite", size, rounds)
        finally:
            db.dispose()


def postgresql(size: int, rounds: int) -> None:
    admin = os.environ.get(
        "INVDESK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"invdesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    url = make_url(admin.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    db = Database.open(url.render_as_string(hide_password=False))
    try:
        migrate.upgrade(db)
        run(db, "PostgreSQL", size, rounds)
    finally:
        db.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.only != "postgresql":
        sqlite(args.lines, args.rounds)
    if args.only != "sqlite":
        postgresql(args.lines, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
