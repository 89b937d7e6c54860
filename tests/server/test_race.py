"""64 clients across two server processes race for the last 10 units: never an oversell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.race import prepare, run_race
from tests.server.running import serving_several


@pytest.mark.slow
def test_64_clients_on_two_servers_reserve_exactly_the_last_10_units(
    db_url: str, tmp_path: Path
) -> None:
    secret = prepare(db_url, 10)
    with serving_several(db_url, [tmp_path / "one.log", tmp_path / "two.log"]) as bases:
        result = run_race(db_url, bases, secret)
    assert result.statuses == {201: 10, 409: 54}, (result.statuses, result.on_hand, result.reserved)
    assert (result.on_hand, result.reserved) == (10, 10)
    assert result.differences == 0
