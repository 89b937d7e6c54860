"""One line of a stock document as a dialog holds it: what was scanned, and what was typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line
from invdesk.domain.tracking import day, lot_number
from invdesk.domain.validation import parse_money, parse_quantity
from invdesk.services.reads.dialog_lookups import ScannedCode


@dataclass
class LineItem:
    """One line as the dialog holds it: the code as scanned, so a case barcode stays a case;
    the lot, expiry and serials as scanned or typed (a GS1 scan fills them)."""

    item: ScannedCode
    qty_text: str = "1"
    cost_text: str = ""
    available: int | None = None
    error: str | None = None  # set by a service error that named this line
    lot_text: str = ""
    expiry_text: str = ""
    produced: date | None = None
    serials: list[str] = field(default_factory=list)
    lot_required: bool = False
    """A receipt of a lot-tracked product needs its lot (an issue picks one itself)."""
    location: str | None = None
    """The location scanned before this line (None: putaway, or the default location)."""

    _parsed: tuple[str, int | None] | None = field(default=None, repr=False, compare=False)

    @property
    def qty(self) -> int | None:
        # Read for every line on every scan and repaint: parsed once per text typed.
        if self._parsed is None or self._parsed[0] != self.qty_text:
            try:
                value: int | None = parse_quantity(self.qty_text)
            except ValidationError:
                value = None
            self._parsed = (self.qty_text, value)
        return self._parsed[1]

    @property
    def tracking(self) -> str:
        return self.item.tracking

    def problem(self, with_cost: bool) -> str | None:
        """Why the line cannot be posted as it stands, checked with the domain's own rules."""
        try:
            qty = parse_quantity(self.qty_text, label="Quantity")
            if with_cost and self.cost_text.strip():
                parse_money(self.cost_text.replace(",", "."), label="Unit cost")
            if self.lot_text or self.expiry_text:
                lot_number(self.lot_text)
                day(self.expiry_text, label="Expiry", field="expiry")
        except ValidationError as error:
            return error.message
        if self.lot_required and self.tracking == "lot" and not self.lot_text.strip():
            return f"{self.item.sku} is tracked by lot: scan or type its lot."
        if self.tracking == "serial" and len(self.serials) != qty:
            return (
                f"{self.item.sku} is tracked by serial number: scan each unit's serial "
                f"({len(self.serials):,} of {qty:,} scanned)."
            )
        return None

    def to_line(self, with_cost: bool) -> Line:
        cost = self.cost_text.strip().replace(",", ".") if with_cost else ""
        return Line(
            self.item.code,
            self.qty if self.qty is not None else self.qty_text,
            cost or None,
            location=self.location,
            lot=self.lot_text.strip() or None,
            expiry=self.expiry_text.strip() or None,
            produced=self.produced,
            serials=tuple(self.serials),
        )

    def takes(self, item: ScannedCode) -> bool:
        """Whether a scan of `item` belongs on this line: the same code, and the same lot when
        the scan names one (a lot scanned onto a line without one fills it)."""
        if item.code != self.item.code:
            return False
        lot = item.scan.lot if item.scan is not None else None
        return lot is None or self.lot_text in ("", lot)

    def take(self, item: ScannedCode, qty: int) -> None:
        """Add a scan: its quantity, or its serial (one unit each); what else it says fills the
        empty cells. Raises ValidationError for a serial this line has already."""
        scan = item.scan
        if scan is not None:
            self.lot_text = self.lot_text or scan.lot or ""
            if not self.expiry_text and scan.expiry is not None:
                self.expiry_text = scan.expiry.isoformat()
            self.produced = self.produced or scan.produced
            if scan.serial is not None:
                self.add_serial(scan.serial)
                return
        self.qty_text = str((self.qty or 0) + qty)

    def add_serial(self, serial: str) -> None:
        if serial in self.serials:
            raise ValidationError(f"Serial {serial} is on this line already.", field="serials")
        self.serials.append(serial)
        self.qty_text = str(max(self.qty or 0, len(self.serials)))
