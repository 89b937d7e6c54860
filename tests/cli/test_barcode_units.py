"""A barcode works wherever a SKU does; a case barcode counts its pack size (the commands' help)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "main_after", "shop_after"),
    [
        (["receive", "14006381333938", "MAIN", "1"], (130, 0, 130), (24, 0, 24)),
        (["issue", "14006381333938", "MAIN", "2"], (94, 0, 94), (24, 0, 24)),
        (["transfer", "14006381333938", "MAIN", "SHOP", "1"], (106, 0, 106), (36, 0, 36)),
        (["return", "14006381333938", "SHOP", "1"], (118, 0, 118), (36, 0, 36)),
        (["reserve", "14006381333938", "MAIN", "1"], (118, 12, 106), (24, 0, 24)),
        (["issue", "4006381333931", "SHOP", "4"], (118, 0, 118), (20, 0, 20)),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_case_barcode_moves_its_pack_size_in_units(stocked, args, main_after, shop_after):
    stocked.ok(*args)

    levels = stocked.levels()
    assert levels[("CAB-001", "MAIN")] == main_after
    assert levels[("CAB-001", "SHOP")] == shop_after


def test_counting_by_case_barcode_counts_cases(stocked):
    stocked.ok("adjust", "14006381333938", "MAIN", "10")

    assert stocked.levels()[("CAB-001", "MAIN")] == (120, 0, 120)


def test_the_help_of_stock_commands_promises_pack_counting(stocked):
    assert "a case barcode counts its pack size" in stocked.ok("adjust", "--help").stdout
