"""Stock vocabulary: movement kinds, reservation states, commands and the results services return."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


class MovementKind(enum.StrEnum):
    RECEIVE = "receive"
    ISSUE = "issue"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    RETURN = "return"
    RETURN_DAMAGED = "return_damaged"
    ADJUST = "adjust"
    RESERVE = "reserve"
    RELEASE = "release"
    EXPIRE = "expire"
    # Between two locations of one warehouse: the warehouse's counter does not move.
    MOVE_OUT = "move_out"
    MOVE_IN = "move_in"
    # A transfer in two steps: shipped out of the source into transit, received later.
    SHIP = "ship"
    TRANSIT_IN = "transit_in"


class ReservationStatus(enum.StrEnum):
    ACTIVE = "active"
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Line:
    """One line of a stock document: a SKU or barcode and a quantity (of the barcode's packs).

    Where and which, all optional: `location` (the bin to put into or take from; the warehouse's
    default location or putaway otherwise), `lot` with its `expiry` and `produced` dates (a
    receipt of a lot-tracked product needs a lot; an issue without one picks first expiry first),
    and `serials` for a serial-tracked product, one per unit.
    """

    product: str
    qty: object
    unit_cost: object = None
    location: str | None = None
    lot: str | None = None
    expiry: object = None
    produced: object = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceiveStock:
    warehouse: str
    lines: tuple[Line, ...]
    reference: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class IssueStock:
    """`allow_expired` lets an expired lot go out (a recorded override: it needs a reason)."""

    warehouse: str
    lines: tuple[Line, ...]
    reference: str | None = None
    reason: str | None = None
    request_id: str | None = None
    allow_expired: bool = False


@dataclass(frozen=True)
class TransferStock:
    source: str
    destination: str
    lines: tuple[Line, ...]
    reference: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ReturnStock:
    warehouse: str
    lines: tuple[Line, ...]
    damaged: bool = False
    reason: str | None = None
    reference: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class AdjustStock:
    """A stock count: `counted` is what is on the shelf; the ledger records the difference."""

    product: str
    warehouse: str
    counted: object
    reason: str | None = None
    reference: str | None = None
    request_id: str | None = None
    # Count one location and/or lot only; without them the count is the whole warehouse's.
    location: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class MoveStock:
    """Stock from one location of a warehouse to another (put away, replenish a pick face)."""

    product: str
    warehouse: str
    from_location: str | None
    to_location: str | None
    qty: object
    lot: str | None = None
    serials: tuple[str, ...] = ()
    reference: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ReserveStock:
    product: str
    warehouse: str
    qty: object
    ttl_seconds: object = 3600
    reference: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class MovementView:
    id: int
    kind: MovementKind
    sku: str
    product_name: str
    warehouse: str
    qty: int
    reserved_delta: int
    units: int
    balance_after: int
    unit_cost: Decimal | None
    reference: str | None
    reason: str | None
    user: str
    at: datetime
    request_id: str
    transfer_id: str | None
    reservation_id: int | None
    # Where and which (None: the warehouse's default location; no lot). Optional: documents
    # (JSON) leave them out while empty.
    location: str | None = field(default=None, metadata={"optional": True})
    lot: str | None = field(default=None, metadata={"optional": True})

    @property
    def change(self) -> str:
        """The change as people read it, in the GUI and the CLI alike: "+5", "+3 held" for a
        hold (on hand unchanged), "2 damaged" for a return not put back on the shelf."""
        if self.qty:
            return f"{self.qty:+,}"
        if self.reserved_delta:
            return f"{self.reserved_delta:+,} held"
        return f"{self.units:,} damaged" if self.kind is MovementKind.RETURN_DAMAGED else "0"


@dataclass(frozen=True)
class StockResult:
    """What a stock operation did: its ledger rows. `replayed` is True for a repeated request id."""

    request_id: str
    movements: tuple[MovementView, ...]
    replayed: bool = False


@dataclass(frozen=True)
class StockLevelView:
    sku: str
    product_name: str
    warehouse: str
    on_hand: int
    reserved: int
    avg_cost: Decimal
    unit: str = "each"
    on_order: int = 0
    """Units on sent purchase orders not yet received."""

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class ReservationView:
    id: int
    sku: str
    warehouse: str
    qty: int
    status: ReservationStatus
    reference: str | None
    user: str
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None = None
    replayed: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class LedgerFilter:
    product: str | None = None
    warehouse: str | None = None
    kinds: tuple[MovementKind, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 1000
    before_id: int | None = None
