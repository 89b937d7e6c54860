"""The Admin page's lists held in memory: API tokens, webhooks and their deliveries."""

from __future__ import annotations

import enum
from typing import Any

from invdesk.domain.outbound import DeliveryView, WebhookView
from invdesk.domain.tokens import TokenView
from invdesk.ui.models.columns import ListTableModel, when


class TokenColumn(enum.IntEnum):
    NAME = 0
    SCOPES = 1
    WAREHOUSES = 2
    ENDS_IN = 3
    STATUS = 4
    CREATED = 5


TOKEN_HEADERS = {
    TokenColumn.NAME: "Name",
    TokenColumn.SCOPES: "Scopes",
    TokenColumn.WAREHOUSES: "Warehouses",
    TokenColumn.ENDS_IN: "Ends in",
    TokenColumn.STATUS: "Status",
    TokenColumn.CREATED: "Created",
}


def _token(row: TokenView, column: TokenColumn) -> str:
    if column is TokenColumn.STATUS:
        if row.active:
            return "Active"
        return f"Revoked {when(row.revoked_at)} by {row.revoked_by or '?'}"
    return {
        TokenColumn.NAME: row.name,
        TokenColumn.SCOPES: ", ".join(s.value for s in row.scopes),
        TokenColumn.WAREHOUSES: ", ".join(row.warehouses) or "All",
        TokenColumn.ENDS_IN: f"…{row.last_four}",
        TokenColumn.CREATED: f"{when(row.created_at)} by {row.created_by}",
    }[column]


def token_model(parent: Any = None) -> ListTableModel:
    return ListTableModel(TokenColumn, TOKEN_HEADERS, _token, parent=parent)


class WebhookColumn(enum.IntEnum):
    ID = 0
    URL = 1
    EVENTS = 2
    CREATED = 3


WEBHOOK_HEADERS = {
    WebhookColumn.ID: "No.",
    WebhookColumn.URL: "Address",
    WebhookColumn.EVENTS: "Events",
    WebhookColumn.CREATED: "Added",
}


def _webhook(row: WebhookView, column: WebhookColumn) -> str:
    return {
        WebhookColumn.ID: str(row.id),
        WebhookColumn.URL: row.url,
        WebhookColumn.EVENTS: ", ".join(row.events),
        WebhookColumn.CREATED: f"{when(row.created_at)} by {row.created_by}",
    }[column]


def webhook_model(parent: Any = None) -> ListTableModel:
    return ListTableModel(WebhookColumn, WEBHOOK_HEADERS, _webhook, [WebhookColumn.ID], parent)


class DeliveryColumn(enum.IntEnum):
    ID = 0
    EVENT = 1
    RECIPIENT = 2
    STATUS = 3
    ATTEMPTS = 4
    CREATED = 5
    LAST_ANSWER = 6
    NEXT = 7


DELIVERY_HEADERS = {
    DeliveryColumn.ID: "No.",
    DeliveryColumn.EVENT: "Event",
    DeliveryColumn.RECIPIENT: "To",
    DeliveryColumn.STATUS: "Status",
    DeliveryColumn.ATTEMPTS: "Attempts",
    DeliveryColumn.CREATED: "Created",
    DeliveryColumn.LAST_ANSWER: "Last answer",
    DeliveryColumn.NEXT: "Next try",
}


def _answer(row: DeliveryView) -> str:
    if row.response_code is None and not row.response_text:
        return ""
    code = "" if row.response_code is None else f"{row.response_code} "
    return f"{code}{row.response_text or ''}".strip()


def _delivery(row: DeliveryView, column: DeliveryColumn) -> str:
    return {
        DeliveryColumn.ID: str(row.id),
        DeliveryColumn.EVENT: f"{row.event_type} ({row.event_id})",
        DeliveryColumn.RECIPIENT: f"{row.channel}: {row.recipient}",
        DeliveryColumn.STATUS: row.status.capitalize(),
        DeliveryColumn.ATTEMPTS: str(row.attempts),
        DeliveryColumn.CREATED: when(row.created_at),
        DeliveryColumn.LAST_ANSWER: _answer(row),
        DeliveryColumn.NEXT: when(row.next_attempt_at),
    }[column]


def delivery_model(parent: Any = None) -> ListTableModel:
    numeric = [DeliveryColumn.ID, DeliveryColumn.ATTEMPTS]
    return ListTableModel(DeliveryColumn, DELIVERY_HEADERS, _delivery, numeric, parent)
