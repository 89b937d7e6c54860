"""Clerks booking deliveries of the same PO line at once: each booking applies once, the line's
received units are their sum, and nobody passes the ordered quantity without confirming."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from invdesk.db.tables import po_receipt_t
from invdesk.domain import purchasing as p
from invdesk.services.catalog import suppliers
from invdesk.services.purchasing import orders
from invdesk.services.trust import verify
from tests import support
from tests.integration import racing, workers


@pytest.fixture(scope="module", autouse=True)
def _worker_processes() -> Iterator[None]:
    yield
    racing.shutdown()


def test_clerks_booking_the_same_po_line_at_once_sum_up_and_never_pass_the_order(db):
    support.warehouse(db)
    support.product(db, "BOLT")
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme"), support.ACTOR)
    po = orders.create_po(
        db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 40),)), support.ACTOR
    )
    orders.send_po(db, po.number, support.ACTOR)
    url = racing.url_of(db)
    # 8 clerks book 6 units each, every booking sent twice (a retry): 48 units against 40.
    calls = [(url, po.number, "BOLT", 6, f"delivery-{i}") for i in range(8)] * 2
    with racing.clerks(db) as pool:
        results = racing.run_all(pool, workers.receive_po_units, calls)

    # A retry answers as its first booking did (replayed), or is refused the same way.
    assert results[8:] == results[:8]
    assert results[:8].count("ok") == 6  # 6 x 6 = 36 fit; a 7th would make 42 > 40
    view = orders.get_po(db, po.number, support.ACTOR)
    assert view.lines[0].received == 36 and view.status is p.POStatus.PARTIAL
    assert support.on_hand(db, "BOLT") == (36, 0)
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(po_receipt_t)).scalar_one() == 6
    report = verify.verify_all(db, support.ACTOR)
    assert report.discrepancies == [] and report.findings == []
