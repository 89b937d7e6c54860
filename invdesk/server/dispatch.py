"""The dispatcher: after each commit, put outbox events in order and send their deliveries.

Runs in every server process on threads of its own (the services are synchronous). It wakes at
once for a commit made in this process (the event bus) and polls every POLL_S for commits of other
processes, so an event goes out well under a second after its commit. Sends run on a small pool;
on shutdown the loop stops claiming and the sends in flight finish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import timedelta

from invdesk.server import metrics, outbound_settings
from invdesk.server.outbound_settings import OutboundSettings
from invdesk.server.senders import Answer, send_alert_mail, send_chat, send_webhook
from invdesk.server.state import ServerState
from invdesk.services.outbound import delivery
from invdesk.services.stock import events
from invdesk.services.system.database import Database

POLL_S = 0.25
DEPTH_EVERY_S = 2.0
SENDERS = 8
log = logging.getLogger(__name__)
# Called with (delivery, seconds from its event's commit to now) after each answered attempt.
Observer = Callable[[delivery.Due, float, Answer], None]


class Dispatcher:
    def __init__(
        self, db: Database, settings: OutboundSettings, observe: Observer | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self._observe = observe
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="invdesk-send")
        self._in_flight = threading.Semaphore(SENDERS * 2)
        self._thread = threading.Thread(target=self._loop, name="invdesk-dispatch", daemon=True)
        self._unsubscribe = events.subscribe(db, lambda _events: self._wake.set())
        self._next_depth = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._unsubscribe()
        self._stopping.set()
        self._wake.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = self.step()
            except Exception:  # a lost database must not end the loop: try again next time
                log.exception("event dispatch failed; retrying")
                busy = False
            if not busy:
                self._wake.wait(POLL_S)
                self._wake.clear()

    def step(self) -> bool:
        """Sequence what committed, claim what is due, hand it to the senders. True: more may wait."""
        sequenced = delivery.sequence(self.db, chat_url=self.settings.chat_url)
        if time.monotonic() >= self._next_depth:
            self._next_depth = time.monotonic() + DEPTH_EVERY_S
            metrics.WEBHOOK_QUEUE_DEPTH.set(delivery.queue_depth(self.db))
        free = 0
        while free < SENDERS and self._in_flight.acquire(blocking=False):
            free += 1
        if free == 0:
            return False
        due = delivery.claim_due(
            self.db, limit=free, lease=timedelta(seconds=self.settings.lease_s)
        )
        for _ in range(free - len(due)):
            self._in_flight.release()
        for item in due:
            self._pool.submit(self._send, item)
        return bool(sequenced) or len(due) == free

    def _send(self, due: delivery.Due) -> None:
        try:
            answer = self._attempt(due)
            delivery.record_attempt(
                self.db, due.id, ok=answer.ok, code=answer.code, answer=answer.text
            )
            if self._observe is not None:
                seconds = (self.db.now() - due.committed_at).total_seconds()
                self._observe(due, seconds, answer)
        except Exception:  # the lease runs out and another attempt is made
            log.exception("delivery %s could not be recorded", due.id)
        finally:
            self._in_flight.release()
            self._wake.set()

    def _attempt(self, due: delivery.Due) -> Answer:
        timeout = self.settings.webhook_timeout_s
        if due.channel == "webhook":
            return send_webhook(due, timeout)
        if due.channel == "chat":
            return send_chat(due, timeout)
        if self.settings.mail is None:
            return Answer(False, None, "no [mail] host in the server's config file")
        return send_alert_mail(self.settings.mail, due, timeout)


def observe_metrics(due: delivery.Due, seconds: float, answer: Answer) -> None:
    """Prometheus: commit-to-event-out for every event sent, delivery latency for webhooks."""
    if answer.ok:
        metrics.COMMIT_TO_EVENT_SECONDS.observe(seconds)
        if due.channel == "webhook":
            metrics.WEBHOOK_DELIVERY_SECONDS.observe(seconds)


@asynccontextmanager
async def dispatcher_job(state: ServerState) -> AsyncIterator[Dispatcher]:
    """The server job that runs the dispatcher for the life of the process."""
    dispatcher = Dispatcher(state.db, outbound_settings.load(), observe_metrics)
    dispatcher.start()
    try:
        yield dispatcher
    finally:
        dispatcher.stop()
