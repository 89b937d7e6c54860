"""Picking and packing an order: what a picker takes from where, and what goes in the parcel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from invdesk.domain.orders import OrderView

MAX_PICK_ORDERS = 200


@dataclass(frozen=True)
class PickSplit:
    """The part of a pick line that goes to one order."""

    order: str
    qty: int


@dataclass(frozen=True)
class PickLine:
    """Units of one product to take from one location (and lot): `location` None is stock in no
    bin (the warehouse's default location)."""

    warehouse: str
    location: str | None
    zone: str | None
    sku: str
    name: str
    unit: str
    lot: str | None
    expiry: date | None
    qty: int
    orders: tuple[PickSplit, ...]


@dataclass(frozen=True)
class PickShort:
    """Units the orders hold that no usable stock can cover now (expired, in quarantine, gone)."""

    warehouse: str
    sku: str
    name: str
    qty: int
    orders: tuple[PickSplit, ...]


@dataclass(frozen=True)
class PickPlan:
    """Everything to pick for a set of open orders, one walk per warehouse."""

    orders: tuple[OrderView, ...]
    lines: tuple[PickLine, ...]
    short: tuple[PickShort, ...] = ()
    locations: bool = False
    """Whether any line's warehouse has locations (else the list is by SKU)."""

    @property
    def lots(self) -> bool:
        return any(line.lot is not None for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class PackedLine:
    """A line of a packing slip: what the order asked for and, once fulfilled, the lots sent."""

    sku: str
    name: str
    unit: str
    qty: int
    lots: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class PackingList:
    order: OrderView
    lines: tuple[PackedLine, ...]


def share(takes: Sequence[int], wants: Sequence[PickSplit]) -> list[tuple[PickSplit, ...]]:
    """Split consecutive takes (units from each quant, in the order FEFO takes them) among the
    orders that want them, first order first: each take gets the orders' parts it covers.

    The takes may sum to less than the wants (the rest is short); never to more."""
    result: list[tuple[PickSplit, ...]] = []
    orders = [w.order for w in wants if w.qty > 0]
    wanted = [w.qty for w in wants if w.qty > 0]
    at = 0
    for take in takes:
        parts: list[PickSplit] = []
        left = take
        while left and at < len(wanted):
            part = min(left, wanted[at])
            parts.append(PickSplit(orders[at], part))
            left -= part
            wanted[at] -= part
            if wanted[at] == 0:
                at += 1
        result.append(tuple(parts))
    return result


def unmet(takes: Sequence[int], wants: Sequence[PickSplit]) -> tuple[PickSplit, ...]:
    """What of the wants the takes leave uncovered, per order (the last orders go short)."""
    covered = sum(takes)
    missing: list[PickSplit] = []
    for want in wants:
        part = min(covered, want.qty)
        covered -= part
        if want.qty - part:
            missing.append(PickSplit(want.order, want.qty - part))
    return tuple(missing)
