"""Reorder suggestions per warehouse and policy; a transfer from a warehouse with surplus comes first."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import level_t, product_t, warehouse_t
from invdesk.domain.restock import Need, PolicyRule, PolicyScope, Suggestion
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.catalog.lookup import warehouse_code, warehouse_ref
from invdesk.services.catalog.policy_lookup import RowStock, thresholds
from invdesk.services.reads.on_order import Terms, on_order, preferred_terms
from invdesk.services.stock.availability import held


def suggestions(db: Database, actor: Actor, warehouse: str | None = None) -> list[Suggestion]:
    """What to order, per warehouse, following each row's most specific policy.

    Each row below its policy's threshold gets a suggested quantity; when another warehouse holds
    more of the product than its own policy's target, a transfer from it is suggested first and
    only the rest is to be purchased. Ordered by warehouse, then SKU.
    """
    require(actor, Permission.VIEW)
    now = db.now()
    s = level_t.c
    as_of = held(now)  # a hold past its expiry counts as released; the sweeper writes that
    with db.read() as conn:
        only = None if warehouse is None else warehouse_ref(conn, warehouse_code(warehouse)).id
        levels = conn.execute(
            as_of.join(
                select(
                    s.product_id,
                    s.warehouse_id,
                    s.on_hand,
                    as_of.reserved.label("reserved"),
                    product_t.c.sku,
                    product_t.c.name,
                    product_t.c.category_id,
                    warehouse_t.c.code,
                )
                .select_from(level_t)
                .join(product_t, product_t.c.id == s.product_id)
                .join(warehouse_t, warehouse_t.c.id == s.warehouse_id)
                .where(product_t.c.active, warehouse_t.c.active)
                .order_by(warehouse_t.c.code, product_t.c.sku)
            )
        ).all()
        ordered = on_order(conn)
        terms = preferred_terms(conn)
        found = thresholds(
            conn,
            (
                RowStock(
                    r.product_id,
                    r.warehouse_id,
                    r.category_id,
                    r.on_hand - r.reserved,
                    ordered.get((r.product_id, r.warehouse_id), 0),
                    _lead(terms.get(r.product_id)),
                )
                for r in levels
            ),
            now,
        )
    assessed: list[tuple[Any, PolicyScope, PolicyRule, Need]] = []
    surplus: dict[int, dict[str, int]] = defaultdict(dict)
    for row in levels:
        threshold = found.get((row.product_id, row.warehouse_id))
        if threshold is None:
            continue
        need = threshold.need
        if need.below:
            assessed.append((row, threshold.scope, threshold.rule, need))
        elif row.on_hand - row.reserved > need.target:
            surplus[row.product_id][row.code] = row.on_hand - row.reserved - need.target
    result: list[Suggestion] = []
    for row, scope, rule, need in assessed:
        if only is not None and row.warehouse_id != only:
            continue
        result.extend(
            _split(
                row,
                scope,
                rule,
                need,
                surplus[row.product_id],
                ordered.get((row.product_id, row.warehouse_id), 0),
            )
        )
    return result


def _lead(found: Terms | None) -> int | None:
    return None if found is None else found.lead_days


def _split(
    row: Any,
    scope: PolicyScope,
    rule: PolicyRule,
    need: Need,
    donors: dict[str, int],
    ordered: int,
) -> list[Suggestion]:
    """Transfers from the warehouses with the most surplus first, then a purchase for the rest."""
    wanted = need.suggested
    out: list[Suggestion] = []

    def suggest(qty: int, reason: str, action: str, source: str | None = None) -> None:
        out.append(
            Suggestion(
                warehouse=row.code,
                sku=row.sku,
                product_name=row.name,
                available=row.on_hand - row.reserved,
                threshold=need.threshold,
                suggested_qty=qty,
                policy=rule.kind,
                scope=scope,
                reason=reason,
                action=action,
                source=source,
                on_order=ordered,
            )
        )

    for source, extra in sorted(donors.items(), key=lambda item: (-item[1], item[0])):
        if wanted <= 0:
            break
        if extra <= 0:
            continue
        moved = min(wanted, extra)
        wanted -= moved
        donors[source] = extra - moved
        suggest(
            moved, f"{need.reason}; {source} has {extra:,} above its own target", "transfer", source
        )
    if wanted > 0:
        suggest(wanted, need.reason, "purchase")
    return out
