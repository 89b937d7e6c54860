"""Lot expiry alerts say what their figure counts, in chat messages and e-mail digests."""

from __future__ import annotations

import pytest

from invdesk.domain.digest import units_word
from invdesk.domain.restock import ValidationError, warning_days
from invdesk.server.senders import alert_sentence


def test_a_lot_alert_counts_the_units_in_the_lots():
    event = {"data": {"kind": "lot_expired", "sku": "MILK", "warehouse": "MAIN", "available": 6}}
    assert alert_sentence(event) == "Lot expired alert: MILK in MAIN, 6 in the lots."
    assert units_word("out_of_stock") == "available"


@pytest.mark.parametrize(("given", "days"), [("0", 0), (" 14 ", 14), (3650, 3650)])
def test_warning_days_are_whole_days_from_0_to_ten_years(given, days):
    assert warning_days(given) == days


@pytest.mark.parametrize("given", ["-1", "3651", "soon", "1.5"])
def test_other_warning_days_are_refused(given):
    with pytest.raises(ValidationError):
        warning_days(given)
