"""Purchasing: suppliers, what they sell us, purchase orders and their receipts (the pure part).

A purchase order (PO) goes draft -> sent -> partial -> received, or is cancelled; only a sent or
partly received PO is "on order" (DESIGN.md section 2). Quantities are in units; the supplier's
pack is how they sell it, so an order rounds up to whole packs and to the supplier's minimum.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from invdesk.domain.errors import ValidationError
from invdesk.domain.restock import Suggestion
from invdesk.domain.stock import Line, MovementView
from invdesk.domain.validation import MAX_QTY, clean_text, parse_whole_number

SUPPLIER_CODE_MAX = 32
SUPPLIER_NAME_MAX = 200
CONTACT_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 50
SUPPLIER_SKU_MAX = 64
NOTES_MAX = 2000
MAX_LEAD_DAYS = 3650
MAX_PO_LINES = 2000
NUMBER_PREFIX = "PO-"


class POStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIAL = "partial"  # partly received: the rest is a backorder, still on order
    RECEIVED = "received"
    CANCELLED = "cancelled"


# On order: sent and not yet received in full. A draft is a plan, not yet a promise.
ON_ORDER = (POStatus.SENT.value, POStatus.PARTIAL.value)
FINAL = (POStatus.RECEIVED, POStatus.CANCELLED)


def po_number(po_id: int) -> str:
    """The number a PO is known by: its id, never reused (ids are not recycled), zero-padded."""
    return f"{NUMBER_PREFIX}{po_id:06d}"


_NUMBER = re.compile(r"^(?:PO-?)?0*(\d{1,12})$", re.IGNORECASE)


def parse_po_number(value: object, *, field: str = "number") -> str:
    """A PO number as typed or scanned: `PO-000123`, `po-123` or `123` all mean PO-000123."""
    text = "" if value is None else str(value).strip()
    found = _NUMBER.match(text)
    if not found or int(found.group(1)) == 0:
        raise ValidationError(
            f"“{text}” is not a purchase order number (e.g. PO-000123).", field=field
        )
    return po_number(int(found.group(1)))


def supplier_code(value: object, *, field: str = "code") -> str:
    """A supplier code in capitals: letters, digits, - and _."""
    code = clean_text(value, label="Supplier code", field=field, max_len=SUPPLIER_CODE_MAX)
    assert code is not None
    code = code.upper()
    if not all(ch.isalnum() or ch in "-_" for ch in code):
        raise ValidationError(
            "A supplier code may hold only letters, digits, - and _.", field=field
        )
    return code


def lead_days(value: object, *, field: str = "lead_days") -> int | None:
    """A lead time in whole days (0 to ten years); empty means not known."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_whole_number(
        value, label="Lead time (days)", field=field, minimum=0, maximum=MAX_LEAD_DAYS
    )


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: object, *, field: str = "email") -> str | None:
    text = clean_text(value, label="E-mail", field=field, max_len=EMAIL_MAX, required=False)
    if text is not None and not _EMAIL.match(text):
        raise ValidationError(f"“{text}” is not an e-mail address.", field=field)
    return text


def order_quantity(needed: int, pack_size: int, minimum: int) -> int:
    """Units to order for `needed`: at least the supplier's minimum, in whole packs."""
    pack = max(1, pack_size)
    wanted = max(needed, minimum, 1)
    return min(math.ceil(wanted / pack) * pack, (MAX_QTY // pack) * pack)


def status_after_receipt(lines: list[tuple[int, int]]) -> POStatus:
    """(ordered, received) per line: received in full once every line is, else partial."""
    if all(received >= ordered for ordered, received in lines):
        return POStatus.RECEIVED
    return POStatus.PARTIAL


@dataclass(frozen=True)
class SupplierView:
    id: int
    code: str
    name: str
    contact: str | None
    email: str | None
    phone: str | None
    address: str | None
    lead_days: int | None
    notes: str | None
    active: bool
    version: int


@dataclass(frozen=True)
class SupplierDetails:
    """Create a supplier (all of `code`, `name`) or edit one (only the fields given change;
    `expected_version` from the view guards against a lost update)."""

    code: str
    name: str | None = None
    contact: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    lead_days: object = None
    notes: str | None = None
    active: bool | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class SupplierLinkView:
    """What one supplier sells us of one product, and on what terms (price per pack)."""

    id: int
    supplier: str
    supplier_name: str
    sku: str
    product_name: str
    supplier_sku: str | None
    price: Decimal | None
    pack_size: int
    min_qty: int
    lead_days: int | None
    """The link's own lead time; None: the supplier's default applies (`effective_lead_days`)."""
    effective_lead_days: int | None
    preferred: bool
    version: int

    @property
    def unit_price(self) -> Decimal | None:
        return None if self.price is None else self.price / self.pack_size


@dataclass(frozen=True)
class LinkSupplier:
    """Set what a supplier sells of a product; fields left None keep their value (or default)."""

    supplier: str
    product: str
    supplier_sku: str | None = None
    price: object = None
    pack_size: object = None
    min_qty: object = None
    lead_days: object = None
    preferred: bool | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class OrderLine:
    """A line to order: a SKU or barcode, units, and a price per unit (None: the supplier's)."""

    product: str
    qty: object
    unit_price: object = None


@dataclass(frozen=True)
class CreatePurchase:
    supplier: str
    warehouse: str
    lines: tuple[OrderLine, ...]
    expected: object = None
    notes: str | None = None


@dataclass(frozen=True)
class EditPurchase:
    """Change a PO's lines (all of them, as given), expected date or notes.

    A draft changes freely; a sent PO only by an amendment, which needs a reason and is audited.
    A line cannot be cut below what was already received."""

    number: str
    lines: tuple[OrderLine, ...] | None = None
    expected: object = None
    notes: str | None = None
    reason: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class POLineView:
    line_no: int
    sku: str
    product_name: str
    supplier_sku: str | None
    ordered: int
    pack_size: int
    unit_price: Decimal | None
    received: int

    @property
    def open(self) -> int:
        return max(0, self.ordered - self.received)

    @property
    def packs(self) -> Decimal:
        return (Decimal(self.ordered) / self.pack_size).normalize()


@dataclass(frozen=True)
class PurchaseOrderView:
    id: int
    number: str
    supplier: str
    supplier_name: str
    warehouse: str
    status: POStatus
    expected: date | None
    notes: str | None
    created_by: str
    created_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    version: int
    lines: tuple[POLineView, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum(
            (ln.unit_price * ln.ordered for ln in self.lines if ln.unit_price is not None),
            Decimal(0),
        )


@dataclass(frozen=True)
class ReceivePurchase:
    """Book a delivery against a PO: its lines as scanned (product, quantity, and where/which as
    in any receipt). More than ordered needs `confirm_over`; the PO's prices are the unit costs."""

    number: str
    lines: tuple[Line, ...]
    confirm_over: bool = False
    request_id: str | None = None


@dataclass(frozen=True)
class OverLine:
    sku: str
    ordered: int
    received: int
    incoming: int


class OverReceipt(ValidationError):
    """A delivery would take a line past its ordered quantity; nothing was booked."""

    def __init__(self, number: str, lines: tuple[OverLine, ...]) -> None:
        parts = "; ".join(
            f"{ln.sku}: {ln.received + ln.incoming:,} of {ln.ordered:,} ordered" for ln in lines
        )
        super().__init__(
            f"{number} would receive more than ordered ({parts}). Confirm to receive the extra.",
            field="qty",
        )
        self.number = number
        self.over = lines


@dataclass(frozen=True)
class PurchaseReceipt:
    order: PurchaseOrderView
    request_id: str
    movements: tuple[MovementView, ...]
    replayed: bool = False


@dataclass(frozen=True)
class DraftsFromReorder:
    """What `po from-reorder` made: the draft POs, and the suggestions it could not place
    (no preferred supplier) or left alone (already on a draft PO for that warehouse)."""

    orders: tuple[PurchaseOrderView, ...]
    unsupplied: tuple[Suggestion, ...] = ()
    already_drafted: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class SupplierPerformance:
    """One supplier's record over a period (lead times in days; rates from 0 to 1)."""

    supplier: str
    name: str
    orders: int
    lines: int
    promised_lead_days: int | None
    average_lead_days: float | None
    worst_lead_days: int | None
    on_time_rate: float | None
    fill_rate: float | None
    spend_by_month: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)
