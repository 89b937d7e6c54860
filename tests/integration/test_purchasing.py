"""The purchasing loop on SQLite and PostgreSQL: suggestion -> draft -> sent -> deliveries ->
received, with on-order counted once, over-receipts confirmed, cancels and retries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from invdesk.db.tables import audit_t, movement_t, po_receipt_t
from invdesk.domain import purchasing as p
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import drafts, orders, receiving
from invdesk.services.reads import reorder
from invdesk.services.stock import operations, policies
from invdesk.services.trust import verify
from tests import support

ACTOR = support.ACTOR


@pytest.fixture
def shop(db):
    """MAIN holds 3 of BOLT (reorder point 5, order 20); ACME sells it in packs of 12."""
    support.warehouse(db, "MAIN")
    support.product(db, "BOLT")
    support.product(db, "NUT")
    support.stocked(db, "BOLT", 3)
    suppliers.create_supplier(db, p.SupplierDetails("acme", "Acme Fasteners", lead_days=7), ACTOR)
    suppliers.link_supplier(
        db,
        p.LinkSupplier("ACME", "BOLT", supplier_sku="AC-B1", price="24.00", pack_size=12,
                       min_qty=12, preferred=True),
        ACTOR,
    )  # fmt: skip
    policies.set_policy(
        db,
        SetPolicy("MAIN", PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=20), product="BOLT"),
        ACTOR,
    )
    return db


def _purchases(db, wh="MAIN"):
    return [s for s in reorder.suggestions(db, ACTOR, wh) if s.action == "purchase"]


def _receive(db, number, *lines, confirm=False, rid=None):
    return receiving.receive_po(
        db,
        p.ReceivePurchase(number, tuple(Line(sku, qty) for sku, qty in lines), confirm, rid),
        ACTOR,
    )


def test_the_whole_loop_from_suggestion_to_received_counts_on_order_once(shop):
    db = shop
    (suggested,) = _purchases(db)
    assert (suggested.sku, suggested.suggested_qty, suggested.on_order) == ("BOLT", 20, 0)

    made = drafts.drafts_from_reorder(db, ACTOR, "MAIN")
    (po,) = made.orders
    assert po.number.startswith("PO-") and po.status is p.POStatus.DRAFT
    # 20 rounded up to whole packs of 12; the price is the pack's price per unit.
    (line,) = po.lines
    assert (line.sku, line.ordered, line.pack_size, line.unit_price) == ("BOLT", 24, 12, 2)
    assert line.supplier_sku == "AC-B1" and line.packs == 2
    # A second run drafts nothing twice; a draft is not on order yet.
    again = drafts.drafts_from_reorder(db, ACTOR, "MAIN")
    assert again.orders == () and [s.sku for s in again.already_drafted] == ["BOLT"]

    orders.send_po(db, po.number, ACTOR)
    assert _purchases(db) == []  # 3 available + 24 on order is above the reorder point
    (row,) = support_levels(db)
    assert row.on_order == 24

    first = _receive(db, po.number, ("BOLT", 10), rid="delivery-1")
    assert first.order.status is p.POStatus.PARTIAL
    assert first.order.lines[0].received == 10 and support.on_hand(db, "BOLT") == (13, 0)
    assert support_levels(db)[0].on_order == 14

    second = _receive(db, po.number, ("BOLT", 14))
    assert second.order.status is p.POStatus.RECEIVED and second.order.closed_at is not None
    assert support.on_hand(db, "BOLT") == (27, 0)
    assert support_levels(db)[0].on_order == 0
    # Ledger rows carry the PO's number and price (the moving average moved with it).
    with db.read() as conn:
        refs = conn.execute(
            select(movement_t.c.reference, movement_t.c.unit_cost).where(
                movement_t.c.reference == po.number
            )
        ).all()
        assert [r.unit_cost for r in refs] == [Decimal(2), Decimal(2)]
        assert len(conn.execute(select(po_receipt_t)).all()) == 2
    report = verify.verify_all(db, ACTOR)
    assert report.discrepancies == [] and report.findings == []


def support_levels(db):
    from invdesk.services.reads import queries

    return queries.stock_levels(db, ACTOR, product="BOLT", warehouse="MAIN", include_empty=True)


def _sent(db, qty=10, sku="BOLT"):
    po = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine(sku, qty),)), ACTOR)
    return orders.send_po(db, po.number, ACTOR)


def test_more_than_ordered_asks_for_confirmation_and_books_nothing_without_it(shop):
    db = shop
    po = _sent(db, 10)
    with pytest.raises(p.OverReceipt) as refused:
        _receive(db, po.number, ("BOLT", 12))
    assert refused.value.over == (p.OverLine("BOLT", 10, 0, 12),)
    assert "12 of 10 ordered" in refused.value.message
    assert support.on_hand(db, "BOLT") == (3, 0)
    done = _receive(db, po.number, ("BOLT", 12), confirm=True)
    assert done.order.status is p.POStatus.RECEIVED and done.order.lines[0].received == 12


def test_a_retried_receipt_with_the_same_request_id_books_once(shop):
    db = shop
    po = _sent(db, 10)
    first = _receive(db, po.number, ("BOLT", 4), rid="scan-gun-7")
    again = _receive(db, po.number, ("BOLT", 4), rid="scan-gun-7")
    assert again.replayed and again.movements == first.movements
    assert again.order.lines[0].received == 4 and support.on_hand(db, "BOLT") == (7, 0)


def test_a_product_not_on_the_po_is_refused_with_its_code(shop):
    db = shop
    po = _sent(db, 10)
    with pytest.raises(ValidationError, match=r"NUT .* is not on PO-") as refused:
        _receive(db, po.number, ("BOLT", 2), ("NUT", 1))
    assert refused.value.line == 1
    assert support.on_hand(db, "BOLT") == (3, 0)


def test_a_draft_cannot_be_received_and_an_unknown_number_is_not_found(shop):
    db = shop
    po = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 5),)), ACTOR)
    with pytest.raises(ValidationError, match="still a draft"):
        _receive(db, po.number, ("BOLT", 1))
    with pytest.raises(NotFound):
        _receive(db, "PO-999999", ("BOLT", 1))
    with pytest.raises(ValidationError, match="not a purchase order number"):
        orders.get_po(db, "PO-X", ACTOR)
    assert orders.get_po(db, po.number.lower().replace("po-", ""), ACTOR).id == po.id


def test_cancelling_a_partly_received_po_keeps_what_came_and_ends_the_rest(shop):
    db = shop
    po = _sent(db, 10)
    _receive(db, po.number, ("BOLT", 4))
    cancelled = orders.cancel_po(db, po.number, ACTOR, reason="supplier out of stock")
    assert cancelled.status is p.POStatus.CANCELLED and cancelled.lines[0].received == 4
    assert support_levels(db)[0].on_order == 0 and support.on_hand(db, "BOLT") == (7, 0)
    with pytest.raises(ValidationError, match="cancelled"):
        _receive(db, po.number, ("BOLT", 1))
    with pytest.raises(Conflict):
        orders.cancel_po(db, po.number, ACTOR)


def test_a_sent_po_changes_only_by_an_audited_amendment_never_below_received(shop):
    db = shop
    po = _sent(db, 10)
    _receive(db, po.number, ("BOLT", 4))
    change = p.EditPurchase(po.number, lines=(p.OrderLine("BOLT", 6),))
    with pytest.raises(ValidationError, match="say why"):
        orders.edit_po(db, change, ACTOR)
    with pytest.raises(ValidationError, match="already received"):
        orders.edit_po(
            db, p.EditPurchase(po.number, lines=(p.OrderLine("BOLT", 3),), reason="x"), ACTOR
        )
    amended = orders.edit_po(
        db, p.EditPurchase(po.number, lines=(p.OrderLine("BOLT", 4),), reason="short supply"), ACTOR
    )
    # Cut to what came: the PO is now received in full.
    assert amended.status is p.POStatus.RECEIVED
    with db.read() as conn:
        actions = conn.execute(
            select(audit_t.c.action, audit_t.c.details).where(audit_t.c.entity == "purchase_order")
        ).all()
    assert [a for a, _d in actions] == ["create", "send", "amend"]
    assert "short supply" in actions[-1].details


def test_editing_a_stale_version_is_a_conflict_and_po_numbers_are_never_reused(shop):
    db = shop
    po = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 5),)), ACTOR)
    orders.edit_po(
        db, p.EditPurchase(po.number, notes="call first", expected_version=po.version), ACTOR
    )
    with pytest.raises(Conflict, match="changed by someone else"):
        orders.edit_po(db, p.EditPurchase(po.number, notes="x", expected_version=po.version), ACTOR)
    with pytest.raises(ValidationError):
        orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 0),)), ACTOR)
    nxt = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("NUT", 2),)), ACTOR)
    assert int(nxt.number[3:]) > int(po.number[3:])
    assert [o.number for o in orders.list_pos(db, ACTOR, status="draft")] == [
        nxt.number,
        po.number,
    ]


def test_one_preferred_supplier_per_product_and_suggestions_without_one_are_listed_apart(shop):
    db = shop
    suppliers.create_supplier(db, p.SupplierDetails("BOLTCO", "Bolt Co"), ACTOR)
    suppliers.link_supplier(db, p.LinkSupplier("BOLTCO", "BOLT", preferred=True), ACTOR)
    links = suppliers.supplier_links(db, ACTOR, product="BOLT")
    assert [(x.supplier, x.preferred) for x in links] == [("BOLTCO", True), ("ACME", False)]
    support.stocked(db, "NUT", 1)
    policies.set_policy(
        db, SetPolicy("MAIN", PolicyRule(PolicyKind.MIN_MAX, point=5, level=10), product="NUT"),
        ACTOR,
    )  # fmt: skip
    made = drafts.drafts_from_reorder(db, ACTOR)
    assert [o.supplier for o in made.orders] == ["BOLTCO"]
    assert [s.sku for s in made.unsupplied] == ["NUT"]


def test_days_of_cover_covers_the_suppliers_lead_time(shop):
    db = shop
    support.stocked(db, "NUT", 40)
    operations.issue(db, IssueStock("MAIN", (Line("NUT", 30),)), ACTOR)  # 1 a day over 30 days
    policies.set_policy(
        db,
        SetPolicy(
            "MAIN",
            PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=5, lookback_days=30, target_days=10),
            product="NUT",
        ),
        ACTOR,
    )
    assert [s.sku for s in _purchases(db)] == ["BOLT"]  # 10 left cover 10 days > 5
    suppliers.link_supplier(db, p.LinkSupplier("ACME", "NUT", lead_days=20, preferred=True), ACTOR)
    nut = [s for s in _purchases(db) if s.sku == "NUT"]
    assert len(nut) == 1 and nut[0].suggested_qty == 10 and "lead time of 20 days" in nut[0].reason


def test_clerks_receive_but_only_purchasing_may_order(shop):
    db = shop
    clerk = Actor("cleo", Role.CLERK)
    from invdesk.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        orders.create_po(db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 1),)), clerk)
    with pytest.raises(PermissionDenied):
        suppliers.create_supplier(db, p.SupplierDetails("X", "X"), clerk)
    po = _sent(db, 5)
    done = receiving.receive_po(db, p.ReceivePurchase(po.number, (Line("BOLT", 5),)), clerk)
    assert done.order.status is p.POStatus.RECEIVED
