"""Barcodes: GTIN check digits (EAN-8, UPC-A, EAN-13, GTIN-14), normalising, CODE:PACK specs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invdesk.domain.barcodes import (
    MAX_BARCODE_LEN,
    MAX_PACK_QTY,
    gtin_check_digit,
    is_valid_gtin,
    normalize_barcode,
    parse_barcode_spec,
)
from invdesk.domain.errors import ValidationError

# Published examples: a Faber-Castell EAN-13, a UPC-A, the usual EAN-8 example, GS1's GTIN-14.
KNOWN_VALID = {
    "EAN-13": "4006381333931",
    "UPC-A": "036000291452",
    "EAN-8": "96385074",
    "GTIN-14": "10614141000415",
}


@pytest.mark.parametrize("code", KNOWN_VALID.values(), ids=KNOWN_VALID.keys())
def test_known_valid_gtins_pass_the_check_digit(code):
    assert is_valid_gtin(code)
    assert gtin_check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize("code", KNOWN_VALID.values(), ids=KNOWN_VALID.keys())
def test_a_gtin_with_any_other_last_digit_is_invalid(code):
    for digit in "0123456789":
        if digit != code[-1]:
            assert not is_valid_gtin(code[:-1] + digit)


@pytest.mark.parametrize(
    "code", ["", "4006381333", "400638133393112", "40063813339X1", "4006381333931 "]
)
def test_wrong_length_or_non_digits_are_not_gtins(code):
    assert not is_valid_gtin(code)


@settings(database=None, deadline=None, max_examples=200)
@given(body=st.text(alphabet="0123456789", min_size=12, max_size=12), bump=st.integers(1, 9))
def test_appending_the_check_digit_makes_a_valid_ean13_and_any_other_digit_does_not(body, bump):
    check = gtin_check_digit(body)
    code = body + str(check)

    assert is_valid_gtin(code)
    assert normalize_barcode(code) == code
    assert not is_valid_gtin(body + str((check + bump) % 10))


@pytest.mark.parametrize(
    ("typed", "kind", "expected"),
    [
        ("4006381333932", "EAN-13", 1),
        ("036000291453", "UPC-A", 2),
        ("96385070", "EAN-8", 4),
        ("10614141000410", "GTIN-14", 5),
    ],
)
def test_a_bad_check_digit_is_refused_naming_the_expected_digit(typed, kind, expected):
    with pytest.raises(ValidationError) as caught:
        normalize_barcode(typed)

    assert caught.value.message == (
        f"{typed} is not a valid {kind}: its check digit should be {expected}."
    )
    assert caught.value.field == "barcode"


@pytest.mark.parametrize("code", ["ABC-123", "12345", "12345678901", "X" * MAX_BARCODE_LEN])
def test_free_form_codes_and_digit_runs_of_other_lengths_are_kept_as_typed(code):
    assert normalize_barcode(code) == code


def test_a_scanned_code_is_trimmed():
    assert normalize_barcode("  4006381333931\n") == "4006381333931"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "cannot be empty"),
        (None, "cannot be empty"),
        ("   ", "cannot be empty"),
        ("X" * (MAX_BARCODE_LEN + 1), "too long"),
        ("400 638", "spaces or control characters"),
        ("AB\x00C", "spaces or control characters"),
        ("AB\x7fC", "spaces or control characters"),
    ],
)
def test_unusable_barcodes_are_refused(typed, message):
    with pytest.raises(ValidationError, match=message):
        normalize_barcode(typed)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("4006381333931", ("4006381333931", 1)),
        ("10614141000415:12", ("10614141000415", 12)),
        ("CASE-A:1", ("CASE-A", 1)),
        (f"CASE-B:{MAX_PACK_QTY}", ("CASE-B", MAX_PACK_QTY)),
    ],
)
def test_barcode_spec_is_a_code_with_an_optional_pack_size(spec, expected):
    assert parse_barcode_spec(spec) == expected


@pytest.mark.parametrize(
    "spec",
    ["CODE:0", "CODE:-1", "CODE:1.5", "CODE:abc", "CODE:", f"CODE:{MAX_PACK_QTY + 1}"],
)
def test_barcode_spec_refuses_bad_pack_sizes(spec):
    with pytest.raises(ValidationError, match=r"Pack size in .* must be a whole number") as caught:
        parse_barcode_spec(spec)

    assert spec in caught.value.message


def test_barcode_spec_still_checks_the_gtin_check_digit():
    with pytest.raises(ValidationError, match="check digit should be 1"):
        parse_barcode_spec("4006381333932:6")


def test_barcode_spec_refuses_a_unicode_superscript_pack_size_cleanly():
    with pytest.raises(ValidationError):
        parse_barcode_spec("CODE:²")


@pytest.mark.parametrize("spec", ["CODE:١٢", "CODE:１２", "CODE:2²"])
def test_barcode_spec_refuses_non_ascii_digits_in_the_pack_size(spec):
    with pytest.raises(ValidationError, match=r"Pack size in .* must be a whole number"):
        parse_barcode_spec(spec)


def test_barcode_spec_allows_spaces_around_the_pack_size():
    assert parse_barcode_spec("CODE: 12 ") == ("CODE", 12)
