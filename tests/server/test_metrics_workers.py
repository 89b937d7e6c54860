"""/metrics of `invdesk serve --workers 2` reports the whole server: what both workers served."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from invdesk.db import migrate
from invdesk.db.engine import Database
from tests.server.running import serving

ENDPOINT = "/healthz"
BATCH = 32


def _counted(families: object) -> float:
    """Requests to ENDPOINT answered 200 in these metric families."""
    return sum(
        sample.value
        for family in families  # type: ignore[attr-defined]
        if family.name == "invdesk_http_requests"
        for sample in family.samples
        if sample.name == "invdesk_http_requests_total"
        and sample.labels.get("endpoint") == ENDPOINT
        and sample.labels.get("status") == "200"
    )


def _per_worker(directory: Path) -> dict[str, float]:
    """From the workers' own metric files: how many ENDPOINT requests each served."""
    return {
        path.stem.removeprefix("counter_"): _counted(
            MultiProcessCollector.merge([str(path)], accumulate=False)
        )
        for path in directory.glob("invdesk-metrics-*/counter_*.db")
    }


def test_metrics_of_two_workers_add_up(sqlite_url: str, tmp_path: Path) -> None:
    with Database.open(sqlite_url) as db:
        migrate.upgrade(db)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    sent = 0
    # The server makes its workers' metric directory in its TMPDIR, where this test can look.
    with serving(sqlite_url, workers=2, env={"TMPDIR": str(scratch)}) as base:
        # A new connection per request, many at once, until both workers have served some.
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(8) as pool:
            while True:
                answers = list(pool.map(lambda _: httpx.get(f"{base}{ENDPOINT}"), range(BATCH)))
                assert all(a.status_code == 200 for a in answers)
                sent += BATCH
                served = _per_worker(scratch)
                if len(served) == 2 and all(served.values()):
                    break
                assert time.monotonic() < deadline, f"one worker served everything: {served}"
        reported = _counted(text_string_to_metric_families(httpx.get(f"{base}/metrics").text))
        assert sum(_per_worker(scratch).values()) == sent
        assert reported == sent  # not one worker's share
    # The directory was the server's own: gone with it.
    assert not list(scratch.glob("invdesk-metrics-*"))
