"""kill -9 of `invdesk serve` mid-delivery loses no event: real processes, a real HTTP receiver."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.outbound import webhooks
from tests import support
from tests.events.receiver import receiving
from tests.server.running import free_port, stop

pytestmark = pytest.mark.slow
EVENTS = 12
READY_DEADLINE_S = 120.0


@contextmanager
def server(db_url: str, config: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    port = free_port()
    command = [sys.executable, "-m", "invdesk", "--db", db_url, "serve", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "INVDESK_CONFIG": str(config)},
        )
    try:
        deadline = time.monotonic() + READY_DEADLINE_S
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "server not ready"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # polling a condition with a deadline
        yield process
    finally:
        stop(process)


def test_a_server_killed_mid_delivery_loses_no_event(db_url, tmp_path):
    config = tmp_path / "config.toml"
    # A held POST is cut off after 2 s (leased for 7 s), so the kill below lands while it is in
    # flight; the check after the kill makes sure it did.
    config.write_text("[webhooks]\ntimeout_seconds = 2\n")
    log = tmp_path / "serve.log"
    with Database.open(db_url) as db, receiving(hold=True) as receiver:
        support.warehouse(db)
        support.product(db, "A")
        webhooks.add_webhook(db, SYSTEM, receiver.url, ["stock.changed"], "kill-nine-secret-0")
        for _ in range(EVENTS):
            support.stocked(db, "A", 1)
        with server(db_url, config, log) as first:
            receiver.wait_for(lambda got: len(got) >= 1)
            first.send_signal(signal.SIGKILL)
            first.wait(30)
        # Killed mid-POST: no attempt got an answer recorded (a timed-out one would have one),
        # so only the leases running out bring them back.
        assert all(d.response_text is None for d in webhooks.list_deliveries(db, SYSTEM))
        in_flight = {r.json["id"] for r in receiver.received}
        receiver.release.set()
        with server(db_url, config, log):
            receiver.wait_for(lambda got: len({r.json["id"] for r in got}) == EVENTS, timeout=120)
            deadline = time.monotonic() + 60
            while any(d.status != "delivered" for d in webhooks.list_deliveries(db, SYSTEM)):
                assert time.monotonic() < deadline, webhooks.list_deliveries(db, SYSTEM)
                time.sleep(0.1)
        bodies: dict[str, set[bytes]] = defaultdict(set)
        for request in receiver.received:
            bodies[request.json["id"]].add(request.body)
        assert len(bodies) == EVENTS
        # Repeats only of the same event, byte for byte, and the ones in flight came again.
        assert all(len(sent) == 1 for sent in bodies.values())
        again = [r.json["id"] for r in receiver.received].count
        assert all(again(event_id) >= 2 for event_id in in_flight)
        quantities = sorted(json.loads(next(iter(b)))["data"]["on_hand"] for b in bodies.values())
        assert quantities == list(range(1, EVENTS + 1))
