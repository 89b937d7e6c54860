"""Traceability: where a lot or serial went (its ledger, its stock now, the orders that took it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from invdesk.domain.stock import MovementView


@dataclass(frozen=True)
class LotView:
    sku: str
    product_name: str
    number: str
    serial: bool
    expiry: date | None
    produced: date | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class LotPlace:
    """Units of the lot on hand in one warehouse and location (None: its default location)."""

    warehouse: str
    location: str | None
    on_hand: int


@dataclass(frozen=True)
class LotOrder:
    """A sales order that took units of the lot (its committed holds' ledger rows)."""

    reference: str
    channel: str
    status: str
    warehouse: str
    units: int
    at: datetime


@dataclass(frozen=True)
class LotTrace:
    """Everything known of one lot or serial: every ledger row naming it, oldest first (receipts,
    moves, issues, transfers, shipments, returns, counts), its stock now and the orders it went to."""

    lot: LotView
    on_hand: tuple[LotPlace, ...]
    history: tuple[MovementView, ...]
    orders: tuple[LotOrder, ...]

    @property
    def total_on_hand(self) -> int:
        return sum(place.on_hand for place in self.on_hand)


@dataclass(frozen=True)
class OrderLot:
    """Units of one lot (None: stock without a lot) an order's commits took."""

    sku: str
    lot: str | None
    expiry: date | None
    warehouse: str
    units: int
