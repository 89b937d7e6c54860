"""The company's details (name, address, phone, e-mail, tax id): read by everyone, set by admins.

Documents (purchase orders, pick lists, packing slips, transfer notes) are headed with them; until
they are set, a document is headed with its warehouse's name and address.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import company_t
from invdesk.domain.company import CompanyDetails, CompanyView, checked
from invdesk.domain.security import Actor, Permission, require
from invdesk.services import audit_trail
from invdesk.services.unit_of_work import check_version

_FIELDS = ("name", "address", "phone", "email", "tax_id")


def read_company(conn: Connection) -> CompanyView:
    """The details in the caller's transaction (empty when never set)."""
    row = conn.execute(select(company_t).where(company_t.c.id == 1)).first()
    if row is None:
        return CompanyView()
    return CompanyView(row.name, row.address, row.phone, row.email, row.tax_id, row.version)


def get_company(db: Database, actor: Actor) -> CompanyView:
    require(actor, Permission.VIEW)
    with db.read() as conn:
        return read_company(conn)


def set_company(db: Database, details: CompanyDetails, actor: Actor) -> CompanyView:
    """Change the given fields ("" clears one); audited. A stale `expected_version` raises
    Conflict. Raises ValidationError, PermissionDenied (admins only)."""
    require(actor, Permission.ADMIN)

    def work(conn: Connection) -> CompanyView:
        before = read_company(conn)
        check_version(before.version, details.expected_version, "The company's details")
        after = checked(before, details)
        values: dict[str, Any] = {f: getattr(after, f) for f in _FIELDS}
        values.update(updated_by=actor.username, updated_at=db.now())
        if before.version == 0:
            conn.execute(insert(company_t).values(id=1, version=1, **values))
        else:
            conn.execute(
                update(company_t)
                .where(company_t.c.id == 1, company_t.c.version == before.version)
                .values(version=company_t.c.version + 1, **values)
            )
        changes = {
            f: [getattr(before, f), getattr(after, f)]
            for f in _FIELDS
            if getattr(before, f) != getattr(after, f)
        }
        audit_trail.record(conn, actor, db.now(), "edit", "company", "company", changes)
        return read_company(conn)

    return db.run(work)
