"""An administrator's deactivation or role change ends a running session without a restart."""

from __future__ import annotations

from invdesk.domain.security import Actor, Role
from invdesk.services.catalog import users
from invdesk.ui.main_window import MainWindow
from invdesk.ui.session_guard import SessionGuard

BOSS = Actor("boss", Role.ADMIN)


def _accounts(db):
    users.create_first_admin(db, "boss", "boss password")
    users.add_user(db, "ann", "ann password", "clerk", BOSS)
    return users.login(db, "ann", "ann password")


def test_a_deactivated_clerks_window_closes_and_says_why(qtbot, shop_db, settings):
    ann = _accounts(shop_db)
    window = MainWindow(shop_db, ann, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.session.check()
    qtbot.waitUntil(lambda: not window.session._checking)  # the check came back and was judged
    assert window.isVisible() and window.ended_message is None  # nothing changed yet

    users.set_user_active(shop_db, "ann", False, BOSS)
    window.session.check()

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert "“ann” was deactivated by an administrator" in (window.ended_message or "")


def test_a_role_change_ends_the_session_once_so_the_new_role_applies(qtbot, shop_db):
    ann = _accounts(shop_db)
    guard = SessionGuard(shop_db, ann, interval_ms=50)
    users.set_role(shop_db, "ann", "manager", BOSS)

    with qtbot.waitSignal(guard.ended, timeout=5000) as ended:
        pass
    assert ended.args == [
        "An administrator changed your role from clerk to manager. Log in again to work with it."
    ]
    assert guard.over and not guard.timer.isActive()
