"""The ledger-mismatch alert reaches an admin's tray, Alerts page and Dashboard."""

from __future__ import annotations

from sqlalchemy import text

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import Actor, Role
from invdesk.ui.integrity import IntegrityBanner, IntegrityWatch
from invdesk.ui.pages.alerts import AlertsPage
from invdesk.ui.pages.dashboard import DashboardPage
from tests import support

ADMIN = Actor("ada", Role.ADMIN)


def _tampered(tmp_path) -> Database:
    db = Database.open(f"sqlite:///{tmp_path}/shop.db")
    migrate.upgrade(db)
    support.warehouse(db, "MAIN")
    support.product(db, "SKU-1")
    support.stocked(db, "SKU-1", 10)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE stock_level SET on_hand = 99"))
    return db


def test_the_scheduled_check_announces_a_mismatch_to_an_admin(qtbot, tmp_path):
    db = _tampered(tmp_path)
    try:
        watch = IntegrityWatch(db, ADMIN)
        with qtbot.waitSignal(watch.mismatch, timeout=60_000) as found:
            watch.look()
        check = found.args[0]
        assert check.findings == 1
        assert "SKU-1 in MAIN: on hand is 99" in check.summary

        for page_type in (AlertsPage, DashboardPage):
            page = page_type(db, ADMIN)
            qtbot.addWidget(page)
            page.refresh()
            qtbot.waitUntil(lambda p=page: p.integrity_banner.isVisibleTo(p), timeout=60_000)
            assert page.integrity_banner.label.text().startswith("Ledger mismatch: the integrity")
    finally:
        db.dispose()


def test_an_acknowledged_alert_leaves_the_banner(qtbot, tmp_path):
    db = _tampered(tmp_path)
    try:
        watch = IntegrityWatch(db, ADMIN)
        with qtbot.waitSignal(watch.mismatch, timeout=60_000):
            watch.look()
        banner = IntegrityBanner(db, ADMIN)
        qtbot.addWidget(banner)
        banner.show()
        banner.refresh()
        qtbot.waitUntil(lambda: "Ledger mismatch" in banner.label.text(), timeout=60_000)
        banner.acknowledge()
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=60_000)
    finally:
        db.dispose()
