"""Database passwords in the system keyring (never in the config file), keyed by user@host:port/db.

A PC without a keyring service is told so once (a marker in the config folder remembers it) and in
the connection dialog, not on every command's stderr.
"""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from invdesk.config import config_path

SERVICE = "invdesk"
# In the config folder once this PC was told its keyring does not work.
NOTICE_FILE = "keyring-unavailable.notice"
NO_KEYRING = (
    "This PC has no working system keyring, so a database password cannot be remembered: it is "
    "asked for at every start (or taken from PGPASSWORD or ~/.pgpass)."
)
log = logging.getLogger(__name__)


def _keyring_failed(action: str, error: Exception) -> None:
    """Warn about a keyring that does not work the first time on this PC only."""
    marker = config_path().parent / NOTICE_FILE
    if marker.exists():
        log.debug("The system keyring could not %s: %s", action, error)
        return
    log.warning("%s (%s; this is said once on this PC.)", NO_KEYRING, error)
    with contextlib.suppress(OSError):  # a read-only profile: say it again next time
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{error}\n", encoding="utf-8")


def keyring_problem() -> str | None:
    """Why passwords cannot be remembered on this PC, or None when the keyring works."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring

        if isinstance(keyring.get_keyring(), NoKeyring):
            return NO_KEYRING
    except Exception:  # a broken keyring installation says the same to the person
        return NO_KEYRING
    return None


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
        _keyring_failed("be read", error)
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
        _keyring_failed("store the password", error)
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
        _keyring_failed("be changed", error)


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
