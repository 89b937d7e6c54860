"""The frame every stock operation runs in: permission, request id, one transaction, replay."""

from __future__ import annotations

from collections.abc import Callable
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


def run_stock_operation(
    db: Database, actor: Actor, kind: str, request_id: str | None, payload: Any, apply: Apply
) -> StockResult:
    """Run `apply` in one transaction under a claimed request id; a repeat returns the first result."""
    require(actor, Permission.STOCK)
    rid = request_id_or_new(request_id)
    digest = fingerprint(kind, payload)

    def work(conn: Any) -> StockResult | AfterCommit:
        op = ledger.Op(conn, actor, db.now(), rid)
        if not claim(conn, rid, kind, digest, actor, op.at):
            return StockResult(rid, ledger.for_request(conn, rid), replayed=True)
        applied = apply(op)
        if isinstance(applied, AfterCommit):
            return applied
        return StockResult(rid, applied)

    return events.run(db, work)


class Planned(NamedTuple):
    """A stock operation checked and ready to run: what `run_stock_operation` takes, as a value."""

    kind: str
    request_id: str | None
    payload: Any
    apply: Apply


def run_planned(db: Database, actor: Actor, plan: Planned) -> StockResult:
    return run_stock_operation(db, actor, plan.kind, plan.request_id, plan.payload, plan.apply)


def run_stock_operations(db: Database, actor: Actor, plans: list[Planned]) -> list[StockResult]:
    """Run several operations in ONE transaction (an import): all of them apply, or none.

    A repeated request id replays as usual; any refusal rolls back every operation.
    """
    require(actor, Permission.STOCK)
    claims = [(request_id_or_new(p.request_id), fingerprint(p.kind, p.payload)) for p in plans]

    def work(conn: Any) -> list[StockResult]:
        results = []
        for plan, (rid, digest) in zip(plans, claims, strict=True):
            op = ledger.Op(conn, actor, db.now(), rid)
            if not claim(conn, rid, plan.kind, digest, actor, op.at):
                results.append(StockResult(rid, ledger.for_request(conn, rid), replayed=True))
                continue
            applied = plan.apply(op)
            if isinstance(applied, AfterCommit):
                raise applied.error
            results.append(StockResult(rid, applied))
        return results

    return events.run(db, work)
