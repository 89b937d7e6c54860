"""Goods in transit: a shipment's states, the receipt command and what the services return."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import StockResult
from invdesk.domain.tracking import lot_number
from invdesk.domain.validation import parse_count, required_text


class ShipmentStatus(enum.StrEnum):
    IN_TRANSIT = "in_transit"
    # Some lines arrived; the rest is still expected (a receipt that kept the shipment open).
    PARTIAL = "partial"
    RECEIVED = "received"
    # Done with a discrepancy: what did not arrive was recorded as short.
    CLOSED = "closed"


OPEN_STATUSES = (ShipmentStatus.IN_TRANSIT.value, ShipmentStatus.PARTIAL.value)


@dataclass(frozen=True)
class ReceivedLine:
    """What arrived of one product (of one of its lots, if named): `qty` units, 0 allowed."""

    product: str
    qty: object
    lot: str | None = None


@dataclass(frozen=True)
class ReceiveShipment:
    """A receipt at the destination. `lines` None: everything still expected arrived. Otherwise
    the lines say what arrived; what is not named is short (the shipment is closed with a
    discrepancy), or with `keep_open` still expected (the shipment stays open, as partial)."""

    shipment: str
    lines: tuple[ReceivedLine, ...] | None = None
    keep_open: bool = False
    request_id: str | None = None


@dataclass(frozen=True)
class CheckedReceipt:
    shipment: str
    lines: tuple[tuple[str, int, str | None], ...] | None
    keep_open: bool
    request_id: str | None

    def payload(self) -> list[Any]:
        lines = None if self.lines is None else [list(line) for line in self.lines]
        return [self.shipment, lines, self.keep_open]


def check_receipt(cmd: ReceiveShipment) -> CheckedReceipt:
    shipment = required_text(cmd.shipment, label="Transfer id", field="shipment", max_len=36)
    lines = None
    if cmd.lines is not None:
        checked = []
        for row, line in enumerate(cmd.lines):
            code = required_text(line.product, label="SKU", field="product", max_len=64)
            try:
                qty = parse_count(line.qty, label="Received quantity", field="qty")
            except ValidationError as error:
                raise ValidationError(error.message, field="qty", line=row) from error
            checked.append((code, qty, lot_number(line.lot)))
        lines = tuple(checked)
    return CheckedReceipt(shipment, lines, cmd.keep_open, cmd.request_id)


@dataclass(frozen=True)
class ShipmentLineView:
    sku: str
    product_name: str
    lot: str | None
    expiry: date | None
    shipped: int
    received: int
    short: int
    unit_cost: Decimal | None

    @property
    def expected(self) -> int:
        """Still on its way: neither received nor found short."""
        return self.shipped - self.received - self.short


@dataclass(frozen=True)
class ShipmentView:
    id: str
    source: str
    destination: str
    status: ShipmentStatus
    reference: str | None
    shipped_by: str
    shipped_at: datetime
    received_at: datetime | None
    lines: tuple[ShipmentLineView, ...] = ()

    @property
    def short(self) -> int:
        return sum(line.short for line in self.lines)

    @property
    def expected(self) -> int:
        return sum(line.expected for line in self.lines)


@dataclass(frozen=True)
class ShipmentSummary:
    """One shipment in a listing: its route, state and units (shipped, received, short, expected)."""

    id: str
    source: str
    destination: str
    status: ShipmentStatus
    reference: str | None
    shipped_by: str
    shipped_at: datetime
    received_at: datetime | None
    lines: int
    shipped: int
    received: int
    short: int

    @property
    def expected(self) -> int:
        return self.shipped - self.received - self.short


@dataclass(frozen=True)
class TransitRoute:
    """Goods on their way from one warehouse to another: how many shipments, units, since when."""

    source: str
    destination: str
    shipments: int
    expected: int
    since: datetime


@dataclass(frozen=True)
class ShipmentReceipt:
    """A receipt's ledger rows and the shipment as it stands after it (short lines, status)."""

    result: StockResult
    shipment: ShipmentView

    @property
    def discrepancy(self) -> bool:
        return self.shipment.short > 0
