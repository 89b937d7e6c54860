"""Live updates: another client hears of a change quickly; a killed listener reconnects and catches up."""

from __future__ import annotations

import queue
import time

import pytest
from sqlalchemy import text

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.system import live
from tests import support


def _wait_for(changes: queue.Queue, kind: str, timeout: float) -> live.Change:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            change = changes.get(timeout=left)
        except queue.Empty:
            break
        if kind in change.kinds:
            return change
    raise AssertionError(f"no {kind} change within {timeout} s")


@pytest.fixture
def two_clients(db_url):
    writer, reader = Database.open(db_url), Database.open(db_url)
    support.warehouse(writer)
    support.product(writer, "A")
    yield writer, reader
    writer.dispose()
    reader.dispose()


def test_a_receive_on_one_client_reaches_the_other_within_a_second(two_clients):
    writer, reader = two_clients
    notifier = live.start_notifier(writer)
    changes: queue.Queue[live.Change] = queue.Queue()
    online: queue.Queue[bool] = queue.Queue()
    listener = live.ChangeListener(reader, changes.put, online.put).start()
    try:
        assert online.get(timeout=5) is True
        started = time.monotonic()
        support.stocked(writer, "A", qty=5)
        change = _wait_for(changes, "stock", timeout=1.5)
        assert time.monotonic() - started < 1.5
        assert change.source in ("notify", "check")
    finally:
        listener.close()
        if notifier is not None:
            notifier.close()


def test_local_commits_are_published_at_once(db):
    support.warehouse(db)
    support.product(db, "A")
    changes: queue.Queue[live.Change] = queue.Queue()
    listener = live.ChangeListener(db, changes.put)  # not started: the bus alone
    try:
        support.stocked(db, "A", qty=5)
        change = changes.get_nowait()
        assert change.source == "local" and "stock" in change.kinds
    finally:
        listener.close()


def test_a_killed_listener_connection_reconnects_and_catches_up(pg_url):
    writer, reader = Database.open(pg_url), Database.open(pg_url)
    changes: queue.Queue[live.Change] = queue.Queue()
    online: queue.Queue[bool] = queue.Queue()
    listener = live.ChangeListener(reader, changes.put, online.put, max_backoff=0.5).start()
    try:
        assert online.get(timeout=5) is True
        pid = listener.backend_pid
        with writer.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
        assert online.get(timeout=5) is False
        assert online.get(timeout=10) is True
        change = _wait_for(changes, "stock", timeout=5)
        assert change.source == "catch-up"
        assert listener.backend_pid != pid
        support.warehouse(writer, "X9")  # still listening: the check sees the edit
        _wait_for(changes, "catalog", timeout=5)
    finally:
        listener.close()
        writer.dispose()
        reader.dispose()
    assert SYSTEM  # the services stayed usable throughout


def test_hints_merge_and_survive_the_round_trip_through_a_payload():
    a = live.Change(frozenset({"stock"}), {"stock": ((1, 2),)})
    b = live.Change(frozenset({"stock", "alert"}), {"stock": ((1, 2), (3, 4)), "alert": (7,)})
    merged = live.merge(a, b)
    assert merged.ids == {"stock": ((1, 2), (3, 4)), "alert": (7,)}
    origin, back = live.parse_payload(live.payload(merged, "me"))
    assert origin == "me" and back.ids == merged.ids
    everything = live.merge(merged, live.Change(frozenset({"alert"})))
    assert everything.ids["alert"] == ()  # a kind without ids means all of that kind
    assert live.parse_payload("garbage")[1].kinds == live.KINDS


def test_a_check_without_a_hint_names_the_stock_rows_that_moved(two_clients):
    """No notifier on the writer (a lost hint, or SQLite): the check still names the rows."""
    from invdesk.domain.browse import PageRequest, StockQuery
    from invdesk.domain.catalog import EditProduct
    from invdesk.services.catalog import products
    from invdesk.services.reads import browse

    writer, reader = two_clients
    support.warehouse(writer, "SHOP")
    support.product(writer, "B")
    changes: queue.Queue[live.Change] = queue.Queue()
    online: queue.Queue[bool] = queue.Queue()
    listener = live.ChangeListener(reader, changes.put, online.put, check_interval=0.2)
    listener.start()
    try:
        assert online.get(timeout=5) is True
        # The first check sets the watermark that later checks compare with.
        support.wait_until(lambda: listener._mark is not None, what="the first check")
        support.stocked(writer, "B", qty=5, wh="SHOP")
        change = _wait_for(changes, "stock", timeout=2)
        (row,) = browse.stock_page(writer, SYSTEM, StockQuery(), PageRequest()).rows
        assert change.source == "check"
        assert change.ids["stock"] == ((row.product_id, row.warehouse_id),)
        products.edit_product(writer, EditProduct("B", name="Renamed"), SYSTEM)
        change = _wait_for(changes, "catalog", timeout=2)
        assert change.ids["catalog"] == (row.product_id,)
    finally:
        listener.close()


def test_another_pcs_purchase_orders_and_suppliers_reach_this_one(two_clients):
    """A PO sent or a supplier's terms changed on one PC refresh the other's purchasing pages
    (the PO's id named), with or without a hint."""
    from invdesk.domain import purchasing as p
    from invdesk.services.catalog import suppliers
    from invdesk.services.purchasing import orders

    writer, reader = two_clients
    changes: queue.Queue[live.Change] = queue.Queue()
    online: queue.Queue[bool] = queue.Queue()
    listener = live.ChangeListener(reader, changes.put, online.put, check_interval=0.2)
    listener.start()
    try:
        assert online.get(timeout=5) is True
        support.wait_until(lambda: listener._mark is not None, what="the first check")
        suppliers.create_supplier(writer, p.SupplierDetails("ACME", "Acme"), SYSTEM)
        _wait_for(changes, "purchasing", timeout=2)
        po = orders.create_po(
            writer, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("A", 2),)), SYSTEM
        )
        change = _wait_for(changes, "purchasing", timeout=2)
        if change.source == "check" and writer.dialect == "postgresql":
            assert po.id in change.ids.get("purchasing", (po.id,))
        suppliers.link_supplier(writer, p.LinkSupplier("ACME", "A", pack_size=6), SYSTEM)
        _wait_for(changes, "purchasing", timeout=2)
    finally:
        listener.close()


def test_a_po_sent_on_one_pc_is_hinted_to_the_other_at_once(two_clients):
    """The hint, not the periodic check: the other PC hears of the PO by its id within a second."""
    from invdesk.domain import purchasing as p
    from invdesk.services.catalog import suppliers
    from invdesk.services.purchasing import orders

    writer, reader = two_clients
    suppliers.create_supplier(writer, p.SupplierDetails("ACME", "Acme"), SYSTEM)
    po = orders.create_po(writer, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("A", 2),)), SYSTEM)
    notifier = live.start_notifier(writer)
    changes: queue.Queue[live.Change] = queue.Queue()
    online: queue.Queue[bool] = queue.Queue()
    listener = live.ChangeListener(reader, changes.put, online.put, check_interval=60).start()
    try:
        assert online.get(timeout=5) is True
        orders.send_po(writer, po.number, SYSTEM)
        change = _wait_for(changes, "purchasing", timeout=1.5)
        if writer.dialect == "postgresql":
            assert change.source == "notify" and change.ids["purchasing"] == (po.id,)
    finally:
        listener.close()
        if notifier is not None:
            notifier.close()
