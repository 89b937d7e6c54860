"""Where the database is: --db flag, then INVDESK_DATABASE_URL, then the config file, then local SQLite;
and where its read replica is, if any (--read-db, INVDESK_READ_DATABASE_URL, the config file).

The config file never holds a password: the connection dialog keeps it in the system keyring.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import platformdirs

from invdesk.domain.errors import ValidationError

APP_NAME = "invdesk"
ENV_URL = "INVDESK_DATABASE_URL"
ENV_READ_URL = "INVDESK_READ_DATABASE_URL"
ENV_SERVER_URL = "INVDESK_SERVER_URL"
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


@dataclass(frozen=True)
class ReadReplicaChoice:
    """A PostgreSQL streaming replica for reads that may lag, and the lag bound in seconds."""

    url: str
    max_lag_s: float
    source: str  # "flag", "environment" or "config file"


def resolve_read_database(
    flag: str | None = None,
    max_lag_flag: float | None = None,
    env: Mapping[str, str] = os.environ,
) -> ReadReplicaChoice | None:
    """The read replica, if one is named: --read-db > INVDESK_READ_DATABASE_URL > config file
    [database] read_url. Its lag bound: --read-max-lag > [database] read_max_lag_s > 2 s."""
    section = read_config(config_path(env)).get("database", {})
    section = section if isinstance(section, dict) else {}
    if flag:
        url, source = flag, "flag"
    elif env.get(ENV_READ_URL):
        url, source = env[ENV_READ_URL], "environment"
    elif isinstance(section.get("read_url"), str) and section["read_url"]:
        url, source = section["read_url"], "config file"
    else:
        return None
    lag = max_lag_flag if max_lag_flag is not None else section.get("read_max_lag_s", 2.0)
    if isinstance(lag, bool) or not isinstance(lag, int | float) or not lag > 0:
        raise ConfigError(
            f"read_max_lag_s in {config_path(env)} must be a positive number of seconds."
        )
    return ReadReplicaChoice(url, float(lag), source)


def server_url(env: Mapping[str, str] = os.environ) -> str | None:
    """The `invdesk serve` server the desktop reports on: INVDESK_SERVER_URL, then the config
    file's [server] url; None when there is none."""
    if env.get(ENV_SERVER_URL):
        return env[ENV_SERVER_URL]
    section = read_config(config_path(env)).get("server", {})
    if isinstance(section, dict) and isinstance(section.get("url"), str) and section["url"]:
        return str(section["url"])
    return None


def without_password(url: str) -> str:
    """The URL with any password removed (user, host, port, database and options kept)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(unquote(user), safe='')}@{host}" if user else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"Cannot write {type(value).__name__} to the config file.")


def write_config(path: Path, config: Mapping[str, object]) -> None:
    """Write settings as TOML: top-level scalars, then one [table] per section."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in config.items() if not isinstance(v, dict)]
    for name, section in config.items():
        if isinstance(section, dict):
            lines += ["", f"[{name}]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in section.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join(lines).lstrip("\n") + "\n", encoding="utf-8")
    os.replace(partial, path)


def save_database_url(url: str, env: Mapping[str, str] = os.environ) -> Path:
    """Remember the chosen database in the config file, never with its password; returns the file."""
    path = config_path(env)
    config = dict(read_config(path))
    section = config.get("database")
    section = dict(section) if isinstance(section, dict) else {}
    section["url"] = without_password(url)
    config["database"] = section
    write_config(path, config)
    return path


@dataclass(frozen=True)
class LabelSettings:
    """This workstation's label printing ([labels] in the config file): the system printer
    for labels, a ZPL printer (host[:port] or queue:NAME), the label size and the ZPL dpi."""

    printer: str = ""
    zpl_printer: str = ""
    size: str = ""
    dpi: int = 203


def label_settings(env: Mapping[str, str] = os.environ) -> LabelSettings:
    section = read_config(config_path(env)).get("labels", {})
    if not isinstance(section, dict):
        return LabelSettings()
    dpi = section.get("dpi", 203)

    def text(key: str) -> str:
        value = section.get(key, "")
        return value.strip() if isinstance(value, str) else ""

    return LabelSettings(
        text("printer"),
        text("zpl_printer"),
        text("size"),
        dpi if isinstance(dpi, int) and not isinstance(dpi, bool) else 203,
    )


def save_label_settings(settings: LabelSettings, env: Mapping[str, str] = os.environ) -> Path:
    """Keep this workstation's label printer choice; returns the file written."""
    path = config_path(env)
    config = dict(read_config(path))
    config["labels"] = {
        "printer": settings.printer,
        "zpl_printer": settings.zpl_printer,
        "size": settings.size,
        "dpi": settings.dpi,
    }
    write_config(path, config)
    return path
