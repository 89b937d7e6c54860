"""The company's details: set by admins, audited, printed at the head of documents."""

from __future__ import annotations

import pytest

from invdesk.domain import purchasing as p
from invdesk.domain.company import CompanyDetails
from invdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.reports.documents.purchase_order import purchase_order
from invdesk.services.catalog import company, suppliers
from invdesk.services.purchasing import orders
from tests import support


def test_documents_head_with_the_company_once_set_else_the_warehouse(db):
    support.warehouse(db, "MAIN", "Main warehouse")
    support.product(db, "BOLT")
    suppliers.create_supplier(db, p.SupplierDetails("ACME", "Acme"), support.ACTOR)
    po = orders.create_po(
        db, p.CreatePurchase("ACME", "MAIN", (p.OrderLine("BOLT", 2),)), support.ACTOR
    )
    assert company.get_company(db, support.ACTOR).name is None
    assert purchase_order(db, support.ACTOR, po.number).issuer.name == "Main warehouse"

    first = company.set_company(
        db,
        CompanyDetails("Fastening Ltd", "1 Quay St, Harbourtown", "555-0100", "buy@fast.example"),
        support.ACTOR,
    )
    assert first.version == 1
    issuer = purchase_order(db, support.ACTOR, po.number).issuer
    assert issuer.name == "Fastening Ltd"
    assert issuer.address == ("1 Quay St", "Harbourtown", "555-0100 · buy@fast.example")

    cleared = company.set_company(db, CompanyDetails(phone="", expected_version=1), support.ACTOR)
    assert (cleared.phone, cleared.name, cleared.version) == (None, "Fastening Ltd", 2)
    with pytest.raises(Conflict):
        company.set_company(db, CompanyDetails(name="X", expected_version=1), support.ACTOR)
    with pytest.raises(ValidationError):
        company.set_company(db, CompanyDetails(email="not an address"), support.ACTOR)
    with pytest.raises(PermissionDenied):
        company.set_company(db, CompanyDetails(name="X"), Actor("mo", Role.MANAGER))
