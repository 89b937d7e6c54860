"""Stock-operation throughput: invdesk's services against the same SQL through the raw driver.

Run from the repository root (not collected by pytest; it has no test functions):

    uv run python tests/perf/bench_stock.py [--seconds N] [--only sqlite|postgresql]

For SQLite (a WAL file in a temporary directory) and PostgreSQL (a scratch database created on the
server named by INVDESK_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres,
and dropped at the end) it prints, at 1, 4 and 16 concurrent worker processes:

* ours: stock operations per second through invdesk.services.stock.operations (receive, issue, transfer),
* raw:  the same statements, in the same order and transaction, sent straight through the driver
        (sqlite3 / psycopg, no SQLAlchemy), with the same pragmas / session options,
* on PostgreSQL, pgbench's tpcb-like TPS at the same client count (separate scratch database),

on PostgreSQL then the rights model's cost: ours with one database login per worker (each a member of
invdesk_clerk, so the server stamps who and when and checks the group's rights) against ours with
one shared login for every worker (a member of invdesk_owner, as when the PCs' single login owned
the tables), target ratio >= 0.95; and finally invdesk.services.trust.verify.verify, requiring no
discrepancy. The op mix is identical in
both modes (the same random sequence per worker). An InsufficientStock refusal counts as a completed
operation and is also shown on its own.

Each configuration runs as four slices of half the time, ours/raw/raw/ours, so that background load
on a shared machine weighs on both modes alike. Every line also shows the client CPU time per
operation (process time of the workers, summed), which background load barely moves, and the 1-minute
load average when the line was printed.

The raw statements below are, verbatim, what the services send for these calls: the hot-path
statements are `invdesk.db.direct.Direct` statements, whose SQL per dialect is
`statement.sql(dialect)` (print them with the snippet in `_SQLITE`'s comment). Raw sends
every one of them, in the same order, with the same parameters, including the part of the ledger
INSERT that tells whether the row's alerts need a look (alert_rules.may_change). When it says so,
ours goes on with the alert check (a SELECT, and an alert write if one is due); raw stops with an
error instead, because this benchmark sets no restock policy and never empties a stock row, so that
branch never runs in either mode. "raw" is thus the floor for the statements invdesk sends today;
it does not judge whether every statement is needed. Update them whenever the services' statements
change. Each service call also checks a connection out of the pool (no pre-ping round trip: a
dropped connection is retried by Database.run instead); raw keeps one connection.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import platform
import queue
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import (
    MAX_ATTEMPTS,
    PG_IDLE_IN_TX_TIMEOUT_MS,
    PG_LOCK_TIMEOUT_MS,
    RETRYABLE_SQLSTATES,
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
)
from invdesk.db.models import Category, StockLevel, StockRequest, table_of
from invdesk.db.tables import movement_t, product_t, warehouse_t
from invdesk.domain.errors import InsufficientStock
from invdesk.domain.security import Actor
from invdesk.domain.stock import IssueStock, Line, ReceiveStock, TransferStock
from invdesk.domain.validation import MAX_ON_HAND
from invdesk.services.stock import operations
from invdesk.services.stock.ledger import _COLUMNS as LEDGER_COLUMNS
from invdesk.services.trust.verify import verify

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Scratch database names get a per-run suffix, so two runs on one server never drop each other's.
BENCH_DB_PREFIX = "invdesk_bench"
PGBENCH_DB_PREFIX = "invdesk_bench_pgbench"
PGBENCH_SCALE = 16
WAREHOUSES = ("W1", "W2", "W3")
OPENING_UNITS = 1_000_000
SKU_FORMAT = "BENCH-{:05d}"
# Op mix: issue 45 %, receive 35 % (half of them with a unit cost), transfer 20 %; qty 1..10.
P_ISSUE = 0.45
P_RECEIVE = 0.80
MAX_OP_QTY = 10
WARMUP_OPS = 12
# Time between handing out a run and its start: the first run of a mode on a database in a worker
# opens connections and fills statement caches (WARMUP_OPS untimed operations); later ones only sync.
WARMUP_SECONDS = 2.0
SYNC_SECONDS = 0.4
ACTOR = Actor("bench")

# An operation: (kind, sku, warehouse, other warehouse, qty, unit cost text, unit cost minor).
Op = tuple[str, str, str, str | None, int, str | None, int | None]


def next_op(rng: random.Random, products: int) -> Op:
    sku = SKU_FORMAT.format(rng.randrange(products))
    qty = rng.randint(1, MAX_OP_QTY)
    roll = rng.random()
    if roll < P_ISSUE:
        return ("issue", sku, rng.choice(WAREHOUSES), None, qty, None, None)
    if roll < P_RECEIVE:
        if rng.random() < 0.5:
            return ("receive", sku, rng.choice(WAREHOUSES), None, qty, None, None)
        cents = rng.randint(100, 99_999)
        return (
            "receive",
            sku,
            rng.choice(WAREHOUSES),
            None,
            qty,
            f"{cents / 100:.2f}",
            cents * 100,
        )
    source, destination = rng.sample(WAREHOUSES, 2)
    return ("transfer", sku, source, destination, qty, None, None)


# --------------------------------------------------------------------------------------------
# ours: the services


def ours_op(db: Database, op: Op) -> None:
    kind, sku, warehouse, other, qty, cost, _minor = op
    if kind == "issue":
        operations.issue(db, IssueStock(warehouse, (Line(sku, qty),)), ACTOR)
    elif kind == "receive":
        operations.receive(db, ReceiveStock(warehouse, (Line(sku, qty, cost),)), ACTOR)
    else:
        assert other is not None
        operations.transfer(db, TransferStock(warehouse, other, (Line(sku, qty),)), ACTOR)


# --------------------------------------------------------------------------------------------
# raw: the same statements through the driver


class RawInsufficient(Exception):
    pass


def _fingerprint(kind: str, payload: Any) -> str:
    # invdesk.db.request_ids.fingerprint, inlined (it is part of what a call costs).
    text = json.dumps([kind, payload], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _payload(op: Op) -> tuple[str, Any]:
    kind, sku, warehouse, other, qty, _cost, minor = op
    if kind == "issue":
        return kind, [warehouse, [[sku, qty, None]], None, None]
    if kind == "receive":
        return kind, [warehouse, [[sku, qty, minor]], None]
    return kind, [warehouse, other, [[sku, qty, None]], None]


_OUTBOX_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class RawBackend:
    """The statements of one service call; subclasses bind them for one driver."""

    retries = 0

    def begin(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def is_retryable(self, error: Exception) -> bool:
        raise NotImplementedError

    # each returns the row (tuple) or None
    def claim(self, rid: str, kind: str, digest: str, at: datetime) -> Any: ...
    def lookup(self, codes: tuple[str, ...], sku: str) -> Any: ...
    def take(self, pid: int, wid: int, qty: int) -> Any: ...
    def put(self, pid: int, wid: int, qty: int, cost: int | None, initial: int) -> Any: ...
    def ensure(self, pid: int, wid: int, initial: int) -> None: ...
    def lock(self, pid: int, wid: int) -> Any: ...
    def read(self, pid: int, wid: int) -> Any: ...
    def due_holds(self, pid: int, wid: int, at: datetime) -> list[Any]: ...
    def movement(self, values: dict[str, Any]) -> tuple[int, int]: ...
    def outbox(self, at: datetime, events: str) -> None: ...

    def _take_units(self, pid: int, wid: int, qty: int, at: datetime) -> Any:
        level = self.take(pid, wid, qty)
        if level is None and self.due_holds(pid, wid, at):
            raise AssertionError("the benchmark makes no reservations")
        if level is None:
            self.read(pid, wid)
            raise RawInsufficient
        return level

    def _move(self, at: datetime, rid: str, sku: str, code: str, **values: Any) -> int:
        row = dict(
            reserved_delta=0,
            unit_cost=None,
            reference=None,
            reason=None,
            user=ACTOR.username,
            at=at,
            request_id=rid,
            transfer_id=None,
            reservation_id=None,
        )
        row.update(values)
        new_id, alerts_may_change = self.movement(row)
        if alerts_may_change:
            raise AssertionError("the benchmark sets no policy and never empties a stock row")
        # The operations.changed event the services write to the outbox for this row (events.py).
        data = {
            "movement_id": new_id,
            "sku": sku,
            "warehouse": code,
            "kind": row["kind"],
            "qty": row["qty"],
            "reserved_delta": row["reserved_delta"],
            "on_hand": row["balance_after"],
        }
        self._events.append({"type": "stock.changed", "warehouses": [code], "data": data})
        return new_id

    def apply(self, op: Op) -> None:
        kind, sku, code, other, qty, _cost, minor = op
        digest = _fingerprint(*_payload(op))
        rid = str(uuid.uuid4())
        for attempt in range(1, MAX_ATTEMPTS + 1):
            at = datetime.now(UTC)
            self.begin()
            try:
                self._apply(kind, sku, code, other, qty, minor, rid, digest, at)
            except RawInsufficient:
                self.rollback()
                raise
            except Exception as error:
                self.rollback()
                if attempt < MAX_ATTEMPTS and self.is_retryable(error):
                    self.retries += 1
                    time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
                    continue
                raise
            self.commit()
            return

    def _apply(
        self,
        kind: str,
        sku: str,
        code: str,
        other: str | None,
        qty: int,
        minor: int | None,
        rid: str,
        digest: str,
        at: datetime,
    ) -> None:
        if self.claim(rid, kind, digest, at) is None:
            raise AssertionError("fresh request ids never collide")
        self._events: list[dict[str, Any]] = []
        self._apply_stock(kind, sku, code, other, qty, minor, rid, at)
        # One outbox row per transaction, as events.run writes it before the commit.
        self.outbox(datetime.now(UTC), _OUTBOX_JSON(self._events))

    def _apply_stock(
        self,
        kind: str,
        sku: str,
        code: str,
        other: str | None,
        qty: int,
        minor: int | None,
        rid: str,
        at: datetime,
    ) -> None:
        if kind == "receive":
            # The warehouse (id, code, active) and the product (id, sku, name, active, standard
            # cost) come in one row, as lookup.warehouses_and_product reads them.
            row = self.lookup((code,), sku)
            wid, pid, initial = row[0], row[3], row[7]
            level = self.put(pid, wid, qty, minor, initial)
            self._move(
                at, rid, sku, code, kind="receive", product_id=pid, warehouse_id=wid, qty=qty,
                units=qty, balance_after=level[0], unit_cost=minor,
            )  # fmt: skip
        elif kind == "issue":
            row = self.lookup((code,), sku)
            wid, pid = row[0], row[3]
            level = self._take_units(pid, wid, qty, at)
            self._move(
                at, rid, sku, code, kind="issue", product_id=pid, warehouse_id=wid, qty=-qty, units=qty,
                balance_after=level[0], unit_cost=level[2],
            )  # fmt: skip
        else:
            assert other is not None
            row = self.lookup((code, other), sku)
            src, dst, pid, initial = row[0], row[3], row[6], row[10]
            transfer_id = str(uuid.uuid4())
            if dst < src:
                self.ensure(pid, dst, 0)
                self.lock(pid, dst)
            out = self._take_units(pid, src, qty, at)
            into = self.put(pid, dst, qty, out[2], initial)
            self._move(
                at, rid, sku, code, kind="transfer_out", product_id=pid, warehouse_id=src, qty=-qty,
                units=qty, balance_after=out[0], unit_cost=out[2], transfer_id=transfer_id,
            )  # fmt: skip
            self._move(
                at, rid, sku, other, kind="transfer_in", product_id=pid, warehouse_id=dst, qty=qty,
                units=qty, balance_after=into[0], unit_cost=out[2], transfer_id=transfer_id,
            )  # fmt: skip

    def close(self) -> None:
        raise NotImplementedError


# The SQL below is what the services send for these calls, copied verbatim from the compiled
# Direct statements, e.g. for the ledger INSERT on SQLite:
#     from sqlalchemy.dialects import sqlite; from invdesk.services import ledger
#     print(repr(ledger._RECORD.sql(sqlite.dialect())))
# (request_ids._CLAIM, lookup._WAREHOUSES_AND_PRODUCT, counters._TAKE/_PUT/_READ/_LOCK, ledger._RECORD,
# reservations._DUE; on PostgreSQL postgresql.psycopg.dialect()).

_SQLITE = {
    "claim": "INSERT INTO stock_request (request_id, kind, fingerprint, user, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING RETURNING request_id",
    "lookup": "SELECT w0.id, w0.code, w0.active, product.id AS id_1, product.sku, product.name, product.active AS active_1, product.cost AS cost \nFROM warehouse AS w0, product \nWHERE w0.code = ? AND product.sku = ?",
    "lookup2": "SELECT w0.id, w0.code, w0.active, w1.id AS id_1, w1.code AS code_1, w1.active AS active_1, product.id AS id_2, product.sku, product.name, product.active AS active_2, product.cost AS cost \nFROM warehouse AS w0, warehouse AS w1, product \nWHERE w0.code = ? AND w1.code = ? AND product.sku = ?",
    "take": "UPDATE stock_level SET on_hand=(stock_level.on_hand - ?) WHERE stock_level.product_id = ? AND stock_level.warehouse_id = ? AND stock_level.on_hand - stock_level.reserved >= ? RETURNING on_hand, reserved, avg_cost AS avg_cost_minor",
    "put": "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = (stock_level.on_hand + ?), avg_cost = stock_level.avg_cost WHERE stock_level.on_hand + ? <= ? RETURNING on_hand, reserved, avg_cost AS avg_cost_minor",
    "put_cost": "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = (stock_level.on_hand + ?), avg_cost = ((stock_level.on_hand * stock_level.avg_cost + ? * ? + (stock_level.on_hand + ?) / ?) / (stock_level.on_hand + ?)) WHERE stock_level.on_hand + ? <= ? RETURNING on_hand, reserved, avg_cost AS avg_cost_minor",
    "ensure": "INSERT INTO stock_level (product_id, warehouse_id, on_hand, reserved, avg_cost) VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id, warehouse_id) DO NOTHING",
    # SQLAlchemy drops FOR UPDATE on SQLite (the whole database is locked by BEGIN IMMEDIATE).
    "lock": "SELECT stock_level.on_hand, stock_level.reserved, stock_level.avg_cost AS avg_cost_minor \nFROM stock_level \nWHERE stock_level.product_id = ? AND stock_level.warehouse_id = ?",
    "read": "SELECT stock_level.on_hand, stock_level.reserved, stock_level.avg_cost AS avg_cost_minor \nFROM stock_level \nWHERE stock_level.product_id = ? AND stock_level.warehouse_id = ?",
    "due": "SELECT reservation.id \nFROM reservation \nWHERE reservation.product_id = ? AND reservation.warehouse_id = ? AND reservation.status = ? AND reservation.expires_at <= ? ORDER BY reservation.id",
    "movement": "INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, balance_after, unit_cost, reference, reason, user, at, request_id, transfer_id, reservation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, CASE WHEN (EXISTS (SELECT * \nFROM alert \nWHERE product_id = ? AND warehouse_id = ? AND status IN (?, ?))) THEN ? WHEN (? < ? AND ((EXISTS (SELECT * \nFROM restock_policy \nWHERE warehouse_id = ? AND scope_key IN (? || CAST(? AS VARCHAR), ? || CAST((SELECT product.category_id \nFROM product \nWHERE id = ?) AS VARCHAR), ?))) OR (SELECT stock_level.on_hand - stock_level.reserved AS anon_2 \nFROM stock_level \nWHERE product_id = ? AND warehouse_id = ?) <= ?)) THEN ? ELSE ? END AS anon_1",
}

_SQLITE["outbox"] = "INSERT INTO outbox_event (created_at, events) VALUES (?, ?)"

_PG = {
    "claim": 'INSERT INTO stock_request (request_id, kind, fingerprint, "user", at) VALUES (%(request_id)s::VARCHAR, %(kind)s::VARCHAR, %(fingerprint)s::VARCHAR, %(user)s::VARCHAR, %(at)s::TIMESTAMP WITH TIME ZONE) ON CONFLICT (request_id) DO NOTHING RETURNING stock_request.request_id',
    "lookup": "SELECT w0.id, w0.code, w0.active, product.id AS id_1, product.sku, product.name, product.active AS active_1, product.cost AS cost \nFROM warehouse AS w0, product \nWHERE w0.code = %(w0)s::VARCHAR AND product.sku = %(code)s::VARCHAR",
    "lookup2": "SELECT w0.id, w0.code, w0.active, w1.id AS id_1, w1.code AS code_1, w1.active AS active_1, product.id AS id_2, product.sku, product.name, product.active AS active_2, product.cost AS cost \nFROM warehouse AS w0, warehouse AS w1, product \nWHERE w0.code = %(w0)s::VARCHAR AND w1.code = %(w1)s::VARCHAR AND product.sku = %(code)s::VARCHAR",
    # The counter row, locked by the owner's function; the ledger row's trigger moves it.
    "lock_level": "SELECT on_hand, reserved, avg_cost FROM invdesk_lock_level(%(pid)s::BIGINT, %(wid)s::BIGINT, %(create_row)s)",
    "read": "SELECT stock_level.on_hand, stock_level.reserved, stock_level.avg_cost AS avg_cost_minor \nFROM stock_level \nWHERE stock_level.product_id = %(pid)s::BIGINT AND stock_level.warehouse_id = %(wid)s::BIGINT",
    "due": "SELECT reservation.id \nFROM reservation \nWHERE reservation.product_id = %(pid)s::BIGINT AND reservation.warehouse_id = %(wid)s::BIGINT AND reservation.status = %(status_1)s::VARCHAR AND reservation.expires_at <= %(at)s::TIMESTAMP WITH TIME ZONE ORDER BY reservation.id",
    "movement": 'INSERT INTO movement (kind, product_id, warehouse_id, qty, reserved_delta, units, balance_after, unit_cost, reference, reason, "user", at, request_id, transfer_id, reservation_id) VALUES (%(kind)s::VARCHAR, %(product_id)s::BIGINT, %(warehouse_id)s::BIGINT, %(qty)s::BIGINT, %(reserved_delta)s::BIGINT, %(units)s::BIGINT, %(balance_after)s::BIGINT, %(unit_cost)s::BIGINT, %(reference)s::VARCHAR, %(reason)s::VARCHAR, %(user)s::VARCHAR, %(at)s::TIMESTAMP WITH TIME ZONE, %(request_id)s::VARCHAR, %(transfer_id)s::VARCHAR, %(reservation_id)s::BIGINT) RETURNING movement.id, CASE WHEN (EXISTS (SELECT * \nFROM alert \nWHERE alert.product_id = %(al_pid)s::BIGINT AND alert.warehouse_id = %(al_wid)s::BIGINT AND alert.status IN (%(param_1)s::VARCHAR, %(param_2)s::VARCHAR))) THEN %(param_3)s::INTEGER WHEN (%(al_delta)s::BIGINT < %(param_4)s::BIGINT AND ((EXISTS (SELECT * \nFROM restock_policy \nWHERE restock_policy.warehouse_id = %(al_wid)s::BIGINT AND restock_policy.scope_key IN (%(param_5)s::VARCHAR || CAST(%(al_pid)s::BIGINT AS VARCHAR), %(param_6)s::VARCHAR || CAST((SELECT product.category_id \nFROM product \nWHERE product.id = %(al_pid)s::BIGINT) AS VARCHAR), %(param_7)s::VARCHAR))) OR (SELECT stock_level.on_hand - stock_level.reserved AS anon_2 \nFROM stock_level \nWHERE stock_level.product_id = %(al_pid)s::BIGINT AND stock_level.warehouse_id = %(al_wid)s::BIGINT) + %(al_delta)s::BIGINT <= %(param_8)s::BIGINT)) THEN %(param_9)s::INTEGER ELSE %(param_10)s::INTEGER END AS anon_1',
}

_PG["outbox"] = (
    "INSERT INTO outbox_event (created_at, events) VALUES "
    "(%(created_at)s::TIMESTAMP WITH TIME ZONE, %(events)s::VARCHAR)"
)


def check_raw_sql() -> None:
    """Fail unless every raw statement is, character for character, the one the services send."""
    from sqlalchemy.dialects import postgresql, sqlite

    from invdesk.db import counters, request_ids
    from invdesk.services.catalog import lookup
    from invdesk.services.stock import ledger, outbox, reservations

    for dialect, table in ((sqlite.dialect(), _SQLITE), (postgresql.psycopg.dialect(), _PG)):
        plain, costed, ensure = counters._PUT[dialect.name]
        ours = {
            "claim": request_ids._CLAIM[dialect.name],
            "lookup": lookup._WAREHOUSES_AND_PRODUCT[1],
            "lookup2": lookup._WAREHOUSES_AND_PRODUCT[2],
            "read": counters._READ,
            "due": reservations._DUE,
            "movement": ledger._RECORD[dialect.name],
            "outbox": outbox._INSERT,
        }
        if dialect.name == "sqlite":
            ours |= {
                "take": counters._TAKE,
                "put": plain,
                "put_cost": costed,
                "ensure": ensure,
                "lock": counters._LOCK,
            }
        else:
            ours["lock_level"] = counters._LOCK_PG
        assert ours.keys() == table.keys()
        for name, statement in ours.items():
            sent = statement.sql(dialect)
            if sent != table[name]:
                raise AssertionError(f"raw {dialect.name} {name} is not what ours sends:\n{sent}")


# The ledger INSERT's columns, in the order the compiled statement binds them (checked above).
_MOVEMENT_COLUMNS = list(LEDGER_COLUMNS)


def _sqlite_time(at: datetime) -> str:
    # How SQLAlchemy's SQLite DateTime stores a (naive UTC) timestamp.
    return at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class RawSqlite(RawBackend):
    def __init__(self, path: str) -> None:
        # The same settings invdesk.db.engine applies to every SQLite connection.
        self.conn = sqlite3.connect(path, isolation_level=None)
        cur = self.conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()
        self.cur = self.conn.cursor()

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        return self.cur.execute(_SQLITE[sql], params).fetchone()

    def begin(self) -> None:
        self.cur.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def is_retryable(self, error: Exception) -> bool:
        return isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower()

    def claim(self, rid: str, kind: str, digest: str, at: datetime) -> Any:
        return self._one("claim", (rid, kind, digest, ACTOR.username, _sqlite_time(at)))

    def lookup(self, codes: tuple[str, ...], sku: str) -> Any:
        return self._one("lookup" if len(codes) == 1 else "lookup2", (*codes, sku))

    def take(self, pid: int, wid: int, qty: int) -> Any:
        return self._one("take", (qty, pid, wid, qty))

    def put(self, pid: int, wid: int, qty: int, cost: int | None, initial: int) -> Any:
        if cost is None:
            return self._one("put", (pid, wid, qty, 0, initial, qty, qty, MAX_ON_HAND))
        params = (pid, wid, qty, 0, cost, qty, qty, cost, qty, 2, qty, qty, MAX_ON_HAND)
        return self._one("put_cost", params)

    def ensure(self, pid: int, wid: int, initial: int) -> None:
        self.cur.execute(_SQLITE["ensure"], (pid, wid, 0, 0, initial))

    def lock(self, pid: int, wid: int) -> Any:
        return self._one("lock", (pid, wid))

    def read(self, pid: int, wid: int) -> Any:
        return self._one("read", (pid, wid))

    def due_holds(self, pid: int, wid: int, at: datetime) -> list[Any]:
        return self.cur.execute(_SQLITE["due"], (pid, wid, "active", _sqlite_time(at))).fetchall()

    def movement(self, values: dict[str, Any]) -> tuple[int, int]:
        values["at"] = _sqlite_time(values["at"])
        pid, wid = values["product_id"], values["warehouse_id"]
        delta = values["qty"] - values["reserved_delta"]
        alerts = (pid, wid, "open", "acknowledged", 1, delta, 0, wid, "product:", pid)
        alerts += ("category:", pid, "warehouse", pid, wid, 0, 1, 0)
        row = self._one("movement", tuple(values[c] for c in _MOVEMENT_COLUMNS) + alerts)
        return int(row[0]), row[1]

    def outbox(self, at: datetime, events: str) -> None:
        self.cur.execute(_SQLITE["outbox"], (_sqlite_time(at), events))

    def close(self) -> None:
        self.conn.close()


class RawPostgres(RawBackend):
    def __init__(self, url: str) -> None:
        # The same session options and connect settings as invdesk.db.engine.make_engine.
        self.conn = psycopg.connect(
            url,
            options=(
                f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} "
                f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TX_TIMEOUT_MS}"
            ),
            connect_timeout=10,
            application_name="invdesk",
        )
        self.cur = self.conn.cursor()

    def _one(self, sql: str, params: dict[str, Any]) -> Any:
        self.cur.execute(_PG[sql], params)
        return self.cur.fetchone()

    def begin(self) -> None:
        pass  # psycopg opens the transaction with the first statement, as under SQLAlchemy

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def is_retryable(self, error: Exception) -> bool:
        if isinstance(error, psycopg.OperationalError) and self.conn.closed:
            return True
        return getattr(error, "sqlstate", None) in RETRYABLE_SQLSTATES

    def claim(self, rid: str, kind: str, digest: str, at: datetime) -> Any:
        params = dict(request_id=rid, kind=kind, fingerprint=digest, user=ACTOR.username, at=at)
        return self._one("claim", params)

    def lookup(self, codes: tuple[str, ...], sku: str) -> Any:
        names = ("w0",) if len(codes) == 1 else ("w0", "w1")
        sql = "lookup" if len(codes) == 1 else "lookup2"
        return self._one(sql, {"code": sku, **dict(zip(names, codes, strict=True))})

    # As invdesk.db.counters on PostgreSQL: lock the row, decide here; the ledger row moves it.
    def _locked(self, pid: int, wid: int, create: bool) -> Any:
        return self._one("lock_level", {"pid": pid, "wid": wid, "create_row": create})

    def take(self, pid: int, wid: int, qty: int) -> Any:
        level = self._locked(pid, wid, False)
        if level is None or level[0] - level[1] < qty:
            return None
        return (level[0] - qty, level[1], level[2])

    def put(self, pid: int, wid: int, qty: int, cost: int | None, initial: int) -> Any:
        level = self._locked(pid, wid, True)
        if level is None or level[0] + qty > MAX_ON_HAND:
            return None
        if cost is None:
            return (level[0] + qty, level[1], level[2])
        on_hand, avg = level[0], level[2]
        return (
            on_hand + qty,
            level[1],
            (on_hand * avg + qty * cost + (on_hand + qty) // 2) // (on_hand + qty),
        )

    def ensure(self, pid: int, wid: int, initial: int) -> None:
        self._locked(pid, wid, True)

    def lock(self, pid: int, wid: int) -> Any:
        return self._locked(pid, wid, False)

    def read(self, pid: int, wid: int) -> Any:
        return self._one("read", {"pid": pid, "wid": wid})

    def due_holds(self, pid: int, wid: int, at: datetime) -> list[Any]:
        params = dict(pid=pid, wid=wid, status_1="active", at=at)
        self.cur.execute(_PG["due"], params)
        return self.cur.fetchall()

    def movement(self, values: dict[str, Any]) -> tuple[int, int]:
        values.update(
            al_pid=values["product_id"],
            al_wid=values["warehouse_id"],
            al_delta=values["qty"] - values["reserved_delta"],
            param_1="open",
            param_2="acknowledged",
            param_3=1,
            param_4=0,
            param_5="product:",
            param_6="category:",
            param_7="warehouse",
            param_8=0,
            param_9=1,
            param_10=0,
        )
        row = self._one("movement", values)
        return int(row[0]), row[1]

    def outbox(self, at: datetime, events: str) -> None:
        self.cur.execute(_PG["outbox"], {"created_at": at, "events": events})

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------------------------
# worker processes


@dataclass
class RunCommand:
    mode: str  # "ours" or "raw"
    dialect: str  # "sqlite" or "postgresql"
    url: str  # SQLAlchemy URL (ours); the raw connection derives its target from it
    products: int
    seed: int
    start_at: float
    seconds: float


@dataclass
class RunResult:
    index: int
    ops: int = 0
    insufficient: int = 0
    errors: int = 0
    retries: int = 0
    first_error: str | None = None
    end: float = 0.0
    cpu: float = 0.0  # client process CPU seconds spent in the timed loop
    window: float = 0.0  # wall seconds of the timed window (aggregates: summed over slices)
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: RunResult) -> None:
        self.ops += other.ops
        self.insufficient += other.insufficient
        self.errors += other.errors
        self.retries += other.retries
        self.first_error = self.first_error or other.first_error
        self.cpu += other.cpu
        for kind, n in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n

    @property
    def rate(self) -> float:
        return self.ops / self.window if self.window else 0.0

    @property
    def cpu_ms_per_op(self) -> float:
        return 1000 * self.cpu / self.ops if self.ops else 0.0


def _raw_target(dialect: str, url: str) -> str:
    parsed = make_url(url)
    if dialect == "sqlite":
        assert parsed.database is not None
        return parsed.database
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def worker_main(index: int, commands: Any, results: Any) -> None:
    ours: dict[str, Database] = {}
    raw: dict[str, RawBackend] = {}
    results.put(("ready", index))
    while True:
        command = commands.get()
        if command is None or command == "close":
            for db in ours.values():
                db.dispose()
            for backend in raw.values():
                backend.close()
            ours.clear()
            raw.clear()
            if command is None:
                return
            results.put(("closed", index))
            continue
        try:
            results.put(("result", _run(index, command, ours, raw)))
        except Exception:
            results.put(("crashed", index, traceback.format_exc()))


def _run(
    index: int, cmd: RunCommand, ours: dict[str, Database], raw: dict[str, RawBackend]
) -> RunResult:
    if cmd.mode == "ours":
        if cmd.url not in ours:
            ours[cmd.url] = Database.open(cmd.url)
        db = ours[cmd.url]

        def call(op: Op) -> None:
            ours_op(db, op)

        backend = None
    else:
        if cmd.url not in raw:
            target = _raw_target(cmd.dialect, cmd.url)
            raw[cmd.url] = RawSqlite(target) if cmd.dialect == "sqlite" else RawPostgres(target)
        backend = raw[cmd.url]
        backend.retries = 0
        call = backend.apply

    insufficient_types = (InsufficientStock, RawInsufficient)
    # Warm up (compiled statement caches, prepared statements, the connection itself).
    warm = random.Random(cmd.seed ^ 0x5EED)
    for _ in range(WARMUP_OPS):
        if time.time() > cmd.start_at - 0.05:
            break
        with suppress(*insufficient_types):
            call(next_op(warm, cmd.products))
    if backend is not None:
        backend.retries = 0
    delay = cmd.start_at - time.time()
    if delay > 0:
        time.sleep(delay)

    rng = random.Random(cmd.seed)
    result = RunResult(index)
    deadline = cmd.start_at + cmd.seconds
    cpu_start = time.process_time()
    while time.time() < deadline:
        op = next_op(rng, cmd.products)
        try:
            call(op)
        except insufficient_types:
            result.insufficient += 1
        except Exception as error:
            result.errors += 1
            if result.first_error is None:
                result.first_error = f"{type(error).__name__}: {error}"
            continue
        result.ops += 1
        result.by_kind[op[0]] = result.by_kind.get(op[0], 0) + 1
    result.end = time.time()
    result.cpu = time.process_time() - cpu_start
    if backend is not None:
        result.retries = backend.retries
    return result


class WorkerPool:
    def __init__(self, size: int) -> None:
        ctx = mp.get_context("spawn")
        self.results: Any = ctx.Queue()
        self.queues: list[Any] = [ctx.Queue() for _ in range(size)]
        self.warm: set[tuple[str, str, int]] = set()
        self.procs = [
            ctx.Process(target=worker_main, args=(i, self.queues[i], self.results), daemon=True)
            for i in range(size)
        ]
        for proc in self.procs:
            proc.start()
        for _ in range(size):
            self._expect("ready", timeout=600)  # 16 spawned interpreters on a loaded machine

    def _expect(self, tag: str, timeout: float) -> Any:
        try:
            message = self.results.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"a worker did not answer ({tag}) within {timeout:.0f} s") from None
        if message[0] == "crashed":
            raise RuntimeError(f"worker {message[1]} crashed:\n{message[2]}")
        if message[0] != tag:
            raise RuntimeError(f"unexpected worker message {message!r}, wanted {tag}")
        return message

    def run(
        self,
        mode: str,
        dialect: str,
        url: str | list[str],
        workers: int,
        products: int,
        seconds: float,
        seed: int,
    ) -> RunResult:
        """One timed window of `workers` processes; returns the summed counts and the window.

        `url` may be one per worker (each its own database login)."""
        urls = [url] * workers if isinstance(url, str) else url[:workers]
        keys = {(mode, urls[i], i) for i in range(workers)}
        margin = SYNC_SECONDS if keys <= self.warm else WARMUP_SECONDS
        self.warm |= keys
        start_at = time.time() + margin
        for i in range(workers):
            # Seeds depend on the worker index and slice only, so both modes run the same operations.
            cmd = RunCommand(mode, dialect, urls[i], products, seed + i, start_at, seconds)
            self.queues[i].put(cmd)
        total = RunResult(-1)
        for _ in range(workers):
            part = self._expect("result", timeout=seconds + margin + 120)[1]
            total.add(part)
            total.end = max(total.end, part.end)
        total.window = total.end - start_at
        return total

    def close_connections(self) -> None:
        for q in self.queues:
            q.put("close")
        for _ in self.queues:
            self._expect("closed", timeout=60)

    def shutdown(self) -> None:
        for q in self.queues:
            q.put(None)
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()


# --------------------------------------------------------------------------------------------
# seeding, verification, PostgreSQL admin, pgbench


def seed(db: Database, products: int) -> float:
    """Products, warehouses, opening stock and its ledger, with bulk Core inserts."""
    started = time.perf_counter()
    rng = random.Random(42)
    now = datetime.now(UTC)
    category_t = table_of(Category)
    level_t = table_of(StockLevel)
    request_t = table_of(StockRequest)
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            # The opening ledger and its counters are written as they are (the seed is the owner).
            conn.exec_driver_sql("SET LOCAL invdesk.load_ledger = 'on'")
        category_id = conn.execute(
            select(category_t.c.id).where(category_t.c.name == "Other")
        ).scalar_one()
        conn.execute(
            insert(warehouse_t),
            [
                dict(
                    code=code, name=f"Bench warehouse {code}", address=None, active=True, version=1
                )
                for code in WAREHOUSES
            ],
        )
        costs = [Decimal(rng.randint(100, 99_999)).scaleb(-2) for _ in range(products)]
        conn.execute(
            insert(product_t),
            [
                dict(
                    sku=SKU_FORMAT.format(n),
                    name=f"Bench product {n}",
                    category_id=category_id,
                    unit="each",
                    price=costs[n] * 2,
                    cost=costs[n],
                    active=True,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                for n in range(products)
            ],
        )
        product_ids = {
            sku: pid for sku, pid in conn.execute(select(product_t.c.sku, product_t.c.id))
        }
        warehouse_ids = {
            code: wid for code, wid in conn.execute(select(warehouse_t.c.code, warehouse_t.c.id))
        }
        pairs = [
            (n, product_ids[SKU_FORMAT.format(n)], code, warehouse_ids[code])
            for n in range(products)
            for code in WAREHOUSES
        ]
        conn.execute(
            insert(level_t),
            [
                dict(
                    product_id=pid,
                    warehouse_id=wid,
                    on_hand=OPENING_UNITS,
                    reserved=0,
                    avg_cost=costs[n],
                )
                for n, pid, _code, wid in pairs
            ],
        )
        # One opening receipt (request + ledger row) per stock row, as a receive would leave.
        conn.execute(
            insert(request_t),
            [
                dict(
                    request_id=f"bench-open-{pid}-{wid}",
                    kind="receive",
                    fingerprint=_fingerprint(
                        "receive", [code, [[SKU_FORMAT.format(n), OPENING_UNITS, None]], None]
                    ),
                    user=ACTOR.username,
                    at=now,
                )
                for n, pid, code, wid in pairs
            ],
        )
        conn.execute(
            insert(movement_t),
            [
                dict(
                    kind="receive",
                    product_id=pid,
                    warehouse_id=wid,
                    qty=OPENING_UNITS,
                    reserved_delta=0,
                    units=OPENING_UNITS,
                    balance_after=OPENING_UNITS,
                    unit_cost=costs[n],
                    reference="opening stock",
                    reason=None,
                    user=ACTOR.username,
                    at=now,
                    request_id=f"bench-open-{pid}-{wid}",
                    transfer_id=None,
                    reservation_id=None,
                )
                for n, pid, _code, wid in pairs
            ],
        )
    # Planner statistics for the fresh tables, and a clean WAL before anything is timed.
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("CHECKPOINT")
    else:
        path = _raw_target("sqlite", db.url)
        with closing(sqlite3.connect(path, isolation_level=None)) as raw:
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def check(db: Database) -> str:
    problems = verify(db, ACTOR)
    with db.read() as conn:
        movements = conn.execute(select(func.count()).select_from(movement_t)).scalar_one()
        rows = conn.execute(select(func.count()).select_from(table_of(StockLevel))).scalar_one()
    if problems:
        shown = "\n".join("  " + p.describe() for p in problems[:20])
        raise AssertionError(f"verify found {len(problems)} discrepancies:\n{shown}")
    return f"verify: OK ({rows:,} stock rows agree with {movements:,} ledger rows)"


def _admin(url: str) -> psycopg.Connection[Any]:
    target = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(target, autocommit=True, connect_timeout=10)


def recreate_database(admin_url: str, name: str) -> str:
    with _admin(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    with _admin(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def find_pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    return str(candidates[0]) if candidates else None


class PgBench:
    def __init__(self, binary: str, admin_url: str, database: str) -> None:
        self.binary = binary
        self.admin_url = admin_url
        self.database = database
        parsed = make_url(admin_url)
        self.conn_args = [
            "-h", parsed.host or "127.0.0.1",
            "-p", str(parsed.port or 5432),
            "-U", parsed.username or "postgres",
        ]  # fmt: skip
        self.env = dict(os.environ)
        if parsed.password:
            self.env["PGPASSWORD"] = parsed.password

    def _call(self, *args: str) -> str:
        done = subprocess.run(
            [self.binary, *args, *self.conn_args, self.database],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pgbench {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout + done.stderr

    def init(self) -> float:
        started = time.perf_counter()
        recreate_database(self.admin_url, self.database)
        self._call("-i", "-s", str(PGBENCH_SCALE), "-q")
        target = make_url(self.admin_url).set(database=self.database)
        with _admin(target.render_as_string(hide_password=False)) as c:
            c.execute("CHECKPOINT")
        return time.perf_counter() - started

    def tps(self, clients: int, seconds: float) -> float:
        out = self._call(
            "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(max(1, round(seconds))), "-n"
        )  # fmt: skip
        match = re.search(r"tps = ([0-9.]+)", out)
        if match is None:
            raise RuntimeError(f"no tps figure in pgbench output:\n{out}")
        return float(match.group(1))

    def drop(self) -> None:
        drop_database(self.admin_url, self.database)


# --------------------------------------------------------------------------------------------
# main


def _extra(ours: RunResult, raw: RunResult) -> str:
    notes = []
    if ours.insufficient or raw.insufficient:
        notes.append(f"insufficient {ours.insufficient}/{raw.insufficient}")
    if raw.retries:
        notes.append(f"raw retries {raw.retries}")
    if ours.errors or raw.errors:
        notes.append(
            f"ERRORS ours {ours.errors} raw {raw.errors}: {ours.first_error or raw.first_error}"
        )
    return ("  [" + "; ".join(notes) + "]") if notes else ""


def bench_database(
    pool: WorkerPool,
    dialect: str,
    url: str,
    args: argparse.Namespace,
    pgbench: PgBench | None,
) -> bool:
    db = Database.open(url)
    try:
        migrate.upgrade(db)
        took = seed(db, args.products)
        print(
            f"{dialect}: seeded {args.products:,} products x {len(WAREHOUSES)} warehouses "
            f"({args.products * len(WAREHOUSES):,} stock rows, ledger and requests) in {took:.1f} s",
            flush=True,
        )
        if pgbench is not None:
            took = pgbench.init()
            print(f"{dialect}: pgbench -i -s {PGBENCH_SCALE} in {took:.1f} s", flush=True)
        ok = True
        for workers in args.workers:
            # ours, raw, raw, ours: half the time each, so a change in background load (this
            # machine may be shared) weighs on both modes alike.
            totals = {"ours": RunResult(-1), "raw": RunResult(-1)}
            # Slices 0 and 1 run the same operations, and so do slices 2 and 3.
            for slice_no, mode in enumerate(("ours", "raw", "raw", "ours")):
                slice_seed = 100_000 * workers + 1000 * (slice_no // 2)
                half = args.seconds / 2
                part = pool.run(mode, dialect, url, workers, args.products, half, slice_seed)
                totals[mode].add(part)
                totals[mode].window += part.window
            ours, raw = totals["ours"], totals["raw"]
            line = (
                f"{dialect:<10}  workers={workers:<2}  ours {ours.rate:7,.0f} ops/s  "
                f"raw {raw.rate:7,.0f} ops/s  ratio {ours.rate / raw.rate:4.2f}"
            )
            if pgbench is not None:
                tps = pgbench.tps(workers, args.seconds)
                line += f"  pgbench {tps:7,.0f} tps  ours/pgbench {ours.rate / tps:4.2f}"
            line += (
                f"  | client CPU/op ours {ours.cpu_ms_per_op:.2f} ms raw {raw.cpu_ms_per_op:.2f} ms"
                f"  load {os.getloadavg()[0]:.1f}"
            )
            print(line + _extra(ours, raw), flush=True)
            ok = ok and not (ours.errors or raw.errors)
        pool.close_connections()
        if dialect == "postgresql":
            ok = compare_logins(pool, db, url, args) and ok
        print(check(db), flush=True)
        return ok
    finally:
        db.dispose()


def compare_logins(pool: WorkerPool, db: Database, url: str, args: argparse.Namespace) -> bool:
    """ours with one login per worker (each a clerk's own role: the server stamps who and when and
    checks the group's rights) against ours with one shared login for all (a member of the owner,
    as when the PCs' single login owned the tables); the same operations in both."""
    tag = uuid.uuid4().hex[:8]
    shared = f"bench_shared_{tag}"
    people = [f"bench_p{i}_{tag}" for i in range(max(args.workers))]
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {shared} LOGIN PASSWORD 'bench' IN ROLE invdesk_owner")
        for name in people:
            conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD 'bench' IN ROLE invdesk_clerk")

    def login(name: str) -> str:
        as_name = make_url(url).set(username=name, password="bench")
        return as_name.render_as_string(hide_password=False)

    ok = True
    try:
        for workers in args.workers:
            totals = {"person": RunResult(-1), "shared": RunResult(-1)}
            for slice_no, which in enumerate(("shared", "person", "person", "shared")):
                slice_seed = 200_000 * workers + 1000 * (slice_no // 2)
                urls = [login(shared)] if which == "shared" else [login(n) for n in people]
                part = pool.run("ours", "postgresql", urls if which == "person" else urls[0],
                                workers, args.products, args.seconds / 2, slice_seed)  # fmt: skip
                totals[which].add(part)
                totals[which].window += part.window
            person, one = totals["person"], totals["shared"]
            print(
                f"postgresql  workers={workers:<2}  per-person logins {person.rate:7,.0f} ops/s  "
                f"one shared login {one.rate:7,.0f} ops/s  ratio {person.rate / one.rate:4.2f}"
                f"  load {os.getloadavg()[0]:.1f}" + _extra(person, one),
                flush=True,
            )
            ok = ok and not (person.errors or one.errors)
    finally:
        pool.close_connections()
        with db.engine.begin() as conn:
            for name in (shared, *people):
                conn.exec_driver_sql(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'"
                )
                conn.exec_driver_sql(f"DROP ROLE {name}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per configuration (5)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 4, 16],
        help="comma-separated worker counts (1,4,16)",
    )
    args = parser.parse_args()
    check_raw_sql()
    admin_url = os.environ.get("INVDESK_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    dialects = [args.only] if args.only else ["sqlite", "postgresql"]

    pg_version = "-"
    if "postgresql" in dialects:
        try:
            with _admin(admin_url) as conn:
                row = conn.execute("SHOW server_version").fetchone()
                pg_version = row[0] if row else "?"
        except psycopg.Error as error:
            print(f"postgresql: server at {make_url(admin_url).host} unusable: {error}")
            return 2
    print(
        f"invdesk stock benchmark: {args.products:,} products x {len(WAREHOUSES)} warehouses, "
        f"{args.seconds:g} s per run, workers {','.join(map(str, args.workers))} (processes)\n"
        f"mix: issue {P_ISSUE:.0%}, receive {P_RECEIVE - P_ISSUE:.0%} (half with a unit cost), "
        f"transfer {1 - P_RECEIVE:.0%}; qty 1-{MAX_OP_QTY}; one line per operation\n"
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLAlchemy "
        f"{sqlalchemy.__version__}, psycopg {psycopg.__version__}, SQLite "
        f"{sqlite3.sqlite_version}, PostgreSQL {pg_version}\n"
        "ours = invdesk.services.stock.operations; raw = the same statements via sqlite3/psycopg; "
        "ratio = ours/raw",
        flush=True,
    )

    ok = True
    pool = WorkerPool(max(args.workers))
    try:
        if "sqlite" in dialects:
            with tempfile.TemporaryDirectory(prefix="invdesk-bench-") as tmp:
                url = f"sqlite:///{tmp}/bench.db"
                ok = bench_database(pool, "sqlite", url, args, None) and ok
        if "postgresql" in dialects:
            run_tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
            bench_db = f"{BENCH_DB_PREFIX}_{run_tag}"
            binary = find_pgbench()
            pgbench = (
                PgBench(binary, admin_url, f"{PGBENCH_DB_PREFIX}_{run_tag}") if binary else None
            )
            if pgbench is None:
                print("pgbench: not found on PATH or under /usr/lib/postgresql/*/bin; skipped")
            url = recreate_database(admin_url, bench_db)
            try:
                ok = bench_database(pool, "postgresql", url, args, pgbench) and ok
            finally:
                drop_database(admin_url, bench_db)
                if pgbench is not None:
                    pgbench.drop()
    finally:
        pool.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
