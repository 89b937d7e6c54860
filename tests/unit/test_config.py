"""Which database: --db flag > INVDESK_DATABASE_URL > config file [database] url > local SQLite."""

from __future__ import annotations

import pytest

from invdesk.config import (
    ConfigError,
    ReadReplicaChoice,
    config_path,
    resolve_database,
    resolve_read_database,
)

FLAG = "sqlite:///from-flag.db"
ENV = "postgresql://invdesk@env-host/invdesk"
FILE = "postgresql://invdesk@file-host/invdesk"


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{FILE}"\n', encoding="utf-8")
    return path


@pytest.fixture
def no_config(tmp_path):
    return {"INVDESK_CONFIG": str(tmp_path / "missing.toml")}


def test_flag_wins_over_environment_and_config_file(config_file):
    env = {"INVDESK_DATABASE_URL": ENV, "INVDESK_CONFIG": str(config_file)}

    choice = resolve_database(FLAG, env)

    assert (choice.url, choice.source) == (FLAG, "flag")


def test_environment_wins_over_config_file(config_file):
    env = {"INVDESK_DATABASE_URL": ENV, "INVDESK_CONFIG": str(config_file)}

    choice = resolve_database(None, env)

    assert (choice.url, choice.source) == (ENV, "environment")


def test_config_file_named_by_invdesk_config_is_used_without_flag_or_environment(config_file):
    choice = resolve_database(None, {"INVDESK_CONFIG": str(config_file)})

    assert (choice.url, choice.source) == (FILE, "config file")


def test_empty_flag_and_environment_fall_through_to_the_config_file(config_file):
    env = {"INVDESK_DATABASE_URL": "", "INVDESK_CONFIG": str(config_file)}

    assert resolve_database("", env).url == FILE


def test_without_any_setting_a_local_sqlite_file_named_invdesk_db_is_used(no_config):
    choice = resolve_database(None, no_config)

    assert choice.source == "default"
    assert choice.url.startswith("sqlite:///")
    assert choice.url.endswith("/invdesk.db")


@pytest.mark.parametrize(
    "text",
    ["", "[database]\n", '[database]\nurl = ""\n', 'database = "sqlite:///x.db"\n', "[other]\n"],
)
def test_a_config_file_without_a_database_url_falls_back_to_the_default(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")

    assert resolve_database(None, {"INVDESK_CONFIG": str(path)}).source == "default"


def test_a_broken_config_file_is_reported_with_its_path(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[database\nurl = ", encoding="utf-8")

    with pytest.raises(ValueError, match="not valid TOML") as caught:
        resolve_database(None, {"INVDESK_CONFIG": str(path)})

    assert str(path) in str(caught.value)


def test_config_path_is_invdesk_config_when_set(tmp_path):
    assert config_path({"INVDESK_CONFIG": str(tmp_path / "c.toml")}) == tmp_path / "c.toml"


def test_config_path_defaults_to_config_toml_in_the_user_config_dir():
    path = config_path({})

    assert path.name == "config.toml"
    assert path.parent.name == "invdesk"


# --- the read replica ------------------------------------------------------------------------

REPLICA = "postgresql://invdesk@standby/invdesk"


def _config(tmp_path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return {"INVDESK_CONFIG": str(path)}


def test_no_read_replica_unless_one_is_named(no_config):
    assert resolve_read_database(None, None, no_config) is None


def test_read_replica_from_the_config_file_with_its_lag_bound(tmp_path):
    env = _config(
        tmp_path, f'[database]\nurl = "{FILE}"\nread_url = "{REPLICA}"\nread_max_lag_s = 0.5\n'
    )

    choice = resolve_read_database(None, None, env)

    assert choice == ReadReplicaChoice(REPLICA, 0.5, "config file")


def test_read_replica_flag_beats_environment_beats_config_file_and_defaults_to_2_s(tmp_path):
    env = _config(tmp_path, f'[database]\nread_url = "{REPLICA}"\n')
    env["INVDESK_READ_DATABASE_URL"] = ENV

    assert resolve_read_database(None, None, env) == ReadReplicaChoice(ENV, 2.0, "environment")
    assert resolve_read_database(FILE, 7, env) == ReadReplicaChoice(FILE, 7.0, "flag")


@pytest.mark.parametrize("bound", ["0", "-1", '"soon"', "true"])
def test_a_read_lag_bound_that_is_not_a_positive_number_is_refused(tmp_path, bound):
    env = _config(tmp_path, f'[database]\nread_url = "{REPLICA}"\nread_max_lag_s = {bound}\n')

    with pytest.raises(ConfigError, match="read_max_lag_s"):
        resolve_read_database(None, None, env)
