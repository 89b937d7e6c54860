"""A graceful shutdown: SIGTERM lets a request in flight finish before the server exits."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.services.channels import tokens
from tests import support
from tests.server.running import server_process


@pytest.mark.postgres
def test_sigterm_finishes_the_request_in_flight(
    pg_database_factory: object, tmp_path: Path
) -> None:
    url: str = pg_database_factory()  # type: ignore[operator]
    with Database.open(url) as db:
        migrate.upgrade(db)
        support.warehouse(db, "MAIN")
        support.product(db, "A-1")
        support.stocked(db, "A-1", 5)
        secret = tokens.add_token(db, SYSTEM, "shop", ["orders"])[1]
    blocker = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    answers: list[httpx.Response] = []
    with server_process(url, log=tmp_path / "serve.log") as (base, process):
        with blocker.connect() as conn:
            # Hold the stock row, so the order's request waits inside the server.
            conn.execute(text("SELECT * FROM stock_level FOR UPDATE"))
            order = {"channel": "pos", "reference": "LAST", "warehouse": "MAIN",
                     "lines": [{"sku": "A-1", "qty": 1}]}  # fmt: skip
            sender = threading.Thread(
                target=lambda: answers.append(
                    httpx.post(
                        f"{base}/api/v1/orders",
                        json=order,
                        headers={"Authorization": f"Bearer {secret}"},
                        timeout=60,
                    )
                )
            )
            sender.start()
            _wait_for_lock_waiter(url)
            process.send_signal(signal.SIGTERM)
            conn.rollback()  # the server's transaction may go on now
        sender.join(timeout=60)
        exit_code = process.wait(timeout=60)
    blocker.dispose()
    assert [a.status_code for a in answers] == [201]
    assert exit_code == 0


def _wait_for_lock_waiter(url: str) -> None:
    deadline = time.monotonic() + 60
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()"
    )
    with Database.open(url) as db:
        while time.monotonic() < deadline:
            with db.engine.connect() as probe:
                if probe.execute(query).scalar_one():
                    return
            time.sleep(0.05)  # polling the condition with a deadline
    raise AssertionError("the order never waited for the held stock row")
