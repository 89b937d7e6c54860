"""The integrity check: counters against the ledger, running balances, seals, ids and times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, literal, select, union_all

from invdesk.db import sqlite_check
from invdesk.db.engine import Database
from invdesk.db.tables import level_t, movement_t, product_t, reservation_t, warehouse_t
from invdesk.domain.seals import TRAILS, SealView
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import ReservationStatus
from invdesk.services.trust import verify_quants, verify_trails
from invdesk.services.trust.verify_trails import Finding, Findings, TrailState


@dataclass(frozen=True)
class Discrepancy:
    sku: str
    warehouse: str
    on_hand: int
    ledger_on_hand: int
    reserved: int
    ledger_reserved: int
    open_holds: int

    def describe(self) -> str:
        parts = []
        if self.on_hand != self.ledger_on_hand:
            parts.append(
                f"on hand is {self.on_hand:,} but the ledger adds up to {self.ledger_on_hand:,}"
            )
        if self.reserved != self.ledger_reserved:
            parts.append(
                f"reserved is {self.reserved:,} but the ledger adds up to {self.ledger_reserved:,}"
            )
        if self.reserved != self.open_holds:
            parts.append(
                f"reserved is {self.reserved:,} but open reservations hold {self.open_holds:,}"
            )
        return f"{self.sku} in {self.warehouse}: " + "; ".join(parts)


@dataclass(frozen=True)
class VerifyReport:
    """Everything `verify` found: counter differences, findings in the trails, and what it read."""

    discrepancies: list[Discrepancy]
    findings: list[Finding]
    unlisted: int
    """Findings beyond the listed ones (a long run of damage is counted, not listed)."""
    trails: list[TrailState]

    @property
    def ok(self) -> bool:
        return not self.discrepancies and not self.findings

    @property
    def problems(self) -> int:
        return len(self.discrepancies) + len(self.findings) + self.unlisted

    def lines(self) -> list[str]:
        """One sentence per problem, counters first."""
        found = [d.describe() for d in self.discrepancies]
        found += [f.describe() for f in self.findings]
        if self.unlisted:
            found.append(f"... and {self.unlisted:,} more findings of the same kinds.")
        return found


def verify(db: Database, actor: Actor) -> list[Discrepancy]:
    """Every (product, warehouse) whose counters disagree with the ledger or the open holds."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        return _counters(conn)


def verify_all(db: Database, actor: Actor, against: Sequence[SealView] = ()) -> VerifyReport:
    """Counters, running balances, every seal of the ledger and audit trail, ids and times in step;
    `against`: seals kept elsewhere (an export) that must still be in the chain, unchanged.

    Streams the ledger: memory does not grow with its size. Raises PermissionDenied without VIEW,
    DatabaseDamaged when a SQLite file fails its full integrity check (checked first).
    """
    require(actor, Permission.VIEW)
    if db.sqlite_path is not None:
        sqlite_check.integrity_check(db.sqlite_path)
    findings = Findings()
    with db.read() as conn:
        discrepancies = _counters(conn)
        verify_trails.check_balances(conn, findings)
        verify_quants.check_quants(conn, findings)
        trails = [verify_trails.check_trail(conn, t, findings, against) for t in TRAILS]
    return VerifyReport(discrepancies, findings.listed, findings.unlisted(), trails)


def _counters(conn: Connection) -> list[Discrepancy]:
    m, s, r = movement_t.c, level_t.c, reservation_t.c
    zero = literal(0)
    parts = union_all(
        select(
            s.product_id,
            s.warehouse_id,
            s.on_hand.label("counter_on_hand"),
            s.reserved.label("counter_reserved"),
            zero.label("ledger_on_hand"),
            zero.label("ledger_reserved"),
            zero.label("holds"),
        ),
        select(
            m.product_id,
            m.warehouse_id,
            zero,
            zero,
            func.sum(verify_trails.counter_qty()),
            func.sum(m.reserved_delta),
            zero,
        ).group_by(m.product_id, m.warehouse_id),
        select(r.product_id, r.warehouse_id, zero, zero, zero, zero, func.sum(r.qty))
        .where(r.status == ReservationStatus.ACTIVE.value)
        .group_by(r.product_id, r.warehouse_id),
    ).subquery()
    p = parts.c
    totals = (
        select(
            p.product_id,
            p.warehouse_id,
            func.sum(p.counter_on_hand).label("on_hand"),
            func.sum(p.counter_reserved).label("reserved"),
            func.sum(p.ledger_on_hand).label("ledger_on_hand"),
            func.sum(p.ledger_reserved).label("ledger_reserved"),
            func.sum(p.holds).label("holds"),
        )
        .group_by(p.product_id, p.warehouse_id)
        .subquery()
    )
    t = totals.c
    stmt = (
        select(
            product_t.c.sku,
            warehouse_t.c.code,
            t.on_hand,
            t.reserved,
            t.ledger_on_hand,
            t.ledger_reserved,
            t.holds,
        )
        .join(product_t, product_t.c.id == t.product_id)
        .join(warehouse_t, warehouse_t.c.id == t.warehouse_id)
        .where(
            (t.on_hand != t.ledger_on_hand)
            | (t.reserved != t.ledger_reserved)
            | (t.reserved != t.holds)
        )
        .order_by(product_t.c.sku, warehouse_t.c.code)
    )
    return [
        Discrepancy(
            row.sku,
            row.code,
            int(row.on_hand),
            int(row.ledger_on_hand),
            int(row.reserved),
            int(row.ledger_reserved),
            int(row.holds),
        )
        for row in conn.execute(stmt)
    ]
