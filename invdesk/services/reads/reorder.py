"""Reorder suggestions per warehouse and policy; a transfer from a warehouse with surplus comes first.

The database picks the stock rows below their policy (`policy_sql`, the SQL form of `assess`),
so neither the whole list of one warehouse nor the Reorder page's first page reads every stock
row; `assess` then gives each picked row its quantity and reason, as everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, ColumnElement, Connection, any_, bindparam, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from invdesk.db.engine import Database
from invdesk.db.tables import level_t, product_t, warehouse_t
from invdesk.domain.restock import (
    Need,
    PolicyRule,
    PolicyScope,
    Suggestion,
    SuggestionPage,
    assess,
)
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref
from invdesk.services.catalog.policy_lookup import rule_of_values
from invdesk.services.reads.policy_sql import Assessed, RuleColumns, demand_lookbacks

_CHUNK = 500  # products per donor query on SQLite (short IN lists)
_FIRST_RUN, _LONGEST_RUN = 256, 16384  # stock rows per read while paging
PAGE_ROWS = 100
"""Stock rows per page of the Reorder page (each gives one suggestion or a few)."""


def suggestions(db: Database, actor: Actor, warehouse: str | None = None) -> list[Suggestion]:
    """What to order, per warehouse, following each row's most specific policy.

    Each row below its policy's threshold gets a suggested quantity; when another warehouse holds
    more of the product than its own policy's target, a transfer from it is suggested first and
    only the rest is to be purchased. Ordered by warehouse, then SKU. Raises NotFound for an
    unknown warehouse.
    """
    require(actor, Permission.VIEW)
    now = db.now()
    with db.read() as conn:
        only = None if warehouse is None else warehouse_ref(conn, warehouse_code(warehouse)).id
        lookbacks = demand_lookbacks(conn)
        _big_read(conn)
        here = [] if only is None else [level_t.c.warehouse_id == only]
        low = Assessed(now, lookbacks, here, wanted="below", whole=True)
        below = conn.execute(low.stmt.where(low.below).order_by(low.c.code, low.c.sku)).all()
        # Donors: rows with a surplus elsewhere, of the products below here.
        elsewhere = [] if only is None else [level_t.c.warehouse_id != only]
        donors: list[Any] = []
        for among in _among(conn, sorted({r.product_id for r in below})):
            rows = Assessed(now, lookbacks, [among, *elsewhere], wanted="surplus")
            donors += conn.execute(rows.stmt.where(rows.surplus > 0)).all()
    return _suggest(below, donors)


def _among(conn: Connection, products: list[int]) -> list[ColumnElement[bool]]:
    """Conditions that together select the stock rows of `products`: one array parameter on
    PostgreSQL (any number of ids), short IN lists on SQLite."""
    if not products:
        return []
    column = level_t.c.product_id
    if conn.dialect.name == "postgresql":
        return [column == any_(bindparam("products", products, type_=ARRAY(BigInteger)))]
    return [column.in_(products[i : i + _CHUNK]) for i in range(0, len(products), _CHUNK)]


def suggestion_page(
    db: Database,
    actor: Actor,
    warehouse: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int = PAGE_ROWS,
) -> SuggestionPage:
    """The suggestions of the next `limit` stock rows below their policy after `after`
    (warehouse code, SKU), in `suggestions`' order and with the same quantities (a transfer
    takes what earlier warehouses left of a surplus). What the Reorder page shows, a page at a
    time. Raises NotFound for an unknown warehouse."""
    require(actor, Permission.VIEW)
    now = db.now()
    limit = max(1, min(limit, 1000))
    with db.read() as conn:
        only = None if warehouse is None else warehouse_ref(conn, warehouse_code(warehouse)).id
        lookbacks = demand_lookbacks(conn)
        _big_read(conn, whole=False)
        found: list[Any] = []
        for wid, code in _warehouses(conn, only, after):
            start = after[1] if after is not None and code == after[0] else None
            found += _below_from(conn, now, lookbacks, wid, start, limit - len(found))
            if len(found) >= limit:
                break
        if not found:
            return SuggestionPage((), None)
        products = sorted({r.product_id for r in found})
        where: list[ColumnElement[bool]] = [level_t.c.product_id.in_(products)]
        if only is not None:
            where.append(level_t.c.warehouse_id != only)
        rows = Assessed(now, lookbacks, where)
        wanted = rows.surplus > 0 if only is not None else or_(rows.below, rows.surplus > 0)
        others = conn.execute(rows.stmt.where(wanted)).all()
    page = {(r.product_id, r.warehouse_id) for r in found}
    if only is not None:
        below, donors = found, others
    else:  # earlier warehouses' rows of these products take from a surplus first
        below = sorted((r for r in others if r.below), key=lambda r: (r.code, r.sku))
        donors = [r for r in others if not r.below]
    last = found[-1]
    return SuggestionPage(
        tuple(_suggest(below, donors, page)), (last.code, last.sku) if len(found) >= limit else None
    )


def _below_from(
    conn: Connection,
    now: datetime,
    lookbacks: list[int],
    warehouse_id: int,
    after_sku: str | None,
    wanted: int,
) -> list[Any]:
    """Up to `wanted` rows below their policy in one warehouse, by SKU after `after_sku`.

    Read in growing runs of stock rows by SKU (an index walk with a look-up per row), so a
    warehouse where most rows are low answers after one short run and one where few are
    still ends, at worst, with a few long ones.
    """
    found: list[Any] = []
    run = _FIRST_RUN
    while True:
        where = [level_t.c.warehouse_id == warehouse_id]
        if after_sku is not None:
            where.append(product_t.c.sku > after_sku)
        rows = Assessed(
            now, lookbacks, where, order_by=[product_t.c.sku], limit=run, wanted="below"
        )
        got = conn.execute(rows.stmt.order_by(rows.c.sku)).all()
        for row in got:
            if row.below:
                found.append(row)
                if len(found) == wanted:
                    return found
        if len(got) < run:
            return found
        after_sku, run = got[-1].sku, min(run * 4, _LONGEST_RUN)


def _big_read(conn: Connection, whole: bool = True) -> None:
    """A read over a whole warehouse on PostgreSQL: hash joins in memory rather than in batches on
    disk, no JIT compilation (it cost 0.2-0.3 s here and saved nothing, on a page too) and no
    parallel workers (each built its own copy of the million-row hash table)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))
        if whole:
            conn.execute(text("SET LOCAL work_mem = '64MB'"))
            conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _warehouses(
    conn: Connection, only: int | None, after: tuple[str, str] | None
) -> list[tuple[int, str]]:
    w = warehouse_t.c
    stmt = select(w.id, w.code).where(w.active).order_by(w.code)
    if only is not None:
        stmt = stmt.where(w.id == only)
    if after is not None:
        stmt = stmt.where(w.code >= after[0])
    return [(int(i), str(c)) for i, c in conn.execute(stmt)]


class Assessment(NamedTuple):
    """One stock row with its policy and what `assess` says about it."""

    product_id: int
    warehouse_id: int
    code: str
    sku: str
    name: str
    available: int
    on_order: int
    scope: PolicyScope
    rule: PolicyRule
    need: Need


def assessments(rows: Sequence[Any]) -> list[Assessment]:
    """`assess` of assessed rows (`policy_sql.Assessed`): the one rule, applied to what the
    database gathered. Rows come by position and rules are shared, as a whole warehouse's rows
    are many and their policies few."""
    if not rows:
        return []
    at = {name: n for n, name in enumerate(rows[0]._fields)}
    pid, wid, code, sku, name = (
        at[k] for k in ("product_id", "warehouse_id", "code", "sku", "name")
    )
    on_hand, reserved, on_order, lead, units, scope = (
        at[k] for k in ("on_hand", "reserved", "on_order", "lead_days", "units_out", "scope")
    )
    policy_of = itemgetter(scope, *(at[k] for k in RuleColumns._fields))
    rules: dict[tuple[Any, ...], tuple[PolicyScope, PolicyRule]] = {}
    out: list[Assessment] = []
    for row in rows:
        key = policy_of(row)
        found = rules.get(key)
        if found is None:
            found = rules[key] = (PolicyScope(key[0]), rule_of_values(*key[1:]))
        policy, rule = found
        demand = int(row[units] or 0) / rule.lookback_days if rule.needs_demand else 0.0
        days = None if row[lead] is None else int(row[lead])
        available, ordered = int(row[on_hand]) - int(row[reserved]), int(row[on_order])
        out.append(
            Assessment(
                row[pid], row[wid], row[code], row[sku], row[name], available, ordered, policy,
                rule, assess(rule, available, demand, ordered, days),
            )
        )  # fmt: skip
    return out


def _suggest(
    below: Sequence[Any], donors: Sequence[Any], emit: set[tuple[int, int]] | None = None
) -> list[Suggestion]:
    """Suggestions for `below` (in warehouse, SKU order), transfers from `donors` first."""
    surplus: dict[int, dict[str, int]] = defaultdict(dict)
    for row in assessments(donors):
        if not row.need.below and row.available > row.need.target:
            surplus[row.product_id][row.code] = row.available - row.need.target
    result: list[Suggestion] = []
    for row in assessments(below):
        if not row.need.below:
            continue
        found = split(row, surplus[row.product_id])
        if emit is None or (row.product_id, row.warehouse_id) in emit:
            result.extend(found)
    return result


def split(row: Assessment, donors: dict[str, int]) -> list[Suggestion]:
    """Transfers from the warehouses with the most surplus first, then a purchase for the rest.
    Takes what it moves out of `donors`."""
    need = row.need
    wanted = need.suggested
    out: list[Suggestion] = []
    for source, extra in sorted(donors.items(), key=lambda item: (-item[1], item[0])):
        if wanted <= 0:
            break
        if extra <= 0:
            continue
        moved = min(wanted, extra)
        wanted -= moved
        donors[source] = extra - moved
        why = f"{need.reason}; {source} has {extra:,} above its own target"
        out.append(_suggestion(row, moved, why, "transfer", source))
    if wanted > 0:
        out.append(_suggestion(row, wanted, need.reason, "purchase", None))
    return out


def _suggestion(
    row: Assessment, qty: int, reason: str, action: str, source: str | None
) -> Suggestion:
    return Suggestion(
        warehouse=row.code,
        sku=row.sku,
        product_name=row.name,
        available=row.available,
        threshold=row.need.threshold,
        suggested_qty=qty,
        policy=row.rule.kind,
        scope=row.scope,
        reason=reason,
        action=action,
        source=source,
        on_order=row.on_order,
    )
