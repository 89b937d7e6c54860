"""Events out: webhook and delivery values, their checks, the signature and the retry schedule."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from invdesk.domain.errors import ValidationError

# What a webhook can subscribe to (alert.* is every alert change: raised, acknowledged, resolved).
SUBSCRIBABLE = ("stock.changed", "alert.raised", "alert.changed", "order.changed")
TEST_EVENT = "webhook.test"
SIGNATURE_HEADER = "X-Invdesk-Signature"
EVENT_ID_HEADER = "X-Invdesk-Event-Id"
GIVE_UP_AFTER = timedelta(days=1)
FIRST_RETRY = timedelta(seconds=5)
LONGEST_WAIT = timedelta(hours=1)
ALERT_MODES = ("immediate", "digest", "off")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class WebhookView:
    id: int
    url: str
    events: tuple[str, ...]
    active: bool
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class DeliveryView:
    """One event sent (or being sent) to one receiver: what, when, the answer, what happens next."""

    id: int
    channel: str
    recipient: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    response_code: int | None
    response_text: str | None


@dataclass(frozen=True)
class AlertSubscriptionView:
    username: str
    email: str
    mode: str


def check_url(value: str) -> str:
    url = value.strip()
    if not _URL.match(url) or len(url) > 2000:
        raise ValidationError(
            f"“{value}” is not a web address: give one starting with http:// or https://.",
            field="url",
        )
    return url


def check_event_types(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in values))
    if not chosen:
        raise ValidationError(
            f"Choose at least one event: {', '.join(SUBSCRIBABLE)}.", field="events"
        )
    for kind in chosen:
        if kind not in SUBSCRIBABLE:
            raise ValidationError(
                f"“{kind}” is not an event a webhook can receive; choose from "
                f"{', '.join(SUBSCRIBABLE)}.",
                field="events",
            )
    return chosen


def subscribed(chosen: tuple[str, ...], event_type: str) -> bool:
    """Whether a webhook that chose `chosen` gets an event of `event_type`."""
    if event_type in chosen:
        return True
    return event_type.startswith("alert.") and "alert.changed" in chosen


def check_email(value: str) -> str:
    address = value.strip()
    if not _EMAIL.match(address) or len(address) > 254:
        raise ValidationError(f"“{value}” is not an e-mail address.", field="email")
    return address


def check_alert_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode not in ALERT_MODES:
        raise ValidationError(
            f"Alerts can be {', '.join(ALERT_MODES)}, not “{value}”.", field="alerts"
        )
    return mode


def signature(secret: str, body: bytes) -> str:
    """The X-Invdesk-Signature header value: sha256=<hex HMAC-SHA256 of the body under secret>."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def next_attempt(created_at: datetime, attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries, or None: a day has passed, give up.

    Exponential (5 s, 10 s, 20 s ... at most an hour apart), with jitter so that many deliveries
    failing together do not retry together.
    """
    wait = min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)
    at: datetime = now + wait * (0.75 + random.random() / 2)
    if at - created_at > GIVE_UP_AFTER:
        return None
    return at
