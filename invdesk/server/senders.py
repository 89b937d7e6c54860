"""Sending one delivery: a signed webhook POST, a chat message, an e-mail. Each returns an Answer."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import NamedTuple

from invdesk import __version__
from invdesk.domain.digest import units_word
from invdesk.domain.outbound import EVENT_ID_HEADER, SIGNATURE_HEADER, signature
from invdesk.server.outbound_settings import MailSettings
from invdesk.services.outbound.delivery import Due


class Answer(NamedTuple):
    ok: bool
    code: int | None
    text: str


def post_json(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST `body`; a 2xx answer is a success, anything else (or no answer) a failure."""
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("User-Agent", f"invdesk/{__version__}")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read(500).decode("utf-8", "replace")
            return Answer(200 <= response.status < 300, response.status, text)
    except urllib.error.HTTPError as error:
        with error:
            text = error.read(500).decode("utf-8", "replace")
        return Answer(False, error.code, text)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(False, None, f"no answer: {reason}")


def send_webhook(due: Due, timeout: float) -> Answer:
    body = due.body.encode("utf-8")
    headers = {
        SIGNATURE_HEADER: signature(due.secret or "", body),
        EVENT_ID_HEADER: due.event_id,
        "X-Invdesk-Event-Type": due.event_type,
    }
    return post_json(due.recipient, body, headers, timeout)


def alert_sentence(event: dict[str, object]) -> str:
    data = event["data"]
    assert isinstance(data, dict)
    kind = str(data.get("kind", ""))
    return (
        f"{kind.replace('_', ' ').capitalize()} alert: {data.get('sku')} in "
        f"{data.get('warehouse')}, {data.get('available')} {units_word(kind)}."
    )


def send_chat(due: Due, timeout: float) -> Answer:
    """A Slack/Mattermost incoming-webhook message: {"text": ...}."""
    text = alert_sentence(json.loads(due.body))
    return post_json(due.recipient, json.dumps({"text": text}).encode(), {}, timeout)


def send_mail(settings: MailSettings, to: str, subject: str, text: str, timeout: float) -> Answer:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            password = settings.password()
            if settings.username and password:
                smtp.login(settings.username, password)
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        return Answer(False, getattr(error, "smtp_code", None), f"not sent: {error}")
    if refused:
        return Answer(False, None, f"refused: {refused}")
    return Answer(True, 250, "accepted")


def send_alert_mail(settings: MailSettings, due: Due, timeout: float) -> Answer:
    sentence = alert_sentence(json.loads(due.body))
    text = f"{sentence}\n\nEvent {due.event_id}. Open invdesk's Alerts page to acknowledge it.\n"
    return send_mail(settings, due.recipient, f"invdesk: {sentence}", text, timeout)
