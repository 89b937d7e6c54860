"""User accounts: names, password rules, the login lockout schedule, and the views services return."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from invdesk.domain.errors import PermissionDenied, ValidationError
from invdesk.domain.security import Role

USERNAME_MAX = 64
PASSWORD_MIN = 8
PASSWORD_MAX = 256
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")

# Failed logins allowed before the account is locked; each further failure doubles the lock.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)


class LoginFailed(PermissionDenied):
    """Wrong name or password, an inactive account, or too many recent failures."""


class LoginRequired(PermissionDenied):
    """User accounts exist, and nobody logged in."""


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    role: Role
    active: bool
    version: int
    created_at: datetime
    last_login_at: datetime | None


def clean_username(value: object) -> str:
    """A login name: letters, digits and . _ @ -; compared case-insensitively, stored lower case."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError("Enter a user name.", field="username")
    if len(text) > USERNAME_MAX:
        raise ValidationError(
            f"A user name has at most {USERNAME_MAX} characters.", field="username"
        )
    if not _USERNAME.match(text):
        raise ValidationError(
            "A user name may hold letters, digits and . _ @ - (no spaces).", field="username"
        )
    return text.lower()


def check_password_rules(password: object) -> str:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise ValidationError(
            f"A password needs at least {PASSWORD_MIN} characters.", field="password"
        )
    if len(password) > PASSWORD_MAX:
        raise ValidationError(
            f"A password has at most {PASSWORD_MAX} characters.", field="password"
        )
    if not password.strip():
        raise ValidationError("A password cannot be only spaces.", field="password")
    return password


def parse_role(value: object) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationError(
            f"Unknown role “{value}”: use one of {names}.", field="role"
        ) from None


def lock_after(failures: int) -> timedelta | None:
    """How long an account stays locked after its `failures`-th consecutive failed login."""
    if failures < FREE_ATTEMPTS:
        return None
    lock: timedelta = FIRST_LOCK * 2 ** min(failures - FREE_ATTEMPTS, 20)
    return min(MAX_LOCK, lock)
