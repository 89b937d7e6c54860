"""Webhook delivery latency: from an event's commit to its signed POST arriving at a real receiver.

Run from the repository root (not collected by pytest):

    uv run python tests/perf/bench_webhooks.py [--events N] [--rate PER_SECOND] [--db URL]

Default: a SQLite file in a temporary directory. Stock receipts are posted through the services at
a steady rate while the server's dispatcher (the same class `invdesk serve` runs) sends each
stock.changed event to an HTTP receiver in this process; the script prints p50, p99 and max of
(arrival at the receiver - the event's commit time). The requirement: p99 under 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.server.dispatch import Dispatcher
from invdesk.server.outbound_settings import OutboundSettings
from invdesk.services.outbound import webhooks
from tests import support
from tests.events.receiver import receiving


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0, help="receipts per second (50)")
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/bench.db"
        with Database.open(url) as db, receiving() as receiver:
            migrate.upgrade(db)
            support.warehouse(db, "BENCH")
            support.product(db, "BENCH-1")
            webhooks.add_webhook(
                db, SYSTEM, receiver.url, ["stock.changed"], "bench-secret-0123456"
            )
            arrivals: dict[str, float] = {}
            original = receiver.record

            def timed(item):  # type: ignore[no-untyped-def]
                arrivals.setdefault(item.json["id"], time.time())
                return original(item)

            receiver.record = timed  # type: ignore[method-assign]
            dispatcher = Dispatcher(db, OutboundSettings(webhook_timeout_s=10))
            dispatcher.start()
            try:
                started = time.monotonic()
                for n in range(args.events):
                    support.stocked(db, "BENCH-1", 1, wh="BENCH")
                    pause = started + (n + 1) / args.rate - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)  # a steady load, not a wait for a result
                receiver.wait_for(lambda got: len(arrivals) >= args.events, timeout=300)
            finally:
                dispatcher.stop()
            committed = {
                d.event_id: d.created_at for d in webhooks.list_deliveries(db, SYSTEM, limit=10_000)
            }
    latencies = sorted(
        arrivals[event_id] - committed[event_id].timestamp() for event_id in arrivals
    )
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    print(
        f"webhook delivery, {len(latencies)} events at {args.rate:g}/s on {url.split(':')[0]}: "
        f"p50 {pick(0.5) * 1000:.0f} ms, p99 {pick(0.99) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms (requirement: p99 < 2000 ms) "
        f"[{datetime.now(UTC):%Y-%m-%d %H:%M} UTC]"
    )
    return 0 if pick(0.99) < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
