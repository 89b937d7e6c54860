"""Where the database is: --db flag, then INVDESK_DATABASE_URL, then the config file, then local SQLite."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from invdesk.domain.errors import ValidationError

APP_NAME = "invdesk"
ENV_URL = "INVDESK_DATABASE_URL"
ENV_CONFIG = "INVDESK_CONFIG"


@dataclass(frozen=True)
class DatabaseChoice:
    url: str
    source: str  # "flag", "environment", "config file" or "default"


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get(ENV_CONFIG)
    if override:
        return Path(override)
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_database_url() -> str:
    data_dir = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return f"sqlite:///{data_dir / 'invdesk.db'}"


class ConfigError(ValidationError, ValueError):
    """The config file cannot be used; front ends show the message (the CLI exits 2)."""


def read_config(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {error}. Correct or remove it."
        ) from error
    except OSError as error:
        raise ConfigError(
            f"The config file {path} cannot be read: {error.strerror or error}."
        ) from error


def resolve_database(
    flag: str | None = None, env: Mapping[str, str] = os.environ
) -> DatabaseChoice:
    """The database to open and why: flag > environment > config file [database] url > default."""
    if flag:
        return DatabaseChoice(flag, "flag")
    if env.get(ENV_URL):
        return DatabaseChoice(env[ENV_URL], "environment")
    section = read_config(config_path(env)).get("database", {})
    if isinstance(section, dict) and isinstance(section.get("url"), str) and section["url"]:
        return DatabaseChoice(section["url"], "config file")
    return DatabaseChoice(default_database_url(), "default")
