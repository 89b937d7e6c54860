"""Barcodes: free-form codes, and the GTIN family (EAN-8, UPC-A, EAN-13, GTIN-14) with check digits."""

from __future__ import annotations

from invdesk.domain.errors import ValidationError

MAX_BARCODE_LEN = 64
GTIN_LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
MAX_PACK_QTY = 100_000


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def normalize_barcode(value: object, *, field: str = "barcode") -> str:
    """A scanned or typed code, trimmed; all-digit codes of GTIN length must carry a valid check digit."""
    code = "" if value is None else str(value).strip()
    if not code:
        raise ValidationError("Barcode cannot be empty.", field=field)
    if len(code) > MAX_BARCODE_LEN:
        raise ValidationError(
            f"Barcode is too long: {len(code)} characters, at most {MAX_BARCODE_LEN}.", field=field
        )
    if not code.isprintable() or any(ch.isspace() for ch in code):
        raise ValidationError("Barcode cannot contain spaces or control characters.", field=field)
    gtin_like = code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS
    if gtin_like and not is_valid_gtin(code):
        kind = GTIN_LENGTHS[len(code)]
        expected = gtin_check_digit(code[:-1])
        raise ValidationError(
            f"{code} is not a valid {kind}: its check digit should be {expected}.", field=field
        )
    return code


def parse_barcode_spec(spec: str) -> tuple[str, int]:
    """`CODE` or `CODE:PACK` (a case barcode that stands for PACK units)."""
    code, pack = spec.rsplit(":", 1) if ":" in spec else (spec, "1")
    pack = pack.strip()
    # isdigit() alone is true for '²' and other Unicode digits that int() refuses.
    if not (pack.isascii() and pack.isdigit()) or not 1 <= int(pack) <= MAX_PACK_QTY:
        raise ValidationError(
            f"Pack size in “{spec}” must be a whole number from 1 to {MAX_PACK_QTY:,}.",
            field="barcode",
        )
    return normalize_barcode(code), int(pack)


def gtin_forms(code: str) -> list[str]:
    """The forms one GTIN is stored in, longest first: a GTIN-14 with leading zeros is the same
    item as the EAN-13, UPC-A or EAN-8 it pads ("04006381333931" is EAN-13 "4006381333931").
    Empty for anything that is not a valid GTIN."""
    if not is_valid_gtin(code):
        return []
    padded = code.zfill(14)
    return [padded[14 - n :] for n in (14, 13, 12, 8) if padded[: 14 - n].count("0") == 14 - n]
