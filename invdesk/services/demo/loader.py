"""Demo data for an empty database: four warehouses, ~300 products and months of stock history.

The history is simulated in Python (sales with weekly and yearly seasons, restocking, transfers,
returns, stock counts, a few open reservations) under the stock services' rules, counters and
moving-average costs included, then written with bulk Core inserts in one transaction.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from itertools import accumulate, batched
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from invdesk.db.engine import Database
from invdesk.db.tables import (
    barcode_t,
    category_t,
    level_t,
    movement_t,
    product_t,
    quant_t,
    request_t,
    reservation_t,
    user_t,
    warehouse_t,
)
from invdesk.domain.errors import Conflict, ValidationError
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import MovementKind as Kind
from invdesk.domain.stock import ReservationStatus
from invdesk.domain.validation import from_minor, to_minor
from invdesk.services.catalog import logins
from invdesk.services.catalog.users import locked_password_hash
from invdesk.services.demo import names, purchasing, restock_policies
from invdesk.services.demo.names import WAREHOUSES, ProductSpec

CHUNK = 2000
W = len(WAREHOUSES)
CANCELLED = "Demo load cancelled."
MAX_DAYS = 1830
PROGRESS_SCALE = 1000
Action = Callable[[datetime], None]
Step = Callable[[int, int], None]
# The demo's people: a clerk receives, sells, returns and holds; a manager counts and transfers.
DEMO_CLERK, DEMO_MANAGER = "demo.clerk", "demo.manager"
MANAGER_KINDS = frozenset({"adjust", "transfer"})


@dataclass(frozen=True)
class DemoSummary:
    warehouses: int
    products: int
    barcodes: int
    movements: int
    reservations: int


class _Row(NamedTuple):
    """A movement row; product_id and warehouse_id are list indexes until it is written."""

    product_id: int
    warehouse_id: int
    kind: str
    qty: int
    units: int
    reserved_delta: int
    balance_after: int
    unit_cost: Decimal | None
    reference: str
    reason: str | None
    at: datetime
    request_id: str
    transfer_id: str | None


class _History:
    """The simulated business: stock counters per (product, warehouse) and the ledger behind them."""

    def __init__(self, rng: random.Random, products: list[ProductSpec], days: int) -> None:
        self.rng, self.products, self.days = rng, products, days
        self.user_of: dict[str, str] = {}  # request id -> the demo user who did it
        size = len(products) * W
        self.on_hand, self.reserved, self.on_order = [0] * size, [0] * size, [0] * size
        self.avg: list[int | None] = [None] * size  # None: no stock_level row yet
        self.rows: list[_Row] = []
        self.requests: list[dict[str, Any]] = []
        self.holds: list[dict[str, Any]] = []
        self.numbers: dict[str, int] = defaultdict(int)
        self.incoming: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(dict)
        self.outgoing: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        self.returns: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.pop = [rng.lognormvariate(0, 0.9) for _ in products]
        self.sizes = [names.LINE_KG if s.unit == "kg" else names.LINE_QTY for s in products]
        every = range(len(products))
        chance = [0.35 + 0.1 * min(pop, 3) for pop in self.pop]  # branches carry best sellers
        self.carried = [list(every)] + [
            [p for p in every if rng.random() < chance[p]] for _ in range(W - 1)
        ]
        # Reorder point and order-up-to level from the expected daily sales; MAIN also feeds
        # the branches. Both follow the season when used.
        self.rop, self.top = [0.0] * size, [0.0] * size
        for w, carried in enumerate(self.carried):
            site = WAREHOUSES[w]
            per_pop = site.orders * sum(site.week) / 7 * 3 / sum(self.pop[p] for p in carried)
            for p in carried:
                daily = per_pop * self.pop[p]
                self.rop[p * W + w], self.top[p * W + w] = daily * 4 + 2, daily * 12 + 6
                if w:
                    self.rop[p * W] += daily * 3
                    self.top[p * W] += daily * 12

    def levels(self) -> Iterator[dict[str, Any]]:
        for k, avg in enumerate(self.avg):
            if avg is not None:  # the row exists
                on_hand, reserved, cost = self.on_hand[k], self.reserved[k], from_minor(avg)
                yield dict(product_id=k // W, warehouse_id=k % W, on_hand=on_hand,
                           reserved=reserved, avg_cost=cost)  # fmt: skip

    def size(self) -> int:
        """Rows to write: warehouses, products, barcodes, requests, holds, ledger, stock levels."""
        barcodes = sum(len(s.codes()) for s in self.products)
        rows = len(self.requests) + len(self.holds) + len(self.rows)
        return W + len(self.products) + barcodes + rows + sum(1 for _ in self.levels())

    def _doc(self, kind: str, prefix: str, at: datetime) -> tuple[str, str]:
        """A new document: its request id (one stock_request row) and its reference."""
        rid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        digest = fingerprint(kind, ["demo", rid])
        user = DEMO_MANAGER if kind in MANAGER_KINDS else DEMO_CLERK
        self.user_of[rid] = user
        self.requests.append(dict(request_id=rid, kind=kind, fingerprint=digest, user=user, at=at))
        self.numbers[prefix] += 1
        return rid, f"{prefix}-{self.numbers[prefix]:06d}"

    def _row(
        self, kind: Kind, k: int, qty: int, at: datetime, doc: tuple[str, str], **extra: Any
    ) -> _Row:
        self.on_hand[k] += qty
        cost = extra.get("cost")
        row = _Row(
            k // W, k % W, kind.value, qty, extra.get("units", abs(qty)), extra.get("reserved", 0),
            self.on_hand[k], None if cost is None else from_minor(cost), doc[1],
            extra.get("reason"), at, doc[0], extra.get("transfer"),
        )  # fmt: skip
        self.rows.append(row)
        return row

    def _put(self, k: int, qty: int, cost: int | None) -> None:
        """The moving-average cost exactly as counters.put computes it, in 1/10,000 units."""
        old, on_hand = self.avg[k], self.on_hand[k]
        if old is None:
            self.avg[k] = to_minor(self.products[k // W].cost) if cost is None else cost
        elif cost is not None:
            self.avg[k] = (on_hand * old + qty * cost + (on_hand + qty) // 2) // (on_hand + qty)

    def receive(self, w: int, lines: list[tuple[int, int]], day: int, at: datetime) -> None:
        doc, inflation = self._doc("receive", "PO", at), 1 + 0.04 * day / self.days
        for p, qty in sorted(lines):
            cents = round(float(self.products[p].cost) * 100 * inflation * self.rng.gauss(1, 0.03))
            cost, k = max(cents, 1) * 100, p * W + w
            self._put(k, qty, cost)
            self.on_order[k] = max(0, self.on_order[k] - qty)
            self._row(Kind.RECEIVE, k, qty, at, doc, cost=cost)

    def sell(self, w: int, items: list[tuple[int, int]], day: int, at: datetime) -> None:
        lines = [(k, min(q, self.on_hand[k] - self.reserved[k])) for k, q in items]
        lines = [(k, q) for k, q in lines if q > 0]  # what is not there is a lost sale
        if not lines:
            return
        doc = self._doc("issue", WAREHOUSES[w].sale_prefix, at)
        for k, qty in lines:
            self._row(Kind.ISSUE, k, -qty, at, doc, cost=self.avg[k], reason="Sale")
            if self.rng.random() < 0.015:
                self.returns[day + self.rng.randint(1, 14)].append((k, self.rng.randint(1, qty)))

    def transfer(self, p: int, src: int, dst: int, qty: int, at: datetime) -> None:
        ks, kd = p * W + src, p * W + dst
        qty = min(qty, self.on_hand[ks] - self.reserved[ks])
        if qty > 0:
            doc, cost = self._doc("transfer", "TR", at), self.avg[ks]
            tid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            self._row(Kind.TRANSFER_OUT, ks, -qty, at, doc, transfer=tid, cost=cost)
            self._put(kd, qty, cost)
            self._row(Kind.TRANSFER_IN, kd, qty, at, doc, transfer=tid, cost=cost)

    def replenish(self, p: int, dst: int, qty: int, at: datetime) -> None:
        self.on_order[p * W + dst] = max(0, self.on_order[p * W + dst] - qty)
        self.transfer(p, 0, dst, qty, at)

    def give_back(self, k: int, qty: int, at: datetime) -> None:
        doc = self._doc("return", "RMA", at)
        if self.rng.random() < 0.25:
            self._row(Kind.RETURN_DAMAGED, k, 0, at, doc, units=qty, reason="Returned damaged")
        else:
            self._put(k, qty, None)
            self._row(Kind.RETURN, k, qty, at, doc, cost=self.avg[k], reason="Customer return")

    def count(self, k: int, at: datetime) -> None:
        counted = max(self.reserved[k], self.on_hand[k] + self.rng.choice((-3, -2, -1, -1, 1, 2)))
        diff = counted - self.on_hand[k]
        if diff and self.avg[k] is not None:
            reason = "Stock count: found" if diff > 0 else "Stock count: missing or broken"
            doc = self._doc("adjust", "CNT", at)
            self._row(Kind.ADJUST, k, diff, at, doc, reason=reason, cost=self.avg[k])

    def hold(self, k: int, qty: int, at: datetime, expires: datetime) -> None:
        self.reserved[k] += qty
        doc = self._doc("reserve", "RES", at)
        self._row(Kind.RESERVE, k, 0, at, doc, units=qty, reserved=qty)
        self.holds.append(
            dict(product_id=k // W, warehouse_id=k % W, qty=qty, status=ReservationStatus.ACTIVE.value,
                 user=self.user_of[doc[0]], reference=doc[1], created_at=at, expires_at=expires,
                 request_id=doc[0])
        )  # fmt: skip

    def _reorder(self, first: datetime, day: int, factor: list[float]) -> None:
        """At night: branches ask MAIN for stock; MAIN (or a branch it cannot serve) orders it."""

        def weekday_from(offset: int) -> int:  # deliveries come Monday to Friday
            when = day + offset
            while (first + timedelta(days=when)).weekday() >= 5:
                when += 1
            return when

        promised = [0] * len(self.products)
        for w in (1, 2, 3, 0):
            for p in self.carried[w]:
                k, main, f = p * W + w, p * W, factor[p]
                position = self.on_hand[k] + self.on_order[k]
                need = math.ceil(self.top[k] * f) - position
                if position > self.rop[k] * f or need <= 0:
                    continue
                spare = self.on_hand[main] - self.reserved[main] - promised[p]
                if w and spare - need >= self.rop[main] * f / 2:
                    promised[p] += need
                    self.outgoing[weekday_from(self.rng.randint(1, 2))].append((p, w, need))
                else:  # suppliers deliver whole cases
                    need += -need % self.products[p].case_qty
                    arrival = weekday_from(self.rng.randint(2, 5))
                    self.incoming[arrival].setdefault(w, []).append((p, need))
                self.on_order[k] += need

    def _day(self, day: int, weekday: int, factor: list[float]) -> list[tuple[int, Action]]:
        """The day's events as (second of the day, action taking the time), in time order."""
        rng, events = self.rng, list[tuple[int, Action]]()

        def add(hours: tuple[int, int], act: Action) -> None:
            events.append((rng.randrange(hours[0] * 3600, hours[1] * 3600), act))

        for w, (site, carried) in enumerate(zip(WAREHOUSES, self.carried, strict=True)):
            rate = site.orders * site.week[weekday] * (1 + 0.15 * day / self.days)
            cum = list(accumulate(self.pop[p] * factor[p] for p in carried))
            for _ in range(max(0, round(rng.gauss(rate, math.sqrt(rate))))):
                size = rng.choices(*names.ORDER_LINES)[0]
                picks = sorted(set(rng.choices(carried, cum_weights=cum, k=size)))
                items = [(p * W + w, rng.choices(*self.sizes[p])[0]) for p in picks]
                add(site.hours, partial(self.sell, w, items, day))
        for k, qty in self.returns.pop(day, []):
            add(WAREHOUSES[k % W].hours, partial(self.give_back, k, qty))
        for w, lines in self.incoming.pop(day, {}).items():
            add((7, 10), partial(self.receive, w, lines, day))
        for p, dst, qty in self.outgoing.pop(day, []):
            add((10, 15), partial(self.replenish, p, dst, qty))
        for w in rng.choices(range(W), k=rng.choice((0, 1, 1, 2, 3)) if weekday < 5 else 0):
            add((16, 18), partial(self.count, rng.choice(self.carried[w]) * W + w))
        return sorted(events, key=lambda event: event[0])

    def run(
        self, start: datetime, end: datetime, cancelled: Callable[[], bool], step: Step
    ) -> None:
        """Simulate the days from `start` to `end`; `step(day, days)` after each day."""
        first = start.replace(hour=0, minute=0, second=0, microsecond=0)
        for w, carried in enumerate(self.carried):  # opening stock
            lines = [(p, math.ceil(self.top[p * W + w])) for p in carried]
            self.receive(w, lines, 0, start + timedelta(minutes=w))
        seasons = {(s.category, s.season) for s in self.products}
        days = (end - first).days + 1
        for day in range(days):
            step(day, days)
            if cancelled():
                raise ValidationError(CANCELLED)
            midnight = first + timedelta(days=day)
            by_season = {key: names.season_factor(*key, midnight.date()) for key in seasons}
            factor = [by_season[(s.category, s.season)] for s in self.products]
            for second, act in self._day(day, midnight.weekday(), factor):
                at = midnight + timedelta(seconds=second)
                if start + timedelta(minutes=5) < at < end:
                    act(at)
            self._reorder(first, day, factor)
        begin = max(self.rows[-1].at, end - timedelta(hours=4))
        for i in range(self.rng.randint(6, 10)):  # a handful of open holds, due in a few days
            w = self.rng.randrange(W)
            k = self.rng.choice(self.carried[w]) * W + w
            if (available := self.on_hand[k] - self.reserved[k]) >= 2:
                at = begin + (end - begin) * (i + 1) / 12
                qty = self.rng.randint(1, min(10, available // 2))
                self.hold(k, qty, at, at + timedelta(days=self.rng.choice((1, 2, 3, 7))))


def _phase(report: Callable[[int, int], None], half: int) -> Step:
    """`step(done, total)` of one half (0: simulating, 1: writing) on a scale of PROGRESS_SCALE."""
    width = PROGRESS_SCALE // 2

    def step(done: int, total: int) -> None:
        report(half * width + width * done // max(1, total), PROGRESS_SCALE)

    return step


def _demo_users(conn: Connection, at: datetime) -> None:
    """The clerk and the manager the demo's history belongs to, as accounts nobody can log in
    to (inactive, with an unknown password), so the Users page and the audit can name them.

    Only on a database that has accounts already: on one without, the command line works without
    a login, and the demo must not end that. Not where accounts are PostgreSQL login roles: there
    only the account functions write the directory, and the names alone tell who did what."""
    if logins.enabled(conn) or conn.execute(select(user_t.c.id).limit(1)).first() is None:
        return
    taken = set(conn.scalars(select(user_t.c.username).where(
        user_t.c.username.in_((DEMO_CLERK, DEMO_MANAGER)))))  # fmt: skip
    conn.execute(insert(user_t), [
        dict(username=name, password_hash=locked_password_hash(), role=role, active=False,
             created_at=at)
        for name, role in ((DEMO_CLERK, "clerk"), (DEMO_MANAGER, "manager"))
        if name not in taken
    ])  # fmt: skip


def _empty_or_refuse(conn: Connection) -> None:
    products = conn.execute(select(func.count()).select_from(product_t)).scalar_one()
    warehouses = conn.execute(select(func.count()).select_from(warehouse_t)).scalar_one()
    if products or warehouses:
        raise Conflict(
            "Demo data can only be loaded into an empty database; this one already has "
            f"{products:,} product{'s' * (products != 1)} and {warehouses:,} "
            f"warehouse{'s' * (warehouses != 1)}. Nothing was changed."
        )


def _write(
    conn: Connection,
    sim: _History,
    step: Step,
    cancelled: Callable[[], bool],
) -> None:
    """Everything in bulk inserts of CHUNK rows, reporting progress and stopping when asked."""
    _empty_or_refuse(conn)
    _demo_users(conn, sim.requests[0]["at"])
    if conn.dialect.name == "postgresql":
        # The history states its own rows, times and counters. The ledger's trigger honours this
        # only for the owner or a superuser (the set-up); anyone else's rows still get the
        # server's who and when, and then the demo's counters are refused.
        conn.exec_driver_sql("SET LOCAL invdesk.load_ledger = 'on'")
    done, total = 0, sim.size()

    def put(table: Table, rows: Iterable[dict[str, Any]]) -> None:
        nonlocal done
        for chunk in batched(rows, CHUNK):
            if cancelled():
                raise ValidationError(CANCELLED)
            conn.execute(insert(table), list(chunk))
            done += len(chunk)
            step(done, total)

    def ids(table: Table, key: str) -> dict[Any, int]:
        return {row[0]: row[1] for row in conn.execute(select(table.c[key], table.c.id))}

    missing = {s.category for s in sim.products} - set(ids(category_t, "name"))
    if missing:  # renamed or deleted since the database was made
        conn.execute(insert(category_t), [{"name": name} for name in sorted(missing)])
    categories, since = ids(category_t, "name"), sim.rows[0].at - timedelta(days=1)
    put(warehouse_t, (dict(code=w.code, name=w.name, address=w.address) for w in WAREHOUSES))
    put(product_t, (s.row(categories[s.category], since) for s in sim.products))
    codes, skus = ids(warehouse_t, "code"), ids(product_t, "sku")
    wid, pid = [codes[w.code] for w in WAREHOUSES], [skus[s.sku] for s in sim.products]
    put(
        barcode_t,
        (code | {"product_id": pid[i]} for i, s in enumerate(sim.products) for code in s.codes()),
    )
    put(request_t, sim.requests)

    def located(row: dict[str, Any]) -> dict[str, Any]:
        return row | {
            "product_id": pid[row["product_id"]],
            "warehouse_id": wid[row["warehouse_id"]],
        }

    put(reservation_t, (located(hold) for hold in sim.holds))
    holds = ids(reservation_t, "request_id")
    put(
        movement_t,
        (
            located(r._asdict())
            | {"user": sim.user_of[r.request_id], "reservation_id": holds.get(r.request_id)}
            for r in sim.rows
        ),
    )
    put(level_t, (located(level) for level in sim.levels()))
    if conn.dialect.name == "postgresql":
        # The bulk-loaded ledger moved no quants (SQLite's trigger did): one per counter, in the
        # default location with no lot, as the demo has neither.
        conn.execute(
            insert(quant_t).from_select(
                ["product_id", "warehouse_id", "on_hand"],
                select(level_t.c.product_id, level_t.c.warehouse_id, level_t.c.on_hand),
            )
        )


def load_demo(
    db: Database,
    actor: Actor,
    *,
    seed: int = 7,
    days: int = 180,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill an empty database with demo warehouses, products and `days` of history ending now.

    Deterministic for a seed, apart from the clock (`db.now()`). `progress(done, total)` is called
    between chunks of rows, inside the transaction, so it must return at once; `cancelled()`
    returning True stops the load and leaves nothing behind.
    Returns what was loaded. Raises PermissionDenied without catalog rights, Conflict if the
    database already has products or warehouses, ValidationError for bad `days` or when cancelled.
    """
    require(actor, Permission.CATALOG)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"Days of demo history must be from 1 to {MAX_DAYS:,}.", field="days")
    stop = cancelled or (lambda: False)
    with db.read() as conn:  # refuse before the work of simulating; checked again when writing
        _empty_or_refuse(conn)
    now, rng = db.now(), random.Random(seed)
    sim = _History(rng, names.build_catalogue(rng), days)
    report = progress or (lambda _done, _total: None)
    # Simulating takes about as long as writing: each reports half of one scale, so the bar moves
    # from the start rather than waiting at 0 % for the first rows to be written.
    simulated = _phase(report, 0)
    # Simulated before the transaction: PostgreSQL ends sessions idle in one for a few seconds.
    sim.run(now - timedelta(days=days), now - timedelta(seconds=30), stop, simulated)
    try:
        db.run(lambda conn: _write(conn, sim, _phase(report, 1), stop))
    except IntegrityError as error:  # another PC added a warehouse or product meanwhile
        keys = ("warehouse.code", "uq_warehouse_code", "product.sku", "uq_product_sku")
        if not any(key in str(error.orig) for key in keys):
            raise
        raise Conflict("The database changed during the demo load; nothing was added.") from None
    restock_policies.seed_policies(db, actor)
    received = purchasing.load_purchasing(db, actor)
    barcodes = sum(len(s.codes()) for s in sim.products)
    return DemoSummary(W, len(sim.products), barcodes, len(sim.rows) + received, len(sim.holds))
