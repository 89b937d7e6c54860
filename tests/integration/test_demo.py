"""Demo data: a consistent, believable history for an empty database, refused in a used one."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.db.models import (
    Barcode,
    Category,
    Movement,
    Product,
    Reservation,
    StockLevel,
    StockRequest,
    User,
    Warehouse,
)
from invdesk.domain.barcodes import is_valid_gtin
from invdesk.domain.catalog import DEFAULT_CATEGORIES
from invdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import IssueStock, Line, ReservationStatus
from invdesk.domain.validation import to_minor
from invdesk.services.demo.loader import load_demo
from invdesk.services.stock import operations, reservations
from invdesk.services.trust.verify import verify
from tests import support

MANAGER = Actor("demo", Role.MANAGER)
TABLES = (Warehouse, Product, Barcode, StockLevel, StockRequest, Movement, Reservation)


def _counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in TABLES
        }


def _ledger(db: Database) -> list:
    with db.read() as conn:
        return list(conn.execute(select(Movement.__table__).order_by(Movement.id)))


def test_default_demo_loads_the_promised_amounts_and_verifies_clean(db):
    summary = load_demo(db, MANAGER)

    assert verify(db, MANAGER) == []
    counts = _counts(db)
    assert (summary.warehouses, counts["warehouse"]) == (4, 4)
    assert 280 <= summary.products == counts["product"] <= 320
    assert summary.products < summary.barcodes == counts["barcode"] < 2 * summary.products
    assert 20_000 <= summary.movements == counts["movement"] <= 60_000
    assert 3 <= summary.reservations == counts["reservation"] <= 15
    with db.read() as conn:
        used = conn.execute(
            select(Category.name, func.count(Product.id)).join(Product).group_by(Category.name)
        ).all()
        codes = conn.execute(select(Barcode.code)).scalars().all()
        prices = conn.execute(select(Product.sku, Product.price, Product.cost)).all()
    assert {name for name, _ in used} == set(DEFAULT_CATEGORIES)
    assert min(n for _, n in used) >= 30
    assert all(is_valid_gtin(code) for code in codes)
    assert all(0 < cost < price and price == round(price, 2) for _, price, cost in prices)


def test_ledger_balances_run_like_the_counters_and_costs_average_like_receipts(db):
    load_demo(db, MANAGER, days=45)
    on_hand: dict[tuple[int, int], int] = defaultdict(int)
    avg: dict[tuple[int, int], int] = {}
    for row in _ledger(db):
        key = (row.product_id, row.warehouse_id)
        before = on_hand[key]
        on_hand[key] += row.qty
        assert row.balance_after == on_hand[key] >= 0, row
        if row.kind in ("receive", "transfer_in"):  # a unit cost moves the average
            cost = to_minor(row.unit_cost)
            old = avg.get(key, cost)
            avg[key] = (before * old + row.qty * cost + on_hand[key] // 2) // on_hand[key]
    with db.read() as conn:
        levels = conn.execute(select(StockLevel.__table__)).all()
    assert {(s.product_id, s.warehouse_id): s.on_hand for s in levels} == {
        key: qty for key, qty in on_hand.items() if key in avg
    }
    assert all(to_minor(s.avg_cost) == avg[(s.product_id, s.warehouse_id)] for s in levels)


def test_every_document_has_one_request_and_transfers_pair_up(db):
    load_demo(db, MANAGER, days=45)
    ledger = _ledger(db)
    with db.read() as conn:
        requests = {r.request_id: r for r in conn.execute(select(StockRequest.__table__))}
    documents = defaultdict(list)
    for row in ledger:
        documents[row.request_id].append(row)
    assert set(documents) == set(requests)
    for request_id, rows in documents.items():
        assert {row.at for row in rows} == {requests[request_id].at}
        assert len({row.reference for row in rows}) == 1
    transfers = defaultdict(list)
    for row in ledger:
        assert (row.transfer_id is not None) == row.kind.startswith("transfer_")
        if row.transfer_id:
            transfers[row.transfer_id].append(row)
    assert len(transfers) > 20
    for out, into in transfers.values():
        assert (out.kind, into.kind) == ("transfer_out", "transfer_in")
        assert out.product_id == into.product_id and out.warehouse_id != into.warehouse_id
        assert out.qty == -into.qty < 0 and out.request_id == into.request_id
    kinds = Counter(row.kind for row in ledger)
    assert {"receive", "issue", "return", "adjust", "reserve"} <= set(kinds)
    assert kinds["issue"] > kinds["receive"] > kinds["return"]


def test_history_spans_the_days_in_the_past_with_busier_weekdays(db):
    days = 42
    now = db.now()
    load_demo(db, MANAGER, days=days)
    times = [row.at for row in _ledger(db)]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in times)
    assert times == sorted(times)
    assert now - timedelta(days=days) <= times[0] < times[-1] < db.now()
    assert times[-1] - times[0] > timedelta(days=days - 2)
    per_day = Counter(t.date() for t in times)
    del per_day[times[0].date()], per_day[times[-1].date()]  # partly in the window
    weekday = [n for d, n in per_day.items() if d.weekday() < 5]
    weekend = [n for d, n in per_day.items() if d.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 1.5 * sum(weekend) / len(weekend)


def test_open_reservations_are_held_in_the_counters_and_can_be_committed(db):
    load_demo(db, MANAGER, days=21)
    held = reservations.list_reservations(db, MANAGER)
    assert held and all(r.status is ReservationStatus.ACTIVE for r in held)
    assert all(r.created_at < db.now() < r.expires_at for r in held)
    with db.read() as conn:
        rows = conn.execute(select(Movement.__table__).where(Movement.kind == "reserve")).all()
    assert {(r.reservation_id, r.units, r.reserved_delta, r.qty) for r in rows} == {
        (r.id, r.qty, r.qty, 0) for r in held
    }
    reservations.commit(db, held[0].id, MANAGER)
    operations.issue(db, IssueStock(held[-1].warehouse, (Line(held[-1].sku, 1),)), MANAGER)
    assert verify(db, MANAGER) == []


def test_loading_into_a_used_database_is_refused_and_changes_nothing(db):
    load_demo(db, MANAGER, days=7)
    before = _counts(db)

    with pytest.raises(Conflict, match="empty database"):
        load_demo(db, MANAGER, days=7)

    assert _counts(db) == before


def test_a_database_with_only_a_warehouse_is_refused(db):
    support.warehouse(db)

    with pytest.raises(Conflict, match=r"1 warehouse\b"):
        load_demo(db, MANAGER, days=7)


def test_a_cancelled_load_leaves_the_database_empty(db):
    seen: list[tuple[int, int]] = []

    with pytest.raises(ValidationError, match="cancelled"):
        load_demo(
            db,
            MANAGER,
            days=30,
            progress=lambda *p: seen.append(p),
            cancelled=lambda: len(seen) >= 3,
        )

    assert len(seen) == 3 and seen[-1][0] < seen[-1][1]
    assert set(_counts(db).values()) == {0}
    load_demo(db, MANAGER, days=7)  # and the database is still good for a full load
    assert verify(db, MANAGER) == []


def test_a_clerk_may_not_load_demo_data(db):
    with pytest.raises(PermissionDenied):
        load_demo(db, Actor("clerk", Role.CLERK), days=7)
    assert set(_counts(db).values()) == {0}


def test_the_same_seed_gives_the_same_data(tmp_path):
    fixed = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)

    def ledger_of(name: str, seed: int) -> list[tuple]:
        with Database.open(f"sqlite:///{tmp_path}/{name}.db") as db:
            db.clock = lambda: fixed
            migrate.upgrade(db)
            load_demo(db, MANAGER, seed=seed, days=10)
            with db.read() as conn:
                rows = conn.execute(
                    select(
                        Product.sku, Movement.kind, Movement.qty, Movement.at, Movement.unit_cost
                    )
                    .join(Product)
                    .order_by(Movement.id)
                ).all()
        return [tuple(row) for row in rows]

    first = ledger_of("a", 7)
    assert first == ledger_of("b", 7)
    assert first != ledger_of("c", 8)


def test_the_demo_opens_with_a_handful_of_alerts_not_hundreds(db):
    """Typically 5-10% of the stock rows alert, some low and some out of stock. The history
    follows the clock (weekdays, hours): over 16 sampled start times it ranged 4.7-10.4%, and a
    Monday morning gave 12.6%, so the test loads it as of a fixed mid-week afternoon; the bounds
    still fail on the hundreds the demo used to raise."""
    from invdesk.domain.browse import StockQuery
    from invdesk.services.reads import alerts, browse

    db.clock = lambda: datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    load_demo(db, MANAGER)
    found = alerts.list_alerts(db, MANAGER, limit=10_000)
    rows = browse.count_stock(db, MANAGER, StockQuery(include_empty=True))
    assert 0.03 * rows <= len(found) <= 0.12 * rows
    kinds = Counter(a.kind.value for a in found)
    assert kinds["low_stock"] >= 10 and kinds["out_of_stock"] >= 5
    assert len({a.warehouse for a in found}) == 4


def test_demo_history_belongs_to_demo_users_and_the_progress_moves_from_the_start(db):
    from invdesk.services.catalog import products, users
    from invdesk.services.demo.loader import DEMO_CLERK, DEMO_MANAGER, PROGRESS_SCALE

    admin = users.create_first_admin(db, "boss", "password 123")
    seen: list[int] = []
    load_demo(db, admin, days=21, progress=lambda done, total: seen.append(done * 100 // total))

    with db.read() as conn:
        pairs = select(Movement.kind, Movement.user).group_by(Movement.kind, Movement.user)
        who = {kind: user for kind, user in conn.execute(pairs)}
        accounts = {
            u.username: (u.role, u.active)
            for u in conn.execute(select(User.username, User.role, User.active))
        }
    assert who["issue"] == DEMO_CLERK and who["adjust"] == DEMO_MANAGER
    assert "boss" not in set(who.values())
    assert accounts[DEMO_CLERK] == ("clerk", False) and accounts[DEMO_MANAGER] == ("manager", False)
    assert seen == sorted(seen) and seen[-1] == 100 and PROGRESS_SCALE > 100
    assert len([p for p in seen if p < 50]) >= 10  # it moved while simulating, before writing
    product = products.list_products(db, admin, limit=1)[0]
    assert product.description and product.name in product.description


def test_a_demo_on_a_database_without_accounts_adds_none(db):
    from invdesk.services.catalog import users

    load_demo(db, MANAGER, days=7)
    assert not users.has_users(db)
