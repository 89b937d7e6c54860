"""Restock policies for the demo data: one of each kind, with a category and a product override."""

from __future__ import annotations

from sqlalchemy import select

from invdesk.db.engine import Database
from invdesk.db.tables import product_t
from invdesk.domain.restock import PolicyKind, PolicyRule, SetPolicy
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.stock import policies

# Thresholds sized to the simulated stock (a few to a dozen units per row): typically 5-10% of the
# stock rows end up with an open alert (the history follows the clock, so it varies a little), a
# mix of low and out of stock, as a well-run shop would have.
COVER = PolicyRule(PolicyKind.DAYS_OF_COVER, cover_days=7, lookback_days=28, target_days=42)
DEMO_POLICIES = (
    SetPolicy("MAIN", COVER),
    SetPolicy("EAST", PolicyRule(PolicyKind.MIN_MAX, point=4, level=20)),
    SetPolicy("WEST", PolicyRule(PolicyKind.REORDER_POINT, point=2, qty=12)),
    SetPolicy("SHOP", PolicyRule(PolicyKind.MIN_MAX, point=3, level=12)),
    # Food sells fast in the shop: reordered earlier than the shop's default. High enough that
    # some Food rows are always below it, so the demo shows a category override at work.
    SetPolicy("SHOP", PolicyRule(PolicyKind.REORDER_POINT, point=5, qty=15), category="Food"),
)


def seed_policies(db: Database, actor: Actor) -> int:
    """Set the demo policies (alerts follow); returns how many were set. Needs catalog rights."""
    require(actor, Permission.CATALOG)
    with db.read() as conn:
        first_sku = conn.execute(
            select(product_t.c.sku).order_by(product_t.c.sku).limit(1)
        ).scalar()
    wanted = list(DEMO_POLICIES)
    if first_sku is not None:
        rule = PolicyRule(PolicyKind.REORDER_POINT, point=400, qty=100)
        wanted.append(SetPolicy("EAST", rule, product=first_sku))
    for cmd in wanted:
        policies.set_policy(db, cmd, actor)
    return len(wanted)
