"""Settings of events out and the server's jobs, from the config file; the SMTP password never is.

[webhooks]
timeout_seconds = 10        # per POST; a delivery is leased for this plus LEASE_MARGIN_S
[mail]
host = "smtp.example.org"   # no host: no e-mail is sent
port = 587
sender = "invdesk@example.org"
username = "invdesk"        # password: INVDESK_SMTP_PASSWORD, else the keyring
security = "starttls"       # "none", "starttls" or "ssl"
[chat]
webhook_url = "https://chat.example.org/hooks/..."   # Slack/Mattermost-compatible
[jobs]
sweep_seconds = 60
digest_hour = 7             # UTC hour after which the day's digests go out
verify_hour = 3
backup_hour = 2             # SQLite only: nightly backup into backup_dir, keeping backup_keep
backup_dir = "/var/backups/invdesk"
backup_keep = 7
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from invdesk.config import ConfigError, config_path, read_config

ENV_SMTP_PASSWORD = "INVDESK_SMTP_PASSWORD"
KEYRING_SERVICE = "invdesk-smtp"
LEASE_MARGIN_S = 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 25
    sender: str = "invdesk@localhost"
    username: str | None = None
    security: str = "none"

    def password(self, env: Mapping[str, str] = os.environ) -> str | None:
        """From INVDESK_SMTP_PASSWORD, else the keyring entry invdesk-smtp/<username>."""
        if env.get(ENV_SMTP_PASSWORD):
            return env[ENV_SMTP_PASSWORD]
        if not self.username:
            return None
        try:
            import keyring  # only a server that sends mail with a login needs it

            found: str | None = keyring.get_password(KEYRING_SERVICE, self.username)
            return found
        except Exception as error:  # no backend, a locked keyring...
            log.warning("The SMTP password could not be read from the keyring: %s", error)
            return None


@dataclass(frozen=True)
class JobSettings:
    sweep_seconds: float = 60.0
    digest_hour: int = 7
    verify_hour: int = 3
    backup_hour: int = 2
    backup_dir: str | None = None
    backup_keep: int = 7


@dataclass(frozen=True)
class OutboundSettings:
    webhook_timeout_s: float = 10.0
    mail: MailSettings | None = None
    chat_url: str | None = None
    jobs: JobSettings = field(default_factory=JobSettings)

    @property
    def lease_s(self) -> float:
        return self.webhook_timeout_s + LEASE_MARGIN_S


def _section(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = config.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] in the config file must be a table of settings.")
    return value


def _typed(section: dict[str, Any], name: str, key: str, kind: type, default: Any) -> Any:
    value = section.get(key, default)
    if value is None or (kind is float and isinstance(value, int)):
        return value if value is None else float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ConfigError(f"{key} in [{name}] of the config file must be a {kind.__name__}.")
    return value


def load(env: Mapping[str, str] = os.environ) -> OutboundSettings:
    """The settings in the config file (INVDESK_CONFIG or the user's), defaults for the rest."""
    config = read_config(config_path(env))
    if "password" in _section(config, "mail"):
        raise ConfigError(
            "The config file must not hold the SMTP password: remove it and set "
            f"{ENV_SMTP_PASSWORD} or store it in the keyring (service {KEYRING_SERVICE})."
        )
    hooks, mail, chat, jobs = (_section(config, n) for n in ("webhooks", "mail", "chat", "jobs"))
    mail_settings = None
    if mail.get("host"):
        security = _typed(mail, "mail", "security", str, "none")
        if security not in ("none", "starttls", "ssl"):
            raise ConfigError('security in [mail] must be "none", "starttls" or "ssl".')
        mail_settings = MailSettings(
            host=_typed(mail, "mail", "host", str, ""),
            port=_typed(mail, "mail", "port", int, 25),
            sender=_typed(mail, "mail", "sender", str, "invdesk@localhost"),
            username=_typed(mail, "mail", "username", str, None),
            security=security,
        )
    return OutboundSettings(
        webhook_timeout_s=_typed(hooks, "webhooks", "timeout_seconds", float, 10.0),
        mail=mail_settings,
        chat_url=_typed(chat, "chat", "webhook_url", str, None) or None,
        jobs=JobSettings(
            sweep_seconds=_typed(jobs, "jobs", "sweep_seconds", float, 60.0),
            digest_hour=_typed(jobs, "jobs", "digest_hour", int, 7),
            verify_hour=_typed(jobs, "jobs", "verify_hour", int, 3),
            backup_hour=_typed(jobs, "jobs", "backup_hour", int, 2),
            backup_dir=_typed(jobs, "jobs", "backup_dir", str, None),
            backup_keep=_typed(jobs, "jobs", "backup_keep", int, 7),
        ),
    )
