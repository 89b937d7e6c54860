"""Sales orders from channels: their vocabulary, commands and views."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from invdesk.domain.errors import InsufficientStock

DEFAULT_ORDER_TTL = 24 * 3600


class Channel(enum.StrEnum):
    WEB_SHOP = "web_shop"
    POS = "pos"
    MARKETPLACE = "marketplace"
    MANUAL = "manual"


class OrderStatus(enum.StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class OrderLine:
    product: str
    qty: object
    warehouse: str | None = None
    """Defaults to the order's warehouse."""


@dataclass(frozen=True)
class PlaceOrder:
    """Reserve every line for `ttl_seconds`, all or nothing; the reference makes it idempotent."""

    reference: str
    warehouse: str
    lines: tuple[OrderLine, ...]
    channel: str = Channel.MANUAL.value
    ttl_seconds: object = DEFAULT_ORDER_TTL


@dataclass(frozen=True)
class OrderLineView:
    line_no: int
    sku: str
    product_name: str
    warehouse: str
    qty: int
    reservation_id: int | None
    reservation_status: str | None


@dataclass(frozen=True)
class OrderView:
    id: int
    reference: str
    channel: Channel
    status: OrderStatus
    user: str
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    lines: tuple[OrderLineView, ...]
    replayed: bool = False

    def seconds_left(self, now: datetime) -> int:
        if self.status is not OrderStatus.OPEN:
            return 0
        return max(0, int((self.expires_at - now).total_seconds()))


@dataclass(frozen=True)
class ShortLine:
    """A line an order could not hold: what it asked for and what was available (in units)."""

    sku: str
    requested: int
    available: int


class OrderShort(InsufficientStock):
    """Some lines of an order could not be held, so none were; `lines` names each short one."""

    def __init__(self, message: str, lines: tuple[ShortLine, ...]) -> None:
        first = lines[0]
        super().__init__(message, available=first.available, requested=first.requested)
        self.lines = lines
