"""Restock policies and alerts: the pure rules (which policy applies, when to reorder, how much)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime

from invdesk.domain.errors import ValidationError

MAX_POLICY_QTY = 1_000_000_000
MAX_DAYS = 3650


class PolicyKind(enum.StrEnum):
    REORDER_POINT = "reorder_point"
    MIN_MAX = "min_max"
    DAYS_OF_COVER = "days_of_cover"


class PolicyScope(enum.StrEnum):
    """What a policy covers; the most specific one wins: product > category > warehouse."""

    PRODUCT = "product"
    CATEGORY = "category"
    WAREHOUSE = "warehouse"


SCOPE_RANK = {PolicyScope.PRODUCT: 0, PolicyScope.CATEGORY: 1, PolicyScope.WAREHOUSE: 2}


class AlertKind(enum.StrEnum):
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"
    # Lots (issue 13): a lot of the product here expires within the warehouse's warning days,
    # or has expired with units still on hand.
    LOT_EXPIRING = "lot_expiring"
    LOT_EXPIRED = "lot_expired"


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


UNRESOLVED = (AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value)


@dataclass(frozen=True)
class PolicyRule:
    """The parameters of one policy; which of them count depends on `kind`.

    reorder_point: below or at `point`, order `qty`.
    min_max: below `point` (the minimum), order up to `level` (the maximum).
    days_of_cover: when available covers fewer than `cover_days` of the average daily demand over
    the last `lookback_days`, order enough for `target_days`.
    """

    kind: PolicyKind
    point: int = 0
    qty: int = 0
    level: int = 0
    cover_days: int = 0
    lookback_days: int = 0
    target_days: int = 0

    def check(self) -> PolicyRule:
        def bounded(value: int, label: str, low: int, high: int) -> None:
            if not low <= value <= high:
                raise ValidationError(f"{label} must be from {low:,} to {high:,}.", field=label)

        if self.kind is PolicyKind.REORDER_POINT:
            bounded(self.point, "reorder point", 0, MAX_POLICY_QTY)
            bounded(self.qty, "reorder quantity", 1, MAX_POLICY_QTY)
        elif self.kind is PolicyKind.MIN_MAX:
            bounded(self.point, "minimum", 0, MAX_POLICY_QTY)
            bounded(self.level, "maximum", 1, MAX_POLICY_QTY)
            if self.level < self.point:
                raise ValidationError("The maximum must be at least the minimum.", field="maximum")
        else:
            bounded(self.cover_days, "days of cover", 1, MAX_DAYS)
            bounded(self.lookback_days, "days of history", 1, MAX_DAYS)
            bounded(self.target_days, "target days", 1, MAX_DAYS)
            if self.target_days < self.cover_days:
                raise ValidationError(
                    "The target days must be at least the days of cover.", field="target days"
                )
        return self

    @property
    def needs_demand(self) -> bool:
        return self.kind is PolicyKind.DAYS_OF_COVER


@dataclass(frozen=True)
class Need:
    """What a policy says about one stock row: below threshold or not, and how much to order."""

    below: bool
    threshold: int
    suggested: int
    target: int
    reason: str


def daily_demand(units_out: int, lookback_days: int) -> float:
    return units_out / lookback_days if lookback_days > 0 else 0.0


def assess(
    rule: PolicyRule,
    available: int,
    demand_per_day: float = 0.0,
    on_order: int = 0,
    lead_days: int | None = None,
) -> Need:
    """Apply a policy to one product in one warehouse: its available stock (on hand - reserved)
    plus what is on order (sent POs), so a purchase already made is never suggested again.

    Days of cover covers at least the supplier's lead time (`lead_days`, when there is one): an
    order placed now arrives only then. Alerts pass no on-order: they are about the shelf now.
    """
    position = available + on_order
    have = f"available {available:,}" + (f" + {on_order:,} on order" if on_order else "")
    if rule.kind is PolicyKind.REORDER_POINT:
        below = position <= rule.point
        return Need(
            below,
            rule.point,
            rule.qty if below else 0,
            rule.point + rule.qty,
            f"{have} is at or below the reorder point {rule.point:,}; order {rule.qty:,}",
        )
    if rule.kind is PolicyKind.MIN_MAX:
        below = position < rule.point
        return Need(
            below,
            rule.point,
            max(0, rule.level - position) if below else 0,
            rule.level,
            f"{have} is below the minimum {rule.point:,}; order up to the maximum {rule.level:,}",
        )
    cover_days = max(rule.cover_days, lead_days or 0)
    target_days = max(rule.target_days, cover_days)
    threshold = math.ceil(demand_per_day * cover_days)
    target = math.ceil(demand_per_day * target_days)
    below = demand_per_day > 0 and position < threshold
    lead = (
        f", the supplier's lead time of {lead_days} days"
        if lead_days is not None and lead_days > rule.cover_days
        else ""
    )
    return Need(
        below,
        threshold,
        max(0, target - position) if below else 0,
        target,
        f"{have} covers fewer than {cover_days} days of demand{lead} "
        f"({demand_per_day:.2f}/day over {rule.lookback_days} days); order for {target_days} days",
    )


def alert_kind(available: int, need: Need | None) -> AlertKind | None:
    """Which alert a stock row deserves now: out of stock at zero, low stock below a policy."""
    if available <= 0:
        return AlertKind.OUT_OF_STOCK
    if need is not None and need.below:
        return AlertKind.LOW_STOCK
    return None


@dataclass(frozen=True)
class PolicyView:
    id: int
    warehouse: str
    scope: PolicyScope
    target: str | None
    """The SKU or category name the policy overrides for; None for the warehouse default."""
    rule: PolicyRule
    version: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class SetPolicy:
    """Create or replace the policy of one scope in a warehouse (product SKU or category name)."""

    warehouse: str
    rule: PolicyRule
    product: str | None = None
    category: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class AlertView:
    id: int
    sku: str
    product_name: str
    warehouse: str
    kind: AlertKind
    status: AlertStatus
    available: int
    threshold: int
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    version: int


@dataclass(frozen=True)
class Suggestion:
    """One reorder suggestion: buy, or transfer from a warehouse with surplus (`source`)."""

    warehouse: str
    sku: str
    product_name: str
    available: int
    threshold: int
    suggested_qty: int
    policy: PolicyKind
    scope: PolicyScope
    reason: str
    action: str  # "transfer" or "purchase"
    source: str | None = None
    on_order: int = 0
    """Units already on order here (sent POs); the suggestion is net of them."""


@dataclass(frozen=True)
class WatchedWarehouses:
    """The warehouses whose new alerts a user gets as tray messages.

    `codes`: the active warehouses watched; `everything`: the user watches every warehouse
    (the default, which includes warehouses added later).
    """

    codes: tuple[str, ...]
    everything: bool


LOT_KINDS = (AlertKind.LOT_EXPIRING.value, AlertKind.LOT_EXPIRED.value)


@dataclass(frozen=True)
class ExpiryCheck:
    """What one pass over the lots did: alerts raised and resolved, and those left open."""

    raised: int
    resolved: int
    unresolved: int


WARNING_DAYS_MAX = 3650


def warning_days(value: object) -> int:
    """A warehouse's expiry warning in whole days (0: only expired lots are alerted)."""
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"Expiry warning must be a whole number of days, not {value!r}.",
            field="expiry_warning_days",
        ) from None
    if not 0 <= days <= WARNING_DAYS_MAX:
        raise ValidationError(
            f"Expiry warning must be between 0 and {WARNING_DAYS_MAX:,} days.",
            field="expiry_warning_days",
        )
    return days
