"""The restock rule of `domain.restock.assess` as SQL, so a read over a million stock rows can
ask the database which are below their policy instead of fetching every row into Python.

This is a filter, not a second home of the rule: the rows it selects are assessed again by
`assess` (quantities, reasons), and `tests/integration/test_policy_sql.py` checks on random rows,
on SQLite and PostgreSQL, that `below`, `threshold` and `target` here equal `assess`'s. The
arithmetic follows `assess` step by step in IEEE doubles (units / lookback, times days, rounded
up), so both sides round alike.

`Assessed` selects stock rows with their most specific policy (product > category > warehouse,
as `policy_lookup`), on order, the preferred supplier's lead time and, for days of cover, the
units issued over the policy's lookback: every input of `assess`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Float,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from invdesk.db.tables import (
    level_t,
    movement_t,
    po_line_t,
    po_t,
    policy_t,
    product_t,
    supplier_product_t,
    supplier_t,
    warehouse_t,
)
from invdesk.domain.restock import PolicyKind, PolicyScope
from invdesk.services.catalog.policy_lookup import DEMAND_KINDS
from invdesk.services.reads.on_order import effective_lead, is_open, is_preferred, open_units
from invdesk.services.stock.availability import held

_RP, _MM, _DOC = (
    PolicyKind.REORDER_POINT.value,
    PolicyKind.MIN_MAX.value,
    PolicyKind.DAYS_OF_COVER.value,
)


class ceil_up(FunctionElement[int]):
    """CEIL of a non-negative double as a BIGINT (SQLite may lack the math functions)."""

    type = BigInteger()
    inherit_cache = True


@compiles(ceil_up)
def _ceil_default(element: ceil_up, compiler: Any, **kw: Any) -> str:
    return f"CAST(CEIL({compiler.process(element.clauses, **kw)}) AS BIGINT)"


@compiles(ceil_up, "sqlite")
def _ceil_sqlite(element: ceil_up, compiler: Any, **kw: Any) -> str:
    x = compiler.process(element.clauses, **kw)
    # CAST(real AS INTEGER) truncates toward zero: one more when anything was cut off.
    return f"(CAST({x} AS INTEGER) + (({x}) > CAST({x} AS INTEGER)))"


def _greater(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((a >= b, a), else_=b)


class RuleColumns(NamedTuple):
    """A policy's parameters as SQL columns (see `PolicyRule`)."""

    kind: ColumnElement[str]
    point: ColumnElement[int]
    qty: ColumnElement[int]
    level: ColumnElement[int]
    cover_days: ColumnElement[int]
    lookback_days: ColumnElement[int]
    target_days: ColumnElement[int]


class SqlNeed(NamedTuple):
    """`Need.below`, `Need.threshold` and `Need.target` of `assess`, as SQL expressions."""

    below: ColumnElement[bool]
    threshold: ColumnElement[int]
    target: ColumnElement[int]


def sql_need(
    rule: RuleColumns,
    available: ColumnElement[int],
    on_order: ColumnElement[int],
    lead_days: ColumnElement[int | None],
    units_out: ColumnElement[int],
) -> SqlNeed:
    """What `assess(rule, available, units_out / lookback, on_order, lead_days)` says, in SQL.
    `units_out` is what left over the rule's lookback (only read for days of cover)."""
    position = available + on_order
    cover = _greater(rule.cover_days, func.coalesce(lead_days, 0))
    target_days = _greater(rule.target_days, cover)
    demand = cast(units_out, Float) / cast(func.nullif(rule.lookback_days, 0), Float)
    cover_threshold = ceil_up(demand * cover)
    cover_target = ceil_up(demand * target_days)
    threshold = case((rule.kind == _DOC, cover_threshold), else_=rule.point)
    target = case(
        (rule.kind == _RP, rule.point + rule.qty),
        (rule.kind == _MM, rule.level),
        else_=cover_target,
    )
    below = case(
        (rule.kind == _RP, position <= rule.point),
        (rule.kind == _MM, position < rule.point),
        (rule.kind == _DOC, and_(units_out > 0, position < cover_threshold)),
        else_=false(),
    )
    return SqlNeed(below, threshold, target)


def demand_lookbacks(conn: Connection) -> list[int]:
    """The lookbacks of every days-of-cover policy (few: one cut-off time each)."""
    p = policy_t.c
    stmt = select(p.lookback_days).where(p.kind == _DOC).distinct()
    return sorted(int(days) for days in conn.execute(stmt).scalars())


class Assessed:
    """Stock rows of active products in active warehouses that have a policy, with the inputs
    of `assess` (the most specific policy's parameters and scope, on order, the preferred
    supplier's lead time, units issued over a days-of-cover lookback) and the SQL need.

    `where`, `order_by` and `limit` apply to the stock rows (columns of `level_t`, `product_t`,
    `warehouse_t`) before anything is looked up. `wanted` ("below" or "surplus") drops early,
    before on order and demand are looked up, the rows that cannot be what the caller wants
    (on order only raises a row's position). On order and demand are then looked up once per
    remaining row (index probes, inside subqueries fenced by OFFSET 0 so PostgreSQL neither
    inlines nor repeats them), or, with `whole`, on order is summed once for every row (a
    hash join: for reads over whole warehouses). The lead time only matters to days of cover:
    other rows leave it empty. `stmt` selects the inputs, `below`,
    `threshold`, `target` and `surplus`; filter it with `below` or `surplus`.
    """

    def __init__(
        self,
        now: datetime,
        lookbacks: Sequence[int],
        where: Sequence[ColumnElement[bool]] = (),
        order_by: Sequence[ColumnElement[Any]] = (),
        limit: int | None = None,
        *,
        wanted: str | None = None,
        whole: bool = False,
        name: str = "a",
    ) -> None:
        base = _base(now, wanted, whole).where(*where).order_by(*order_by).limit(limit)
        b = base.offset(0).subquery(f"{name}_rows")
        rule = RuleColumns(*(b.c[n] for n in RuleColumns._fields))
        units = _units_out(b, rule, now, lookbacks).label("units_out")
        if whole:
            oo, pref = _on_order_sums(), _lead_times()
            lead = case((rule.kind == _DOC, pref.c.lead_days)).label("lead_days")
            found = (
                select(b, func.coalesce(oo.c.units, 0).label("on_order"), lead, units)
                .select_from(b)
                .outerjoin(
                    oo,
                    and_(oo.c.product_id == b.c.product_id, oo.c.warehouse_id == b.c.warehouse_id),
                )
                .outerjoin(pref, pref.c.product_id == b.c.product_id)
            )
        else:
            lead = case((rule.kind == _DOC, _lead_days(b))).label("lead_days")
            found = select(b, _on_order(b).label("on_order"), lead, units)
        i = found.offset(0).subquery(name)
        rule = RuleColumns(*(i.c[n] for n in RuleColumns._fields))
        available = i.c.on_hand - i.c.reserved
        need = sql_need(rule, available, i.c.on_order, i.c.lead_days, i.c.units_out)
        self.c = i.c
        self.below = need.below
        self.surplus = case(
            (need.below, 0), (available > need.target, available - need.target), else_=0
        )
        self.stmt = select(
            i,
            need.below.label("below"),
            need.threshold.label("threshold"),
            need.target.label("target"),
            self.surplus.label("surplus"),
        )


def _base(now: datetime, wanted: str | None, whole: bool) -> Select[Any]:
    """Stock rows with their policy, reserved (overdue holds released) and lead time."""
    s, p, w = level_t.c, product_t.c, warehouse_t.c
    as_of = held(now)
    pp, pc, pw = policy_t.alias("pp"), policy_t.alias("pc"), policy_t.alias("pw")

    def param(name: str) -> ColumnElement[Any]:
        return func.coalesce(pp.c[name], pc.c[name], pw.c[name])

    rule = RuleColumns(*(param(n) for n in RuleColumns._fields))
    scope = case(
        (pp.c.id.is_not(None), PolicyScope.PRODUCT.value),
        (pc.c.id.is_not(None), PolicyScope.CATEGORY.value),
        else_=PolicyScope.WAREHOUSE.value,
    )
    stmt: Select[Any] = (
        select(
            s.product_id,
            s.warehouse_id,
            w.code,
            p.sku,
            p.name,
            s.on_hand,
            as_of.reserved.label("reserved"),
            scope.label("scope"),
            *(param(name).label(name) for name in RuleColumns._fields),
        )
        .select_from(level_t)
        .join(product_t, p.id == s.product_id)
        .join(warehouse_t, w.id == s.warehouse_id)
        .outerjoin(pp, _policy_of(pp, PolicyScope.PRODUCT, s.product_id, whole))
        .outerjoin(pc, _policy_of(pc, PolicyScope.CATEGORY, p.category_id, whole))
        .outerjoin(pw, _policy_of(pw, PolicyScope.WAREHOUSE, None, whole))
        .where(p.active, w.active, func.coalesce(pp.c.id, pc.c.id, pw.c.id).is_not(None))
    )
    available = s.on_hand - as_of.reserved
    if wanted == "below":  # position = available + on order >= available
        stmt = stmt.where(
            or_(
                rule.kind == _DOC,
                and_(rule.kind == _RP, available <= rule.point),
                and_(rule.kind == _MM, available < rule.point),
            )
        )
    elif wanted == "surplus":  # above the target, which for these kinds needs no look-up
        stmt = stmt.where(
            available > 0,
            or_(
                rule.kind == _DOC,
                and_(rule.kind == _RP, available > rule.point + rule.qty),
                and_(rule.kind == _MM, available > rule.level),
            ),
        )
    return as_of.join(stmt)


def _on_order_sums() -> Any:
    line, po = po_line_t.c, po_t.c
    return (
        select(
            line.product_id,
            po.warehouse_id,
            func.sum(open_units()).label("units"),
        )
        .join(po_t, po.id == line.order_id)
        .where(is_open())
        .group_by(line.product_id, po.warehouse_id)
        .subquery("oo")
    )


def _policy_of(
    alias: Any, scope: PolicyScope, target: ColumnElement[int] | None, whole: bool
) -> ColumnElement[bool]:
    """The policy of `scope` for a stock row. Over whole warehouses by the id columns (integer
    hash joins); for a few rows by `scope_key`, the unique index a look-up per row uses (with
    the id columns PostgreSQL chose to hash every stock row even for a page of them). Both
    name the same target: the policy service and a category merge set them together."""
    same = alias.c.warehouse_id == level_t.c.warehouse_id
    if target is None:
        return and_(same, alias.c.scope_key == scope.value)
    if whole:
        column = alias.c.product_id if scope is PolicyScope.PRODUCT else alias.c.category_id
        return and_(same, alias.c.scope == scope.value, column == target)
    return and_(same, alias.c.scope_key == literal(f"{scope.value}:") + cast(target, String))


def _lead_times() -> Any:
    """Every product's preferred supplier's lead time (for a hash join over whole warehouses)."""
    sp = supplier_product_t.c
    return (
        select(sp.product_id, effective_lead().label("lead_days"))
        .join(supplier_t, is_preferred())
        .subquery("pref")
    )


def _lead_days(rows: Any) -> ColumnElement[int | None]:
    """The preferred supplier's lead time for a row (as `on_order.preferred_terms`); only days
    of cover uses it, so only those rows look it up."""
    sp = supplier_product_t.c
    return (
        select(effective_lead())
        .join(supplier_t, is_preferred())
        .where(sp.product_id == rows.c.product_id)
        .scalar_subquery()
    )


def _on_order(rows: Any) -> ColumnElement[int]:
    """Units on sent POs for a row (as `on_order.on_order`: ordered - received of open lines)."""
    line, po = po_line_t.c, po_t.c
    return (
        select(func.coalesce(func.sum(open_units()), 0))
        .join(po_t, po.id == line.order_id)
        .where(
            line.product_id == rows.c.product_id,
            po.warehouse_id == rows.c.warehouse_id,
            is_open(),
        )
        .scalar_subquery()
    )


def _units_out(
    rows: Any, rule: RuleColumns, now: datetime, lookbacks: Sequence[int]
) -> ColumnElement[int]:
    """Units issued from a row over its rule's lookback up to `now` (days of cover only), as
    `policy_lookup` counts them; the cut-off per lookback is a bound time, not date arithmetic."""
    if not lookbacks:
        return cast(literal(0), BigInteger)
    m = movement_t.c
    cutoff = case(
        *(
            (
                rule.lookback_days == days,
                bindparam(None, now - timedelta(days=days), type_=m.at.type),
            )
            for days in lookbacks
        ),
        else_=null(),
    )
    sold = (
        select(func.coalesce(func.sum(m.units), 0))
        .where(
            m.product_id == rows.c.product_id,
            m.warehouse_id == rows.c.warehouse_id,
            m.kind.in_(DEMAND_KINDS),
            m.at >= cutoff,
            m.at <= bindparam(None, now, type_=m.at.type),
        )
        .scalar_subquery()
    )
    return case((rule.kind == _DOC, sold), else_=0)
