"""The frame every stock operation runs in: permission, request id, one transaction, replay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from invdesk.db.engine import AfterCommit, Database
from invdesk.db.request_ids import claim
from invdesk.domain.catalog import REASON_MAX, REFERENCE_MAX
from invdesk.domain.errors import ValidationError
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import Line, MovementView, StockResult
from invdesk.domain.validation import MAX_QTY, clean_text, parse_money, parse_quantity, to_minor
from invdesk.services.catalog.lookup import ProductRef, product_ref, request_id_or_new
from invdesk.services.stock import events, ledger

Apply = Callable[[ledger.Op], tuple[MovementView, ...] | AfterCommit]


class ParsedLine(NamedTuple):
    code: str
    qty: int
    cost_minor: int | None
    position: int

    def payload(self) -> list[Any]:
        return [self.code, self.qty, self.cost_minor]


def parse_lines(lines: tuple[Line, ...], *, with_cost: bool = False) -> list[ParsedLine]:
    if len(lines) == 1 and (with_cost is False or lines[0].unit_cost in (None, "")):
        # The common document, one line without a cost: the loop below with its labels written out.
        line = lines[0]
        code = clean_text(line.product, label="SKU or barcode", field="product", max_len=64)
        assert code is not None
        return [ParsedLine(code, parse_quantity(line.qty, label="Quantity"), None, 1)]
    if not lines:
        raise ValidationError("Add at least one line (a product and a quantity).", field="lines")
    if len(lines) > 1000:
        raise ValidationError("A document holds at most 1,000 lines.", field="lines")
    parsed = []
    for position, line in enumerate(lines, start=1):
        where = "" if len(lines) == 1 else f" on line {position}"
        code = clean_text(line.product, label=f"SKU or barcode{where}", field="product", max_len=64)
        qty = parse_quantity(line.qty, label=f"Quantity{where}")
        cost = None
        if with_cost and line.unit_cost not in (None, ""):
            cost = to_minor(
                parse_money(line.unit_cost, label=f"Unit cost{where}", field="unit_cost")
            )
        assert code is not None
        parsed.append(ParsedLine(code, qty, cost, position))
    return parsed


def units_of(conn: Any, line: ParsedLine) -> tuple[ProductRef, int]:
    """The product behind a line and its quantity in units (a case barcode counts its pack size)."""
    product = product_ref(conn, line.code)
    return product, checked_units(product, line)


def checked_units(product: ProductRef, line: ParsedLine) -> int:
    units = line.qty * product.pack_qty
    if units > MAX_QTY:
        raise ValidationError(
            f"{line.qty:,} × {product.pack_qty} units of {product.sku} is too large: "
            f"at most {MAX_QTY:,} units per line.",
            field="qty",
        )
    return units


def text(value: object, label: str, field: str, *, long: bool = False) -> str | None:
    if value is None:
        return None  # what clean_text gives for it (most documents leave these empty)
    return clean_text(
        value,
        label=label,
        field=field,
        max_len=REASON_MAX if long else REFERENCE_MAX,
        required=False,
    )


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
