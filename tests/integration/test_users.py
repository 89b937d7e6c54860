"""Accounts and logging in: hashed passwords, lockout after failed logins, the first admin, last admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from invdesk.db.models import User
from invdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role
from invdesk.domain.users import FREE_ATTEMPTS, LoginFailed
from invdesk.services.catalog import users

ADMIN = Actor("boss", Role.ADMIN)
PASSWORD = "correct horse battery"


def test_a_database_without_accounts_has_no_users(db):
    assert users.has_users(db) is False


def test_the_first_admin_is_created_without_login_and_only_once(db):
    actor = users.create_first_admin(db, "Boss", PASSWORD)

    assert actor == Actor("boss", Role.ADMIN)
    assert users.has_users(db)
    with pytest.raises(Conflict, match="already exists"):
        users.create_first_admin(db, "other", PASSWORD)


def test_the_first_account_must_be_an_admin(db):
    with pytest.raises(ValidationError, match="first account must be an admin"):
        users.add_user(db, "ann", PASSWORD, "clerk", ADMIN)


def test_a_correct_password_logs_in_with_the_users_role(db):
    users.create_first_admin(db, "boss", PASSWORD)
    users.add_user(db, "ann", "clerk pass 1", Role.CLERK, ADMIN)

    assert users.login(db, "ANN", "clerk pass 1") == Actor("ann", Role.CLERK)


def test_only_an_argon2_hash_of_the_password_is_stored(db):
    users.create_first_admin(db, "boss", PASSWORD)

    with db.read() as conn:
        stored = conn.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "password"), [("boss", "wrong password"), ("nobody", PASSWORD), ("", PASSWORD)]
)
def test_a_wrong_name_or_password_gets_the_same_answer(db, name, password):
    users.create_first_admin(db, "boss", PASSWORD)

    with pytest.raises(LoginFailed, match=r"^Wrong user name or password\.$") as caught:
        users.login(db, name, password)
    assert caught.value.exit_code == 6


def test_repeated_failures_lock_the_account_even_for_the_right_password(db):
    users.create_first_admin(db, "boss", PASSWORD)
    start = db.now()
    db.clock = lambda: start  # the message counts the seconds left: none pass on a slow PC
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(LoginFailed, match="Wrong"):
            users.login(db, "boss", "guess")

    with pytest.raises(LoginFailed, match="Too many failed logins for boss: try again in 30 "):
        users.login(db, "boss", PASSWORD)


def test_the_lock_ends_and_a_success_resets_the_count(db):
    users.create_first_admin(db, "boss", PASSWORD)
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(LoginFailed):
            users.login(db, "boss", "guess")
    start = db.now()
    db.clock = lambda: start + timedelta(seconds=31)

    assert users.login(db, "boss", PASSWORD).username == "boss"
    with db.read() as conn:
        row = conn.execute(select(User.failed_logins, User.locked_until)).one()
    assert tuple(row) == (0, None)


def test_a_deactivated_account_cannot_log_in(db):
    users.create_first_admin(db, "boss", PASSWORD)
    users.add_user(db, "ann", "clerk pass 1", "clerk", ADMIN)
    users.set_user_active(db, "ann", False, ADMIN)

    with pytest.raises(LoginFailed, match="deactivated"):
        users.login(db, "ann", "clerk pass 1")


def test_a_logged_in_users_standing_follows_the_admins_changes(db):
    assert users.standing(db, ADMIN) == ADMIN  # no accounts yet: nothing to end
    users.create_first_admin(db, "boss", PASSWORD)
    users.add_user(db, "ann", "clerk pass 1", "clerk", ADMIN)
    ann = users.login(db, "ann", "clerk pass 1")
    assert users.standing(db, ann) == ann

    users.set_role(db, "ann", "manager", ADMIN)
    assert users.standing(db, ann) == Actor("ann", Role.MANAGER)

    users.set_user_active(db, "ann", False, ADMIN)
    assert users.standing(db, ann) is None
    assert users.standing(db, Actor("nobody", Role.ADMIN)) is None


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(db):
    users.create_first_admin(db, "boss", PASSWORD)

    with pytest.raises(ValidationError, match="last active admin"):
        users.set_role(db, "boss", "manager", ADMIN)
    with pytest.raises(ValidationError, match="last active admin"):
        users.set_user_active(db, "boss", False, ADMIN)


def test_users_change_their_own_password_with_the_current_one(db):
    users.create_first_admin(db, "boss", PASSWORD)
    users.add_user(db, "ann", "clerk pass 1", "clerk", ADMIN)
    ann = Actor("ann", Role.CLERK)

    with pytest.raises(LoginFailed):
        users.change_password(db, "ann", "new pass 22", ann, old_password="wrong one")
    users.change_password(db, "ann", "new pass 22", ann, old_password="clerk pass 1")

    assert users.login(db, "ann", "new pass 22") == ann
    with pytest.raises(PermissionDenied):
        users.change_password(db, "boss", "hijacked!!", ann, old_password="new pass 22")


def test_short_passwords_and_odd_names_are_refused(db):
    with pytest.raises(ValidationError, match="at least 8"):
        users.create_first_admin(db, "boss", "short")
    with pytest.raises(ValidationError, match="no spaces"):
        users.create_first_admin(db, "the boss", PASSWORD)


def test_no_table_holds_a_password_in_clear_text(db):
    users.create_first_admin(db, "boss", PASSWORD)
    users.add_user(db, "ann", "clerk pass 1", "clerk", ADMIN)
    with pytest.raises(LoginFailed):
        users.login(db, "ann", "typo pass 1")

    with db.read() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
                if db.dialect == "sqlite"
                else text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
        ]
        dump = " ".join(
            str(row) for name in names for row in conn.execute(text(f'SELECT * FROM "{name}"'))
        )
    for secret in (PASSWORD, "clerk pass 1", "typo pass 1"):
        assert secret not in dump
