"""GS1 scans: a GTIN with its lot, expiry, production date, serial and count in one code.

Cartons carry GS1-128 and GS1 DataMatrix codes whose text is a string of element strings, each an
application identifier (AI) and its data: (01) the GTIN, (10) the lot, (17) the expiry, (11) the
production date, (21) the serial, (30)/(37) a count, (00) the SSCC of a pallet. Scanners send
them with FNC1 as the GS character (\\x1d) between fields, with or without a symbology prefix
(`]C1` GS1-128, `]d2` DataMatrix, `]Q3` QR, `]e0` DataBar, `]J1` DotCode); people type the form
printed under the bars, with the AIs in parentheses. Each element is read by the maintained `biip`
parser. A plain SKU or EAN is never taken for GS1: text without a prefix, a GS or parentheses is
GS1 only when it reads whole as two or more element strings that start with a valid GTIN or SSCC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from invdesk.domain.barcodes import gtin_check_digit
from invdesk.domain.errors import ValidationError
from invdesk.domain.stock import Line
from invdesk.domain.tracking import day

if TYPE_CHECKING:
    from biip.gs1_element_strings import GS1ElementString

GS = "\x1d"
"""FNC1 as a scanner types it: the ASCII group separator."""
GS1_SYMBOLOGIES = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
"""AIM symbology identifiers of codes whose text is a GS1 element string."""
MAX_GS1_LEN = 256
MAX_COUNT = 99_999_999  # AI (30) and (37) hold up to eight digits
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_HRI = re.compile(r"\((\d{2,4})\)([^(]*)")
_HRI_START = re.compile(r"\(\d{2,4}\)")
_FIELD_NAMES = {"11": "production date", "17": "expiry date", "15": "best-before date"}


@dataclass(frozen=True)
class Gs1Scan:
    """What a GS1 code says (None where it says nothing): `gtin` as the 14 digits of the code."""

    text: str
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    produced: date | None = None
    serial: str | None = None
    count: int | None = None
    sscc: str | None = None

    def describe(self) -> str:
        """E.g. 'lot LOT42, expires 2027-12-31, serial SN1' (what a scan added, for a clerk)."""
        parts = [f"lot {self.lot}"] if self.lot else []
        if self.expiry:
            parts.append(f"expires {self.expiry.isoformat()}")
        if self.produced:
            parts.append(f"made {self.produced.isoformat()}")
        if self.serial:
            parts.append(f"serial {self.serial}")
        if self.sscc:
            parts.append(f"SSCC {self.sscc}")
        return ", ".join(parts)


def might_be_gs1(text: str) -> bool:
    """A cheap first look (the hot path asks it of every code): False means surely not GS1."""
    first = text[:1]
    return (
        first == "]"
        or first == "("
        or GS in text
        or (len(text) > 16 and text[:2] in ("00", "01", "02") and text[2:16].isdigit())
    )


def plain_code(text: str) -> str:
    """A code without the AIM symbology identifier a scanner set to send them puts before every
    code (`]E0` before an EAN-13, `]C0` before a plain Code 128); GS1 ones are parse_gs1's."""
    if len(text) > 3 and _AIM.match(text) and text[:3] not in GS1_SYMBOLOGIES:
        return text[3:]
    return text


def parse_gs1(value: object) -> Gs1Scan | None:
    """The GS1 code in `value`, or None when it is not one (a SKU, an EAN, a serial label).

    Raises ValidationError when the text is plainly meant as GS1 (a GS1 symbology prefix, a GS
    character, an AI in parentheses) but does not read: a bad check digit, a date that is no
    date, an unknown AI.
    """
    if not isinstance(value, str) or not might_be_gs1(value):
        return None
    text = value.strip(" \t\r\n")  # not str.strip(): Python counts GS as white space
    if text.startswith("]"):
        if text[:3] not in GS1_SYMBOLOGIES:
            return None  # a symbology that carries no GS1 data (EAN-13, plain Code 128)
        return _read(text, text[3:], strict=True)
    if text.startswith("("):
        if not _HRI_START.match(text):
            return None
        # The printed form, "(01)...(10)LOT", read as a scanner would send it.
        hri = "".join(text.split())
        return _read(text, GS.join(ai + data for ai, data in _HRI.findall(hri)), strict=True)
    return _read(text, text, strict=GS in text)


def _read(text: str, body: str, *, strict: bool) -> Gs1Scan | None:
    """Read the element strings of `body`; `strict` False (bare digits): None if it does not read."""
    # Imported on the first GS1 code: a plain code (and the CLI's start) never loads its tables.
    from biip import ParseConfig, ParseError
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier
    from biip.gs1_element_strings import GS1ElementString

    # Dates checked here, not by biip, so the clerk is told which date is wrong.
    config = ParseConfig(gs1_element_strings_verify_date=False, separator_chars=(GS,))
    shown = text.replace(GS, "<GS>")
    if len(text) > MAX_GS1_LEN:
        if not strict:
            return None
        raise ValidationError(
            f"The GS1 code is too long: {len(text)} characters, at most {MAX_GS1_LEN}.",
            field="product",
        )
    elements: dict[str, str] = {}
    dates: dict[str, date] = {}
    rest = body.lstrip(GS)  # some scanners send the leading FNC1 too
    while rest:
        try:
            ai = GS1ApplicationIdentifier.extract(rest)
        except ParseError:
            if not strict:
                return None
            raise ValidationError(
                f"“{shown}” is not a GS1 code invdesk can read: no application identifier at "
                f"“{rest[:8]}”.",
                field="product",
            ) from None
        try:
            element = GS1ElementString.extract(rest, config=config)
        except ParseError:
            if not strict:
                return None
            data = rest[len(ai.ai) :].split(GS, 1)[0]
            if ai.ai in _FIELD_NAMES:
                raise ValidationError(
                    f"In the GS1 code “{shown}”, the {_FIELD_NAMES[ai.ai]} “{data}” is not a "
                    "date (YYMMDD).",
                    field="expiry" if ai.ai != "11" else "produced",
                ) from None
            raise ValidationError(
                f"In the GS1 code “{shown}”, ({ai.ai}) {ai.data_title} “{data}” is not valid "
                f"(expected {ai.format}).",
                field="product",
            ) from None
        elements.setdefault(ai.ai, element.value)
        if ai.ai in _FIELD_NAMES:
            dates[ai.ai] = _date(element, shown)
        rest = rest[len(element) :].lstrip(GS)
    if not strict and (len(elements) < 2 or next(iter(elements)) not in ("00", "01", "02")):
        return None  # bare digits that happen to read as one element: a plain code
    try:
        return _scan(text, shown, elements, dates)
    except ValidationError:
        if not strict:
            return None
        raise


def _date(element: GS1ElementString, shown: str) -> date:
    if element.date is not None:
        return element.date
    # AI (17) "271300" or "270231": no such month or day (a day of 00 means the month's last).
    raise ValidationError(
        f"In the GS1 code “{shown}”, the {_FIELD_NAMES[element.ai.ai]} {element.value} is not a "
        "date (YYMMDD).",
        field="expiry" if element.ai.ai != "11" else "produced",
    )


def _scan(text: str, shown: str, elements: dict[str, str], dates: dict[str, date]) -> Gs1Scan:
    gtin = elements.get("01") or elements.get("02")
    sscc = elements.get("00")
    for label, digits in (("GTIN", gtin), ("SSCC", sscc)):
        if digits is not None and gtin_check_digit(digits[:-1]) != int(digits[-1]):
            raise ValidationError(
                f"The {label} {digits} in the GS1 code “{shown}” has a wrong check digit: it "
                f"should end in {gtin_check_digit(digits[:-1])}. Scan it again.",
                field="product",
            )
    count_text = elements.get("30") or elements.get("37")
    count = None if count_text is None else int(count_text)
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise ValidationError(
            f"The GS1 code “{shown}” says a count of {count}; a count is at least 1.", field="qty"
        )
    return Gs1Scan(
        text=text,
        gtin=gtin,
        lot=elements.get("10"),
        expiry=dates.get("17"),
        produced=dates.get("11"),
        serial=elements.get("21"),
        count=count,
        sscc=sscc,
    )


def expand_line(line: Line, where: str = "") -> Line:
    """A stock line whose code is a GS1 string as a line of its GTIN with the lot, dates, serial
    and count the code carries; any other line as it is. What the line names itself must agree
    with the scan; a count fills the quantity only when the line gives none."""
    scan = parse_gs1(line.product)
    if scan is None:
        if type(line.product) is str and line.product[:1] == "]":
            return replace(line, product=plain_code(line.product))
        return line
    if scan.gtin is None:
        raise ValidationError(
            f"The GS1 code “{scan.text.replace(GS, '<GS>')}”{where} names no product (no GTIN, "
            "AI 01 or 02): scan the product's own code.",
            field="product",
        )
    serials = line.serials
    if scan.serial is not None:
        if scan.count not in (None, 1):
            raise ValidationError(
                f"The GS1 code{where} names serial {scan.serial} and a count of {scan.count}: "
                "a serial number is one unit.",
                field="qty",
            )
        if serials and serials != (scan.serial,):
            raise ValidationError(
                f"The GS1 code{where} names serial {scan.serial}, the line {', '.join(serials)}.",
                field="serials",
            )
        serials = (scan.serial,)
    qty = line.qty
    if qty is None or qty == "":
        qty = len(serials) if serials else scan.count or 1
    return replace(
        line,
        product=scan.gtin,
        qty=qty,
        lot=_agree(line.lot, scan.lot, "lot", where),
        expiry=_agree_day(line.expiry, scan.expiry, "expiry", where),
        produced=_agree_day(line.produced, scan.produced, "production date", where),
        serials=serials,
    )


_FIELDS = {"lot": "lot", "expiry": "expiry", "production date": "produced"}


def _agree(typed: str | None, scanned: str | None, label: str, where: str) -> str | None:
    """What the line and its scan say of one thing: the same, or one of them, or an error."""
    typed = (typed or "").strip() or None
    if typed is not None and scanned is not None and typed != scanned:
        raise ValidationError(
            f"The GS1 code{where} says {label} {scanned}, the line says {typed}.",
            field=_FIELDS[label],
        )
    return typed or scanned


def _agree_day(typed: object, scanned: date | None, label: str, where: str) -> object:
    typed_day = day(typed, label=f"{label.capitalize()}{where}", field=_FIELDS[label])
    _agree(
        None if typed_day is None else typed_day.isoformat(),
        None if scanned is None else scanned.isoformat(),
        label,
        where,
    )
    return typed_day or scanned


def has_gs1(lines: tuple[Line, ...]) -> bool:
    """True if a line's code may be a GS1 string (a cheap look, for the hot path)."""
    return any(type(line.product) is str and might_be_gs1(line.product) for line in lines)


def sscc_of(lines: tuple[Line, ...]) -> str | None:
    """The SSCC the first GS1 line of a document carries (kept as the document's reference)."""
    for line in lines:
        if type(line.product) is str and might_be_gs1(line.product):
            scan = parse_gs1(line.product)
            if scan is not None and scan.sscc is not None:
                return scan.sscc
    return None
