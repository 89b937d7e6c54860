"""Where the low-stock report gets its thresholds: one small hook, meant to be pointed at
restock policies once they exist (RestockPolicy, migration 0002 of the `live` work).

Until then every product and warehouse uses the demand rule below: reorder when available stock
covers fewer than REORDER_DAYS of recent average demand, and order up to ORDER_UP_TO_DAYS.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from invdesk.reports.filters import Scope

REORDER_DAYS = 14
ORDER_UP_TO_DAYS = 45
DEMAND_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Threshold:
    reorder_point: int
    order_up_to: int
    rule: str


ThresholdRule = Callable[[int, int, float], Threshold]
"""(product id, warehouse id, average daily demand) -> its threshold."""


def demand_rule(product_id: int, warehouse_id: int, daily: float) -> Threshold:
    return Threshold(
        reorder_point=math.ceil(daily * REORDER_DAYS - 1e-9),
        order_up_to=math.ceil(daily * ORDER_UP_TO_DAYS - 1e-9),
        rule=f"{REORDER_DAYS} days of demand (default)",
    )


def load_thresholds(conn: Connection, scope: Scope) -> ThresholdRule:
    """The threshold rule for a report. Hook: load restock policies here when they exist,
    returning a rule that looks up the policy of (product, warehouse) and falls back to
    `demand_rule`."""
    return demand_rule
