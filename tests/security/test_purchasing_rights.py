"""Purchasing on a person's own PostgreSQL login: managers order, clerks receive, and what the
services never do (rewrite an order, take back received units, reopen a closed PO) is refused by
the database itself."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import text

from invdesk.db.engine import Database
from invdesk.domain import purchasing as p
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders, receiving
from invdesk.services.trust import verify
from tests import support


@pytest.fixture
def ordered(pg_db):
    """PO-000001 (sent, 10 BOLT, 4 received) and PO-000002 (cancelled)."""
    support.warehouse(pg_db, "MAIN")
    support.product(pg_db, "BOLT")
    suppliers.create_supplier(pg_db, p.SupplierDetails("ACME", "Acme"), SYSTEM)
    for _ in range(2):
        orders.create_po(
            pg_db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 10),)), SYSTEM
        )
        orders.send_po(pg_db, orders.list_pos(pg_db, SYSTEM, status="draft")[0].number, SYSTEM)
    receiving.receive_po(pg_db, p.ReceivePurchase("PO-1", (Line("BOLT", 4),)), SYSTEM)
    orders.cancel_po(pg_db, "PO-2", SYSTEM)
    return pg_db


def test_a_manager_orders_and_a_clerk_receives_on_their_own_logins(ordered, make_login):
    boss, clerk = make_login("manager"), make_login("clerk")
    with Database.open(boss.url) as db:
        manager = Actor(boss.name, Role.MANAGER)
        suppliers.link_supplier(db, p.LinkSupplier("ACME", "BOLT", pack_size=5), manager)
        po = orders.create_po(
            db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 5),)), manager
        )
        orders.send_po(db, po.number, manager)
        orders.edit_po(
            db, p.EditPurchase(po.number, lines=(p.OrderLine("BOLT", 6),), reason="more"), manager
        )
    with Database.open(clerk.url) as db:
        me = Actor(clerk.name, Role.CLERK)
        done = receiving.receive_po(db, p.ReceivePurchase(po.number, (Line("BOLT", 6),)), me)
        rest = receiving.receive_po(db, p.ReceivePurchase("PO-1", (Line("BOLT", 6),)), me)

    assert done.order.status is p.POStatus.RECEIVED and rest.order.status is p.POStatus.RECEIVED
    assert done.movements[0].user == clerk.name
    with ordered.engine.connect() as conn:
        users = conn.execute(text('SELECT DISTINCT "user" FROM po_receipt')).scalars().all()
    assert clerk.name in users
    assert verify.verify(ordered, SYSTEM) == []


REFUSED = {
    # What a column grant refuses to a clerk.
    "clerk": {
        "order more": "UPDATE purchase_order_line SET ordered = ordered + 100",
        "change a price": "UPDATE purchase_order_line SET unit_price = 0",
        "move a PO to another supplier": "UPDATE purchase_order SET supplier_id = supplier_id",
        "write an order": "INSERT INTO purchase_order (supplier_id) VALUES (1)",
        "remove a receipt": "DELETE FROM po_receipt",
        "rewrite a receipt": "UPDATE po_receipt SET units = 1",
        "change terms": "UPDATE supplier_product SET price = 0",
    },
    # What a guard refuses even to a manager, who may otherwise edit POs.
    "manager": {
        "take back received units": "UPDATE purchase_order_line SET received = 0",
        "reopen a cancelled PO": "UPDATE purchase_order SET status = 'sent' WHERE id = 2",
        "send a PO back to draft": "UPDATE purchase_order SET status = 'draft' WHERE id = 1",
        "renumber a PO": "UPDATE purchase_order SET number = 'PO-000009' WHERE id = 1",
        "remove a receipt": "DELETE FROM po_receipt",
    },
}
CASES = [(role, attack) for role, attacks in REFUSED.items() for attack in attacks]


def _state(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("purchase_order", "purchase_order_line", "po_receipt", "supplier_product")
        ]


@pytest.mark.parametrize(("role", "attack"), CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_rewriting_purchasing_history_is_refused_and_changes_nothing(
    ordered, make_login, role, attack
):
    me = make_login(role)
    before = _state(ordered)

    with me.connect() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(REFUSED[role][attack])

    assert isinstance(refused.value, errors.InsufficientPrivilege | errors.CheckViolation), (
        refused.value
    )
    assert _state(ordered) == before
