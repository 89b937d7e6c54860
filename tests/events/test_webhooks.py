"""Webhooks end to end in one process: a real HTTP receiver, the dispatcher's threads, retries."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator

import pytest

from invdesk.domain.errors import PermissionDenied, ValidationError
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line
from invdesk.server.dispatch import Dispatcher
from invdesk.server.outbound_settings import OutboundSettings
from invdesk.services.outbound import delivery, webhooks
from invdesk.services.stock import operations
from tests import support
from tests.events.receiver import Receiver, receiving

SECRET = "s3cret-for-the-tests"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as found:
        yield found


@pytest.fixture
def dispatching(shop) -> Iterator[Dispatcher]:
    dispatcher = Dispatcher(shop, OutboundSettings(webhook_timeout_s=5))
    dispatcher.start()
    try:
        yield dispatcher
    finally:
        dispatcher.stop()


def _wait_status(db, event_id: str, status: str, clock=None, step_minutes: float = 0) -> None:
    """Wait until the event's delivery has `status`, moving the test clock on meanwhile."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = webhooks.list_deliveries(db, SYSTEM, event_id=event_id)
        if found and found[0].status == status:
            return
        if clock is not None and step_minutes and found and found[0].status == "pending":
            clock.advance(minutes=step_minutes)
        time.sleep(0.05)  # polling a condition with a deadline
    raise AssertionError(f"delivery of {event_id} never became {status}")


def test_a_stock_change_reaches_a_webhook_signed_with_its_event_id(shop, receiver, dispatching):
    webhooks.add_webhook(shop, SYSTEM, receiver.url, ["stock.changed"], SECRET)
    support.stocked(shop, "A", 4)
    receiver.wait_for(lambda got: len(got) == 1)
    [request] = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Invdesk-Signature"] == expected
    event = request.json
    assert request.headers["X-Invdesk-Event-Id"] == event["id"]
    assert event["type"] == "stock.changed"
    assert event["data"]["sku"] == "A" and event["data"]["qty"] == 4
    _wait_status(shop, event["id"], "delivered")
    [seen] = webhooks.list_deliveries(shop, SYSTEM, event_id=event["id"])
    assert (seen.attempts, seen.response_code, seen.response_text) == (1, 200, "ok")


def test_a_webhook_gets_only_the_events_it_chose(shop, receiver, dispatching):
    webhooks.add_webhook(shop, SYSTEM, receiver.url, ["alert.raised"], SECRET)
    support.stocked(shop, "A", 1)
    support.stocked(shop, "B", 1)
    operations.issue(shop, IssueStock("MAIN", (Line("A", 1),)), SYSTEM)  # out of stock: an alert
    receiver.wait_for(lambda got: len(got) >= 1)
    assert [r.json["type"] for r in receiver.received] == ["alert.raised"]
    assert receiver.received[0].json["data"]["sku"] == "A"


def test_a_failing_receiver_gets_the_same_event_again_until_it_answers(
    shop, receiver, dispatching, clock
):
    receiver.fail_next = 2
    webhooks.add_webhook(shop, SYSTEM, receiver.url, ["stock.changed"], SECRET)
    support.stocked(shop, "A", 4)
    receiver.wait_for(lambda got: len(got) == 1)
    event_id = receiver.received[0].json["id"]
    _wait_status(shop, event_id, "delivered", clock, step_minutes=1)
    assert [r.headers["X-Invdesk-Event-Id"] for r in receiver.received] == [event_id] * 3
    [seen] = webhooks.list_deliveries(shop, SYSTEM, event_id=event_id)
    assert seen.attempts == 3


def test_after_a_day_of_failures_a_delivery_is_failed_and_an_admin_can_retry_it(
    shop, receiver, dispatching, clock
):
    receiver.fail_next = 10_000
    webhooks.add_webhook(shop, SYSTEM, receiver.url, ["stock.changed"], SECRET)
    support.stocked(shop, "A", 4)
    receiver.wait_for(lambda got: len(got) == 1)
    event_id = receiver.received[0].json["id"]
    _wait_status(shop, event_id, "failed", clock, step_minutes=70)
    [seen] = webhooks.list_deliveries(shop, SYSTEM, event_id=event_id)
    assert seen.response_code == 500 and seen.next_attempt_at is None
    tries = len(receiver.received)
    assert 5 <= tries < 40  # exponential: far fewer tries than minutes in a day
    receiver.fail_next = 0
    webhooks.retry_delivery(shop, SYSTEM, seen.id)
    _wait_status(shop, event_id, "delivered")
    assert len(receiver.received) == tries + 1


def test_webhook_test_reaches_only_that_webhook(shop, dispatching):
    with receiving() as first, receiving() as second:
        hook, _ = webhooks.add_webhook(shop, SYSTEM, first.url, ["order.changed"], SECRET)
        webhooks.add_webhook(shop, SYSTEM, second.url, ["order.changed"], SECRET)
        event_id = webhooks.test_webhook(shop, SYSTEM, hook.id)
        _wait_status(shop, event_id, "delivered")
        assert [r.json["type"] for r in first.received] == ["webhook.test"]
        assert second.received == []


def test_removing_a_webhook_cancels_what_it_had_pending(shop, receiver):
    hook, _ = webhooks.add_webhook(shop, SYSTEM, receiver.url, ["stock.changed"], SECRET)
    support.stocked(shop, "A", 1)
    delivery.sequence(shop)  # its delivery is created; no dispatcher runs to send it
    webhooks.remove_webhook(shop, SYSTEM, hook.id)
    assert [d.status for d in webhooks.list_deliveries(shop, SYSTEM)] == ["cancelled"]
    assert webhooks.list_webhooks(shop, SYSTEM) == []


def test_only_admins_manage_webhooks_and_bad_input_is_refused(shop):
    with pytest.raises(PermissionDenied):
        webhooks.add_webhook(shop, Actor("clerk", Role.CLERK), "http://x.test/", ["stock.changed"])
    with pytest.raises(ValidationError, match="web address"):
        webhooks.add_webhook(shop, SYSTEM, "ftp://x.test/", ["stock.changed"])
    with pytest.raises(ValidationError, match="not an event"):
        webhooks.add_webhook(shop, SYSTEM, "http://x.test/", ["stock.moved"])
    with pytest.raises(ValidationError, match="secret"):
        webhooks.add_webhook(shop, SYSTEM, "http://x.test/", ["stock.changed"], "short")
