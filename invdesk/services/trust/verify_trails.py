"""The ledger and audit-trail checks of `verify`: seals, running balances, ids and times in step.

Every check streams its rows (a server-side cursor on PostgreSQL) and keeps only the current seal,
the newest time seen and the findings, so memory stays flat at any ledger size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, case, func, literal, select

from invdesk.db.tables import movement_t
from invdesk.domain.seals import AUDIT, GENESIS, LEDGER, SealView, hasher_for
from invdesk.domain.stock import MovementKind
from invdesk.services.trust import seals

# A transaction's rows carry its time, and concurrent transactions take ids in another order than
# their times, by about as long as a transaction may last. A row dated further back than this
# before an earlier id was back-dated, or the clock that dated it jumped.
TIME_SLACK = timedelta(minutes=5)
# Findings listed per check; beyond this only counted (a wholesale rewrite must not flood memory).
MAX_LISTED = 50
_NAMES = {LEDGER: "ledger", AUDIT: "audit trail"}


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, which rows it concerns, and what is wrong."""

    check: str
    rows: str
    message: str

    def describe(self) -> str:
        return f"{self.rows}: {self.message}"


@dataclass
class Findings:
    """Findings of one verify run, at most MAX_LISTED kept per check, all counted."""

    listed: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, check: str, rows: str, message: str) -> None:
        count = self.counts.get(check, 0)
        self.counts[check] = count + 1
        if count < MAX_LISTED:
            self.listed.append(Finding(check, rows, message))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def unlisted(self) -> int:
        return self.total - len(self.listed)


@dataclass(frozen=True)
class TrailState:
    """What verify saw of one trail: rows read, rows sealed, rows no seal covers yet."""

    trail: str
    rows: int
    sealed: int
    newest_seal: SealView | None


def _at(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def check_trail(
    conn: Connection, trail: str, findings: Findings, pinned: Iterable[SealView] = ()
) -> TrailState:
    """Recompute every seal of a trail, check its chain, and that ids and times grow together.

    `pinned` are seals kept elsewhere (an export): each must still be in the chain, unchanged.
    """
    name = _NAMES[trail]
    chain = seals.seals_of(conn, trail)
    current = next(chain, None)
    expected_prev = GENESIS
    hasher = hasher_for(trail, GENESIS)
    first_seen: int | None = None
    rows = sealed = 0
    newest_seal: SealView | None = None
    top_at: datetime | None = None
    top_id = 0

    def close(seal: SealView) -> None:
        nonlocal expected_prev, hasher, first_seen, newest_seal
        where = f"{name} rows {seal.first_id}-{seal.last_id}"
        if seal.prev_hash != expected_prev:
            findings.add(
                "seal",
                where,
                f"seal {seal.id} does not follow the seal before it (a seal was changed, added "
                "or removed)",
            )
        if hasher.rows != seal.row_count or first_seen != seal.first_id:
            findings.add(
                "seal",
                where,
                f"seal {seal.id} covers {seal.row_count:,} rows from id {seal.first_id}, but "
                f"the {name} now has {hasher.rows:,} there"
                + ("" if first_seen is None else f" from id {first_seen}")
                + " (rows were removed or inserted)",
            )
        elif hasher.hexdigest() != seal.hash:
            findings.add(
                "seal",
                where,
                f"seal {seal.id} does not match: a row between ids {seal.first_id} and "
                f"{seal.last_id} was changed after it was sealed",
            )
        expected_prev, newest_seal = seal.hash, seal
        hasher, first_seen = hasher_for(trail, expected_prev), None

    for row in seals.stream(conn, seals.rows_after(trail, 0)):
        while current is not None and row.id > current.last_id:
            close(current)
            current = next(chain, None)
        rows += 1
        if current is not None:
            hasher.add(row)
            sealed += 1
            if first_seen is None:
                first_seen = row.id
        at = row.at
        if top_at is not None and at < top_at - TIME_SLACK:
            findings.add(
                "order",
                f"{name} row {row.id}",
                f"is dated {_at(at)}, before row {top_id} ({_at(top_at)}): ids and times "
                "must grow together (a back-dated row, or a clock that jumped)",
            )
        if top_at is None or at > top_at:
            top_at, top_id = at, row.id
    while current is not None:
        close(current)
        current = next(chain, None)
    _check_pinned(conn, trail, pinned, findings)
    return TrailState(trail, rows, sealed, newest_seal)


def _check_pinned(
    conn: Connection, trail: str, pinned: Iterable[SealView], findings: Findings
) -> None:
    name = _NAMES[trail]
    by_last = {s.last_id: s for s in pinned if s.trail == trail}
    if not by_last:
        return
    found = {s.last_id: s for s in _seals_ending_at(conn, trail, sorted(by_last))}
    for last_id, kept in sorted(by_last.items()):
        where = f"{name} rows {kept.first_id}-{kept.last_id}"
        now = found.get(last_id)
        if now is None:
            findings.add("against", where, f"the exported seal {kept.id} is no longer there")
        elif now.hash != kept.hash:
            findings.add(
                "against",
                where,
                f"seal {kept.id} differs from the exported one: the {name} up to row "
                f"{kept.last_id} was rewritten and resealed",
            )


def _seals_ending_at(conn: Connection, trail: str, last_ids: list[int]) -> Iterator[SealView]:
    wanted = set(last_ids)
    return (s for s in seals.seals_of(conn, trail) if s.last_id in wanted)


def counter_qty() -> ColumnElement[int]:
    """What a ledger row moves its counter by: its qty, except a move between two locations of
    one warehouse (its quants move, the warehouse's counter does not)."""
    m = movement_t.c
    inside = (MovementKind.MOVE_OUT.value, MovementKind.MOVE_IN.value)
    return case((m.kind.in_(inside), literal(0)), else_=m.qty)


def check_balances(conn: Connection, findings: Findings) -> None:
    """Every ledger row's balance_after is the previous one of its product and warehouse plus qty."""
    m = movement_t.c
    previous = (
        func.lag(m.balance_after)
        .over(partition_by=(m.product_id, m.warehouse_id), order_by=m.id)
        .label("previous")
    )
    steps = select(m.id, counter_qty().label("qty"), m.balance_after, previous).subquery()
    s = steps.c
    expected = func.coalesce(s.previous, 0) + s.qty
    stmt = select(s.id, s.qty, s.balance_after, expected.label("expected")).where(
        s.balance_after != expected
    )
    for row in seals.stream(conn, stmt.order_by(s.id)):
        findings.add(
            "balance",
            f"ledger row {row.id}",
            f"says the balance became {row.balance_after:,} after {row.qty:+,}, but the rows "
            f"before it make that {row.expected:,}",
        )
