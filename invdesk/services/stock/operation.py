"""The frame every stock operation runs in: permission, request id, one transaction, replay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from invdesk.db.engine import AfterCommit, Database
from invdesk.db.request_ids import claim
from invdesk.domain.errors import ValidationError, about_line
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import MovementView, StockResult
from invdesk.domain.stock_checks import CheckedLine
from invdesk.domain.validation import MAX_QTY
from invdesk.services.catalog.lookup import (
    ProductRef,
    product_ref,
    products_by_sku,
    request_id_or_new,
)
from invdesk.services.stock import events, ledger

Apply = Callable[[ledger.Op], tuple[MovementView, ...] | AfterCommit]


def units_of(conn: Any, line: CheckedLine) -> tuple[ProductRef, int]:
    """The product behind a line and its quantity in units (a case barcode counts its pack size)."""
    with about_line(line.row):
        product = product_ref(conn, line.code)
    return product, checked_units(product, line)


def resolved_units(conn: Any, lines: Sequence[CheckedLine]) -> list[tuple[ProductRef, int]]:
    """`units_of` for every line of a document, its SKUs found in one round trip (a long
    delivery or pick); other codes one by one, raising the first line's error first."""
    known = products_by_sku(conn, [line.code for line in lines]) if len(lines) > 1 else {}
    out = []
    for line in lines:
        product = known.get(line.code)
        out.append(
            units_of(conn, line) if product is None else (product, checked_units(product, line))
        )
    return out


def checked_units(product: ProductRef, line: CheckedLine) -> int:
    units = line.qty * product.pack_qty
    if units > MAX_QTY:
        raise ValidationError(
            f"{line.qty:,} × {product.pack_qty} units of {product.sku} is too large: "
            f"at most {MAX_QTY:,} units per line.",
            field="qty",
            line=line.row,
        )
    return units


class Planned(NamedTuple):
    """A stock operation checked and ready to run: its kind, request id, what it asks for (the
    fingerprint that tells a true retry from a reused id) and the ledger work."""

    kind: str
    request_id: str | None
    payload: Any
    apply: Apply


def run_operations(db: Database, actor: Actor, plans: Sequence[Planned]) -> list[StockResult]:
    """Run stock operations in ONE transaction under claimed request ids: all apply, or none.

    The one transaction runner of stock operations. A repeated request id returns its first
    result (replayed). An operation whose failure must keep its changes (a hold found expired
    is released, then refused: AfterCommit) keeps them only when it runs alone; in a batch any
    refusal rolls every operation back. Raises PermissionDenied without the stock permission.
    """
    require(actor, Permission.STOCK)
    claims = [(request_id_or_new(p.request_id), fingerprint(p.kind, p.payload)) for p in plans]

    def work(conn: Any) -> list[StockResult] | AfterCommit:
        results = []
        for plan, (rid, digest) in zip(plans, claims, strict=True):
            op = ledger.Op(conn, actor, db.now(), rid)
            if not claim(conn, rid, plan.kind, digest, actor, op.at):
                results.append(StockResult(rid, ledger.for_request(conn, rid), replayed=True))
                continue
            applied = plan.apply(op)
            if isinstance(applied, AfterCommit):
                if len(plans) > 1:
                    raise applied.error
                return applied
            results.append(StockResult(rid, applied))
        return results

    return events.run(db, work)


def run_operation(db: Database, actor: Actor, plan: Planned) -> StockResult:
    """`run_operations` for one operation: its result, or its refusal."""
    return run_operations(db, actor, (plan,))[0]
