"""The reorder suggestions as they were computed before the SQL filter: every stock row through
`policy_lookup.thresholds` in Python. The reference the SQL form is checked against (tests and
tests/perf/bench_reorder.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import level_t, product_t, warehouse_t
from invdesk.domain.restock import Suggestion
from invdesk.domain.security import Actor
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref
from invdesk.services.catalog.policy_lookup import RowStock, thresholds
from invdesk.services.reads.on_order import on_order, preferred_terms
from invdesk.services.reads.reorder import Assessment, split
from invdesk.services.stock.availability import held


def reference_suggestions(
    db: Database, actor: Actor, warehouse: str | None = None
) -> list[Suggestion]:
    now = db.now()
    s = level_t.c
    as_of = held(now)
    with db.read() as conn:
        only = None if warehouse is None else warehouse_ref(conn, warehouse_code(warehouse)).id
        levels = conn.execute(
            as_of.join(
                select(
                    s.product_id, s.warehouse_id, s.on_hand, as_of.reserved.label("reserved"),
                    product_t.c.sku, product_t.c.name, product_t.c.category_id, warehouse_t.c.code,
                )
                .select_from(level_t)
                .join(product_t, product_t.c.id == s.product_id)
                .join(warehouse_t, warehouse_t.c.id == s.warehouse_id)
                .where(product_t.c.active, warehouse_t.c.active)
                .order_by(warehouse_t.c.code, product_t.c.sku)
            )
        ).all()  # fmt: skip
        ordered = on_order(conn)
        terms = preferred_terms(conn)
        found = thresholds(
            conn,
            (
                RowStock(
                    r.product_id, r.warehouse_id, r.category_id, r.on_hand - r.reserved,
                    ordered.get((r.product_id, r.warehouse_id), 0),
                    None if (t := terms.get(r.product_id)) is None else t.lead_days,
                )
                for r in levels
            ),
            now,
        )  # fmt: skip
    assessed: list[Any] = []
    surplus: dict[int, dict[str, int]] = defaultdict(dict)
    for row in levels:
        threshold = found.get((row.product_id, row.warehouse_id))
        if threshold is None:
            continue
        if threshold.need.below:
            assessed.append((row, threshold))
        elif row.on_hand - row.reserved > threshold.need.target:
            surplus[row.product_id][row.code] = row.on_hand - row.reserved - threshold.need.target
    result: list[Suggestion] = []
    for row, t in assessed:
        if only is not None and row.warehouse_id != only:
            continue
        here = Assessment(
            row.product_id, row.warehouse_id, row.code, row.sku, row.name,
            row.on_hand - row.reserved, ordered.get((row.product_id, row.warehouse_id), 0),
            t.scope, t.rule, t.need,
        )  # fmt: skip
        result.extend(split(here, surplus[row.product_id]))
    return result
