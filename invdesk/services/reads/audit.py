"""The audit trail as people read it: edit records merged with the ledger, newest first."""

from __future__ import annotations

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import audit_t, movement_t, product_t, warehouse_t
from invdesk.domain.audit import AuditFilter, AuditRow
from invdesk.domain.security import Actor, Permission, require


def list_audit(db: Database, actor: Actor, flt: AuditFilter | None = None) -> list[AuditRow]:
    """Who did what: ledger rows and edit records, newest first, at most `flt.limit` rows.

    Raises PermissionDenied unless the actor may see reports (managers and admins).
    """
    require(actor, Permission.REPORTS)
    flt = flt or AuditFilter()
    limit = max(1, min(flt.limit, 100_000))
    a, m = audit_t.c, movement_t.c
    edits = select(a.id, a.at, a.user, a.action, a.entity, a.entity_key, a.details)
    moves = (
        select(
            m.id,
            m.at,
            m.user,
            m.kind,
            product_t.c.sku,
            warehouse_t.c.code,
            m.qty,
            m.reserved_delta,
            m.reference,
            m.reason,
        )
        .join(product_t, product_t.c.id == m.product_id)
        .join(warehouse_t, warehouse_t.c.id == m.warehouse_id)
    )
    if flt.user:
        edits = edits.where(a.user == flt.user)
        moves = moves.where(m.user == flt.user)
    if flt.since is not None:
        edits = edits.where(a.at >= flt.since)
        moves = moves.where(m.at >= flt.since)
    if flt.until is not None:
        edits = edits.where(a.at < flt.until)
        moves = moves.where(m.at < flt.until)
    rows: list[AuditRow] = []
    with db.read() as conn:
        for r in conn.execute(edits.order_by(a.at.desc(), a.id.desc()).limit(limit)):
            rows.append(
                AuditRow(r.at, r.user, "edit", r.action, r.entity, r.entity_key, r.details, r.id)
            )
        for m_row in conn.execute(moves.order_by(m.at.desc(), m.id.desc()).limit(limit)):
            note = "; ".join(x for x in (m_row.reference, m_row.reason) if x)
            details = _movement_change(m_row.qty, m_row.reserved_delta, m_row.code)
            details += f" ({note})" if note else ""
            rows.append(
                AuditRow(
                    m_row.at,
                    m_row.user,
                    "stock",
                    m_row.kind,
                    "product",
                    m_row.sku,
                    details,
                    m_row.id,
                )
            )
    rows.sort(key=lambda row: (row.at, row.source == "stock", row.id), reverse=True)
    return rows[:limit]


def _movement_change(qty: int, reserved_delta: int, warehouse: str) -> str:
    """'-3 in MAIN'; a hold moves no stock, so it reads 'held 3 in MAIN' instead of '+0'."""
    if qty == 0 and reserved_delta:
        verb = "held" if reserved_delta > 0 else "released"
        return f"{verb} {abs(reserved_delta):,} in {warehouse}"
    return f"{qty:+,} in {warehouse}"
