"""Checking and applying the rows of a supplier import: one supplier per row, matched by code (a
re-import updates rather than duplicates); blank optional cells keep what is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.purchasing_models import Supplier
from invdesk.domain.catalog import ADDRESS_MAX
from invdesk.domain.purchasing import (
    CONTACT_MAX,
    NOTES_MAX,
    PHONE_MAX,
    SUPPLIER_NAME_MAX,
    email,
    lead_days,
    supplier_code,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import clean_text
from invdesk.services import audit_trail, unit_of_work
from invdesk.services.importing.fields import Matched
from invdesk.services.importing.files import Table
from invdesk.services.importing.products import check
from invdesk.services.importing.rows import parse_active, rows_of

Step = Callable[[int], None]
OPTIONAL = ("contact", "email", "phone", "address", "lead_days", "notes", "active")


def _text(value: Any, label: str, key: str, max_len: int, reasons: list[str]) -> str | None:
    found: str | None = check(
        reasons, clean_text, value, label=label, field=key, max_len=max_len, required=False
    )
    return found


def check_rows(
    session: Session, table: Table, matched: Matched, step: Step
) -> list[tuple[int, dict[str, Any], str, tuple[str, ...]]]:
    """(row number, cleaned values, action, reasons) per data row: "create", "update",
    "unchanged" or "error"; a code given twice in the file is an error on its second row."""
    existing = {s.code: s for s in session.scalars(select(Supplier))}
    seen: dict[str, int] = {}
    out = []
    for i, row in enumerate(rows_of(table, matched)):
        step(i)
        reasons: list[str] = []
        v = row.values
        code = check(reasons, supplier_code, v.get("code"))
        name = _text(v.get("name"), "Name", "name", SUPPLIER_NAME_MAX, reasons)
        if name is None and not reasons:
            reasons.append("Name cannot be empty.")
        values: dict[str, Any] = {"code": code, "name": name}
        values["contact"] = _text(v.get("contact"), "Contact", "contact", CONTACT_MAX, reasons)
        values["email"] = check(reasons, email, v.get("email"))
        values["phone"] = _text(v.get("phone"), "Phone", "phone", PHONE_MAX, reasons)
        values["address"] = _text(v.get("address"), "Address", "address", ADDRESS_MAX, reasons)
        values["lead_days"] = check(reasons, lead_days, v.get("lead_days"))
        values["notes"] = _text(v.get("notes"), "Notes", "notes", NOTES_MAX, reasons)
        active = v.get("active")
        values["active"] = None if active in (None, "") else parse_active(active)
        if code is not None:
            if code in seen:
                reasons.append(f"Supplier {code} is also on row {seen[code]}.")
            else:
                seen[code] = row.number
        if reasons:
            out.append((row.number, values, "error", tuple(reasons)))
            continue
        out.append((row.number, values, _action(existing.get(code or ""), values), ()))
    return out


def _action(stored: Supplier | None, v: dict[str, Any]) -> str:
    if stored is None:
        return "create"
    same = stored.name == v["name"] and all(
        v[key] is None or getattr(stored, key) == v[key] for key in OPTIONAL
    )
    return "unchanged" if same else "update"


def apply_suppliers(
    db: Database, actor: Actor, file: str, rows: list[dict[str, Any]], step: Step
) -> None:
    """Create or update the suppliers of checked rows in one transaction, each edit audited as
    any supplier edit is, with one audit row for the import. `step(i)` may raise to roll back."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> None:
        now = db.now()
        stored = {s.code: s for s in session.scalars(select(Supplier))}
        created = 0
        for i, v in enumerate(rows):
            step(i)
            supplier = stored.get(v["code"])
            new = supplier is None
            if supplier is None:
                supplier = Supplier(code=v["code"], name=v["name"], active=True)
                session.add(supplier)
                created += 1
            supplier.name = v["name"]
            for key in OPTIONAL:
                if v[key] is not None:
                    setattr(supplier, key, v[key])
            if new:  # as the supplier service audits a new supplier
                details = {"name": supplier.name, "lead_days": supplier.lead_days}
                audit_trail.record(
                    session.connection(), actor, now, "create", "supplier", v["code"], details
                )
            else:
                audit_trail.record_edit(session, actor, now, "supplier", v["code"], supplier)
            session.flush()
        summary = {"suppliers": len(rows), "created": created}
        audit_trail.record(session.connection(), actor, now, "import", "suppliers", file, summary)

    unit_of_work.edit_session(db, work)
