"""A purchase order as an .xlsx workbook, read back: the company, the supplier and its SKUs,
units and packs, prices, amounts, the total and the expected date (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from invdesk.domain import purchasing as p
from invdesk.domain.company import CompanyDetails
from invdesk.domain.errors import NotFound
from invdesk.domain.security import SYSTEM
from invdesk.reports.po_workbook import HEADERS, po_workbook
from invdesk.services.catalog import company, suppliers
from invdesk.services.purchasing import orders
from tests import support

ACTOR = support.ACTOR


@pytest.fixture
def po(db):
    support.warehouse(db, "MAIN")
    support.product(db, "BOLT")
    support.product(db, "NUT")
    company.set_company(db, CompanyDetails("Invdesk Hardware", "1 Dock Road, Harbour Town"), SYSTEM)
    suppliers.create_supplier(
        db, p.SupplierDetails("ACME", "=Acme Fasteners", address="9 Mill Lane"), ACTOR
    )
    suppliers.link_supplier(
        db, p.LinkSupplier("ACME", "BOLT", supplier_sku="AC-B1", price="24.00", pack_size=12),
        ACTOR,
    )  # fmt: skip
    lines = (p.OrderLine("BOLT", 36), p.OrderLine("NUT", 5, "0.035"))
    made = orders.create_po(db, p.CreatePurchase("ACME", "MAIN", lines, "2099-01-31"), ACTOR)
    return orders.send_po(db, made.number, ACTOR)


def test_the_po_workbook_reads_back(db, po, tmp_path):
    path = po_workbook(db, ACTOR, po.number, tmp_path / "po.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [po.number]
    rows = [list(r) for r in workbook[po.number].iter_rows(values_only=True)]
    assert rows[0][0] == f"Purchase order {po.number}"
    assert rows[1][0] == "Invdesk Hardware" and rows[2][0] == "1 Dock Road"
    fields = {r[0]: r[1] for r in rows if r[0] and len(r) > 1 and r[1] is not None}
    assert fields["Expected"] == "2099-01-31" and fields["Status"] == "sent"
    assert fields["Supplier"] == "=Acme Fasteners (ACME)"  # kept as text, never a formula
    header = next(n for n, r in enumerate(rows) if tuple(r[: len(HEADERS)]) == HEADERS)
    bolt, nut, total = rows[header + 1], rows[header + 2], rows[header + 3]
    assert bolt[:7] == ["BOLT", "AC-B1", "Product BOLT", 36, 12, 3, 2]
    assert bolt[7] == 72
    assert nut[:4] == ["NUT", None, "Product NUT", 5] and nut[6] == pytest.approx(0.035)
    assert total[0] == "Total" and Decimal(str(total[7])) == po.total
    assert any(r[0] and f"quote {po.number}" in r[0] for r in rows)
    cell = next(c for row in workbook[po.number].iter_rows() for c in row if c.value and
                str(c.value).startswith("=Acme"))  # fmt: skip
    assert cell.data_type == "s"


def test_an_unknown_po_is_refused(db, po, tmp_path):
    with pytest.raises(NotFound):
        po_workbook(db, ACTOR, "PO-999999", tmp_path / "none.xlsx")
    assert not (tmp_path / "none.xlsx").exists()
