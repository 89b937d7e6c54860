"""Database passwords in the system keyring (never in the config file), keyed by user@host:port/db."""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import quote, unquote, urlsplit, urlunsplit

SERVICE = "invdesk"
log = logging.getLogger(__name__)


def keyring_account(url: str) -> str | None:
    """The keyring entry for a PostgreSQL URL (None for SQLite or a URL without a user name)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql") or not parts.username:
        return None
    host = parts.hostname or "localhost"
    return f"{unquote(parts.username)}@{host}:{parts.port or 5432}{parts.path or '/'}"


def saved_password(url: str) -> str | None:
    account = keyring_account(url)
    if account is None:
        return None
    try:
        import keyring  # imported on demand: most commands never need it

        return keyring.get_password(SERVICE, account)
    except Exception as error:  # no keyring backend, a locked keyring, D-Bus trouble...
        log.warning("The system keyring could not be read: %s", error)
        return None


def save_password(url: str, password: str) -> bool:
    """Store the password in the system keyring; False if this system has no usable keyring."""
    account = keyring_account(url)
    if account is None:
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, account, password)
    except Exception as error:
        log.warning("The system keyring could not store the password: %s", error)
        return False
    return True


def forget_password(url: str) -> None:
    account = keyring_account(url)
    if account is None:
        return
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # nothing was saved
            keyring.delete_password(SERVICE, account)
    except Exception as error:
        log.warning("The system keyring could not be changed: %s", error)


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    user = quote(unquote(parts.username or ""), safe="")
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def url_with_saved_password(url: str) -> str:
    """A PostgreSQL URL without a password gets the one saved in the keyring, if any.

    Without one, libpq still tries PGPASSWORD and ~/.pgpass.
    """
    if urlsplit(url).password is not None:
        return url
    password = saved_password(url)
    return url if password is None else with_password(url, password)
