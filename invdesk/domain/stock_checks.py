"""Stock commands checked once, before any database work: codes, quantities, costs and texts.

Each `check_*` turns a command as typed (strings from a dialog, a CLI or an API body) into its
checked form, or raises the first ValidationError a person should see; an error about one line
carries that line's index (`InvdeskError.line`), so a dialog can mark it without reading the
message. The services then work with checked values only. `payload()` is what a request id's
fingerprint is taken of: it must not change, or a retry after an upgrade would look like a reuse.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from invdesk.domain.catalog import REASON_MAX, REFERENCE_MAX, WAREHOUSE_CODE_MAX
from invdesk.domain.errors import ValidationError, about_line
from invdesk.domain.gs1 import expand_line, has_gs1, sscc_of
from invdesk.domain.stock import (
    AdjustStock,
    IssueStock,
    Line,
    MoveStock,
    ReceiveStock,
    ReturnStock,
    TransferStock,
)
from invdesk.domain.tracking import day, location_code, lot_number, serial_number
from invdesk.domain.validation import (
    clean_text,
    parse_count,
    parse_money,
    parse_quantity,
    required_text,
    to_minor,
)

MAX_LINES = 1000


class CheckedLine(NamedTuple):
    """A document line: the code as scanned or typed, its quantity (of the code's packs), the
    unit cost in minor units if one was given, and its row in the document (from 0); then where
    and which, when given: location code, lot number, its expiry and production dates, serials."""

    code: str
    qty: int
    cost_minor: int | None
    row: int
    location: str | None = None
    lot: str | None = None
    expiry: date | None = None
    produced: date | None = None
    serials: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        """No location, lot or serial named: the line of a shop without bins or lots."""
        return self.location is None and self.lot is None and not self.serials

    def payload(self) -> list[Any]:
        base: list[Any] = [self.code, self.qty, self.cost_minor]
        if self.plain and self.expiry is None and self.produced is None:
            return base  # as before locations and lots, so old request ids replay the same
        dates = [None if d is None else d.isoformat() for d in (self.expiry, self.produced)]
        return [*base, self.location, self.lot, *dates, list(self.serials)]


def where_and_which(line: Line, where: str) -> dict[str, Any]:
    """A line's location, lot, dates and serials, checked (an empty dict for a plain line)."""
    if (
        line.location in (None, "")
        and line.lot in (None, "")
        and not line.serials
        and line.expiry in (None, "")
        and line.produced in (None, "")
    ):
        return {}
    serials = tuple(serial_number(s, field="serials") for s in line.serials)
    if len(set(serials)) != len(serials):
        raise ValidationError(f"A serial number is repeated{where}.", field="serials")
    if serials and parse_quantity(line.qty, label=f"Quantity{where}") != len(serials):
        raise ValidationError(
            f"{len(serials):,} serial numbers for a quantity of {line.qty}{where}: "
            "a serial-tracked product moves one serial per unit.",
            field="serials",
        )
    return {
        "location": location_code(line.location),
        "lot": lot_number(line.lot),
        "expiry": day(line.expiry, label=f"Expiry{where}", field="expiry"),
        "produced": day(line.produced, label=f"Production date{where}", field="produced"),
        "serials": serials,
    }


def warehouse_code(value: object, *, field: str = "warehouse") -> str:
    """A warehouse code as stored: required, at most 16 characters, upper case."""
    return required_text(
        value, label="Warehouse code", field=field, max_len=WAREHOUSE_CODE_MAX
    ).upper()


def optional_text(value: object, label: str, field: str, *, long: bool = False) -> str | None:
    """A reference (or, `long`, a reason): stripped, None when empty, refused when too long."""
    if value is None:
        return None  # what clean_text gives for it (most documents leave these empty)
    return clean_text(
        value,
        label=label,
        field=field,
        max_len=REASON_MAX if long else REFERENCE_MAX,
        required=False,
    )


def check_lines(lines: tuple[Line, ...], *, with_cost: bool = False) -> tuple[CheckedLine, ...]:
    """Every line's code and quantity (and cost, `with_cost`), or the first line's error."""
    gs1 = has_gs1(lines)
    if (
        len(lines) == 1
        and (with_cost is False or lines[0].unit_cost in (None, ""))
        and not gs1
        and not where_and_which(lines[0], "")
    ):
        # The common document, one line without a cost: the loop below with its labels written out.
        line = lines[0]
        with about_line(0):
            code = clean_text(line.product, label="SKU or barcode", field="product", max_len=64)
            assert code is not None
            return (CheckedLine(code, parse_quantity(line.qty, label="Quantity"), None, 0),)
    if not lines:
        raise ValidationError("Add at least one line (a product and a quantity).", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A document holds at most {MAX_LINES:,} lines.", field="lines")
    checked = []
    for index, line in enumerate(lines):
        where = "" if len(lines) == 1 else f" on line {index + 1}"
        with about_line(index):
            if gs1:  # a GS1 string: its GTIN, with the lot, dates, serial and count it carries
                line = expand_line(line, where)
            code = clean_text(
                line.product, label=f"SKU or barcode{where}", field="product", max_len=64
            )
            qty = parse_quantity(line.qty, label=f"Quantity{where}")
            cost = None
            if with_cost and line.unit_cost not in (None, ""):
                cost = to_minor(
                    parse_money(line.unit_cost, label=f"Unit cost{where}", field="unit_cost")
                )
            extra = where_and_which(line, where)
        assert code is not None
        checked.append(CheckedLine(code, qty, cost, index, **extra))
    return tuple(checked)


@dataclass(frozen=True)
class CheckedReceive:
    warehouse: str
    lines: tuple[CheckedLine, ...]
    reference: str | None
    request_id: str | None

    def payload(self) -> list[Any]:
        return [self.warehouse, [line.payload() for line in self.lines], self.reference]


@dataclass(frozen=True)
class CheckedIssue:
    warehouse: str
    lines: tuple[CheckedLine, ...]
    reference: str | None
    reason: str | None
    request_id: str | None
    allow_expired: bool = False

    def payload(self) -> list[Any]:
        lines = [line.payload() for line in self.lines]
        base = [self.warehouse, lines, self.reference, self.reason]
        return [*base, True] if self.allow_expired else base


@dataclass(frozen=True)
class CheckedTransfer:
    source: str
    destination: str
    lines: tuple[CheckedLine, ...]
    reference: str | None
    request_id: str | None

    def payload(self) -> list[Any]:
        lines = [line.payload() for line in self.lines]
        return [self.source, self.destination, lines, self.reference]


@dataclass(frozen=True)
class CheckedReturn:
    warehouse: str
    lines: tuple[CheckedLine, ...]
    damaged: bool
    reference: str | None
    reason: str | None
    request_id: str | None

    def payload(self) -> list[Any]:
        lines = [line.payload() for line in self.lines]
        return [self.warehouse, lines, self.damaged, self.reference, self.reason]


@dataclass(frozen=True)
class CheckedAdjust:
    product: str
    warehouse: str
    counted: int
    reason: str
    reference: str | None
    request_id: str | None
    location: str | None = None
    lot: str | None = None

    def payload(self) -> list[Any]:
        base = [self.product, self.warehouse, self.counted, self.reason, self.reference]
        if self.location is None and self.lot is None:
            return base
        return [*base, self.location, self.lot]


@dataclass(frozen=True)
class CheckedMove:
    product: str
    warehouse: str
    from_location: str | None
    to_location: str | None
    qty: int
    lot: str | None
    serials: tuple[str, ...]
    reference: str | None
    request_id: str | None

    def payload(self) -> list[Any]:
        return [
            self.product,
            self.warehouse,
            self.from_location,
            self.to_location,
            self.qty,
            self.lot,
            list(self.serials),
            self.reference,
        ]


def _reference(value: object, lines: tuple[Line, ...]) -> str | None:
    """The document's reference; without one, the SSCC a GS1 line carries (the pallet's id)."""
    reference = optional_text(value, "Reference", "reference")
    if reference is None and has_gs1(lines):
        return sscc_of(lines)
    return reference


def check_receive(cmd: ReceiveStock) -> CheckedReceive:
    lines = check_lines(cmd.lines, with_cost=True)
    code = warehouse_code(cmd.warehouse)
    reference = _reference(cmd.reference, cmd.lines)
    return CheckedReceive(code, lines, reference, cmd.request_id)


def check_issue(cmd: IssueStock) -> CheckedIssue:
    lines = check_lines(cmd.lines)
    code = warehouse_code(cmd.warehouse)
    reference = _reference(cmd.reference, cmd.lines)
    reason = optional_text(cmd.reason, "Reason", "reason", long=True)
    if cmd.allow_expired and reason is None:
        # The override is recorded with its why, so a later recall review can find it.
        raise ValidationError("Say why an expired lot may go out.", field="reason")
    return CheckedIssue(code, lines, reference, reason, cmd.request_id, cmd.allow_expired)


def check_transfer(cmd: TransferStock) -> CheckedTransfer:
    lines = check_lines(cmd.lines)
    source = warehouse_code(cmd.source, field="source")
    destination = warehouse_code(cmd.destination, field="destination")
    if source == destination:
        raise ValidationError(
            f"A transfer needs two different warehouses; both are {source}.",
            field="destination",
        )
    reference = _reference(cmd.reference, cmd.lines)
    return CheckedTransfer(source, destination, lines, reference, cmd.request_id)


def check_return(cmd: ReturnStock) -> CheckedReturn:
    lines = check_lines(cmd.lines)
    code = warehouse_code(cmd.warehouse)
    reference = _reference(cmd.reference, cmd.lines)
    reason = optional_text(cmd.reason, "Reason", "reason", long=True)
    if cmd.damaged and reason is None:
        # A write-off without a why cannot be reviewed later (returns analysis, audits).
        raise ValidationError("Say why the returned goods are damaged.", field="reason")
    return CheckedReturn(code, lines, cmd.damaged, reference, reason, cmd.request_id)


def check_adjust(cmd: AdjustStock) -> CheckedAdjust:
    if has_gs1((Line(cmd.product, 1),)):  # a GS1 scan names the product and maybe its lot
        scanned = expand_line(Line(cmd.product, 1, lot=cmd.lot))
        cmd = replace(cmd, product=scanned.product, lot=scanned.lot)
    counted = parse_count(cmd.counted)
    code = warehouse_code(cmd.warehouse)
    product = optional_text(cmd.product, "SKU or barcode", "product")
    if product is None:
        raise ValidationError("SKU or barcode cannot be empty.", field="product")
    reason = optional_text(cmd.reason, "Reason", "reason", long=True) or "Stock count"
    reference = optional_text(cmd.reference, "Reference", "reference")
    return CheckedAdjust(
        product,
        code,
        counted,
        reason,
        reference,
        cmd.request_id,
        location_code(cmd.location),
        lot_number(cmd.lot),
    )


def check_move(cmd: MoveStock) -> CheckedMove:
    if has_gs1((Line(cmd.product, 1),)):  # a GS1 scan names the product, lot, serial, count
        scanned = expand_line(Line(cmd.product, cmd.qty, lot=cmd.lot, serials=cmd.serials))
        cmd = replace(
            cmd,
            product=scanned.product,
            qty=scanned.qty,
            lot=scanned.lot,
            serials=scanned.serials,
        )
    product = optional_text(cmd.product, "SKU or barcode", "product")
    if product is None:
        raise ValidationError("SKU or barcode cannot be empty.", field="product")
    code = warehouse_code(cmd.warehouse)
    source = location_code(cmd.from_location, field="from_location")
    target = location_code(cmd.to_location, field="to_location")
    if source == target:
        where = source or "the default location"
        raise ValidationError(
            f"A move needs two different locations; both are {where}.", field="to_location"
        )
    line = Line(product, cmd.qty, lot=cmd.lot, serials=cmd.serials)
    extra = where_and_which(line, "")
    qty = parse_quantity(cmd.qty)
    reference = optional_text(cmd.reference, "Reference", "reference")
    return CheckedMove(
        product,
        code,
        source,
        target,
        qty,
        extra.get("lot"),
        extra.get("serials", ()),
        reference,
        cmd.request_id,
    )
