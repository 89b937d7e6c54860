"""Alerts reach people: immediate e-mail, chat, the daily digest (a real SMTP server), and jobs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from invdesk.domain.security import SYSTEM, Actor, Role
from invdesk.domain.stock import IssueStock, Line, ReserveStock
from invdesk.server.dispatch import Dispatcher
from invdesk.server.jobs import Scheduler
from invdesk.server.outbound_settings import JobSettings, MailSettings, OutboundSettings
from invdesk.services.catalog import watching
from invdesk.services.outbound import alert_mail
from invdesk.services.stock import operations, reservations
from tests import support
from tests.events.receiver import receiving
from tests.events.smtp import Inbox, smtp_server

ANN = Actor("ann", Role.CLERK)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as found:
        yield found


def _settings(port: int, **kwargs) -> OutboundSettings:
    mail = MailSettings("127.0.0.1", port, sender="invdesk@shop.test")
    return OutboundSettings(webhook_timeout_s=5, mail=mail, **kwargs)


def _empty_out(db, sku: str, wh: str = "MAIN") -> None:
    support.stocked(db, sku, 1, wh=wh)
    operations.issue(db, IssueStock(wh, (Line(sku, 1),)), SYSTEM)


def test_an_alert_in_a_watched_warehouse_is_mailed_at_once_and_posted_to_chat(shop, smtp):
    inbox, port = smtp
    watching.set_watched_warehouses(shop, ANN, ["MAIN"])
    alert_mail.set_alert_mail(shop, ANN, "ann", "ann@shop.test", "immediate")
    with receiving() as chat:
        dispatcher = Dispatcher(shop, _settings(port, chat_url=chat.url))
        dispatcher.start()
        try:
            _empty_out(shop, "B", "SHOP")  # not watched by ann: chat only
            _empty_out(shop, "A", "MAIN")
            [mail] = inbox.wait_for(1)
            chat.wait_for(lambda got: len(got) == 2)
        finally:
            dispatcher.stop()
    assert mail["To"] == "ann@shop.test"
    assert "A in MAIN" in mail["Subject"]
    assert "Out of stock alert" in mail.get_payload()
    texts = sorted(r.json["text"] for r in chat.received)
    assert texts == [
        "Out of stock alert: A in MAIN, 0 available.",
        "Out of stock alert: B in SHOP, 0 available.",
    ]
    assert len(inbox.messages) == 1


def test_a_digest_lists_the_days_alerts_holds_and_movements_once_a_day(shop, smtp, clock):
    inbox, port = smtp
    clock.now = clock.now.replace(hour=6, minute=0)
    alert_mail.set_alert_mail(shop, SYSTEM, "ann", "ann@shop.test", "digest")
    watching.set_watched_warehouses(shop, ANN, ["MAIN"])
    support.stocked(shop, "B", 5)
    reservations.reserve(shop, ReserveStock("B", "MAIN", 2, 6 * 3600, "WEB-7"), SYSTEM)
    _empty_out(shop, "A")
    _empty_out(shop, "A", "SHOP")  # not watched
    scheduler = Scheduler(shop, _settings(port, jobs=JobSettings(digest_hour=7)))
    assert "digest" not in scheduler.tick()  # before 07:00 UTC
    clock.advance(hours=2)
    assert "digest" in scheduler.tick()
    [mail] = inbox.wait_for(1)
    text = mail.get_payload()
    assert mail["To"] == "ann@shop.test"
    assert "== MAIN ==" in text and "SHOP" not in text
    assert "A: out of stock, 0 available" in text
    assert "B: 2 for WEB-7" in text
    assert "B receive: 1 movement(s), net +5" in text
    clock.advance(minutes=30)
    scheduler.tick()
    other = Scheduler(shop, _settings(port, jobs=JobSettings(digest_hour=7)))
    other.tick()
    assert len(inbox.messages) == 1  # once a day, whichever server asks


def test_two_servers_run_a_due_job_once(shop, clock):
    first, second = (Scheduler(shop, OutboundSettings()) for _ in range(2))
    assert "sweep" in first.tick()
    assert "sweep" not in second.tick()
    clock.advance(minutes=2)
    assert "sweep" in second.tick()


def test_the_nightly_sqlite_backup_keeps_the_newest_copies(shop, clock, tmp_path):
    if shop.dialect != "sqlite":
        assert not any(
            j.name == "backup"
            for j in Scheduler(shop, OutboundSettings(jobs=JobSettings(backup_dir="x"))).jobs
        )
        return
    folder = tmp_path / "backups"
    settings = OutboundSettings(
        jobs=JobSettings(backup_hour=0, backup_dir=str(folder), backup_keep=2)
    )
    scheduler = Scheduler(shop, settings)
    for _ in range(3):
        assert "backup" in scheduler.tick()
        assert "backup" not in scheduler.tick()
        clock.advance(days=1)
    assert len(list(folder.glob("invdesk-*.db"))) == 2


def test_alert_mail_choices_are_checked(shop):
    with pytest.raises(ValidationError, match="e-mail"):
        alert_mail.set_alert_mail(shop, ANN, "ann", "not-an-address", "immediate")
    with pytest.raises(ValidationError, match="Alerts can be"):
        alert_mail.set_alert_mail(shop, ANN, "ann", "ann@shop.test", "hourly")
    with pytest.raises(PermissionDenied):
        alert_mail.set_alert_mail(shop, ANN, "bob", "bob@shop.test", "immediate")
    with pytest.raises(NotFound, match="no e-mail address"):
        alert_mail.set_alert_mail(shop, ANN, "ann", None, "digest")
    alert_mail.set_alert_mail(shop, ANN, "ann", "ann@shop.test", "immediate")
    view = alert_mail.set_alert_mail(shop, ANN, "ann", None, "off")
    assert view is not None and (view.email, view.mode) == ("ann@shop.test", "off")
