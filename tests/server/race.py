"""64 clients across two `invdesk serve` processes racing to order the last units of a product."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

import httpx

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.channels import tokens
from invdesk.services.trust import verify
from tests import support

SKU = "RACE-1"


@dataclass(frozen=True)
class RaceResult:
    statuses: Counter[int]
    on_hand: int
    reserved: int
    differences: int


def prepare(url: str, units: int) -> str:
    """On an empty, migrated database: a product with exactly `units` in warehouse MAIN, and a
    token to order it; returns the token."""
    with Database.open(url) as db:
        support.warehouse(db, "MAIN")
        support.product(db, SKU)
        support.stocked(db, SKU, units, "MAIN")
        return tokens.add_token(db, SYSTEM, "racer", ["orders"])[1]


async def _race(bases: list[str], secret: str, clients: int) -> Counter[int]:
    headers = {"Authorization": f"Bearer {secret}"}
    start = asyncio.Event()
    statuses: Counter[int] = Counter()

    async def one(n: int, client: httpx.AsyncClient) -> None:
        body = {
            "channel": "web_shop",
            "reference": f"RACE-{n}",
            "warehouse": "MAIN",
            "lines": [{"sku": SKU, "qty": 1}],
        }
        await start.wait()
        answer = await client.post(f"{bases[n % len(bases)]}/api/v1/orders", json=body)
        statuses[answer.status_code] += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers=headers, timeout=60.0, limits=limits) as client:
        # Connections are opened first, so the race itself is 64 requests let go at once.
        await asyncio.gather(*(client.get(f"{b}/healthz") for b in bases for _ in range(4)))
        tasks = [asyncio.create_task(one(n, client)) for n in range(clients)]
        start.set()
        await asyncio.gather(*tasks)
    return statuses


def run_race(url: str, bases: list[str], secret: str, clients: int = 64) -> RaceResult:
    statuses = asyncio.run(_race(bases, secret, clients))
    with Database.open(url) as db:
        on_hand, reserved = support.on_hand(db, SKU)
        differences = len(verify.verify(db, SYSTEM))
    return RaceResult(statuses, on_hand, reserved, differences)
