"""Database administration from the command line: choosing, creating, upgrading, refusing."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from click.testing import CliRunner

from invdesk.cli.main import cli
from invdesk.db import sqlite_location
from invdesk.db.migrate import head_revision
from tests.cli.conftest import assert_one_line_error

NO_SETTINGS = {"INVDESK_DATABASE_URL": None, "INVDESK_CONFIG": None}


def test_db_upgrade_on_a_fresh_sqlite_file_prints_the_revision(invdesk, tmp_path):
    path = tmp_path / "x.db"

    result = invdesk.ok("db", "upgrade")

    assert result.stdout == f"SQLite {path} is at schema revision {head_revision()}.\n"
    assert path.exists()
    assert invdesk.json("warehouse", "list") == []


def test_db_upgrade_twice_is_harmless(invdesk):
    first = invdesk.ok("db", "upgrade").stdout

    assert invdesk.ok("db", "upgrade").stdout == first


def test_a_sqlite_file_on_a_network_share_is_refused_with_exit_7(invdesk, tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_location, "is_network_path", lambda path, mounts=None: True)

    result = invdesk("stock")

    line = assert_one_line_error(result, 7)
    assert "network share" in line
    assert not (tmp_path / "x.db").exists()


def test_a_database_from_a_newer_invdesk_is_refused_with_exit_7(stocked):
    path = stocked.url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffff'")

    line = assert_one_line_error(stocked("stock"), 7)

    assert "newer version of invdesk" in line


def test_the_database_url_comes_from_the_environment_without_a_flag(tmp_path):
    path = tmp_path / "from-env.db"
    env = {**NO_SETTINGS, "INVDESK_DATABASE_URL": f"sqlite:///{path}"}

    result = CliRunner().invoke(cli, ["warehouse", "add", "MAIN", "Main"], obj=None, env=env)

    assert result.exit_code == 0, result.stderr
    assert path.exists()


def test_the_flag_wins_over_the_environment(tmp_path):
    flagged, ignored = tmp_path / "flag.db", tmp_path / "env.db"
    env = {**NO_SETTINGS, "INVDESK_DATABASE_URL": f"sqlite:///{ignored}"}

    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{flagged}", "warehouse", "add", "A", "A"], obj=None, env=env
    )

    assert result.exit_code == 0, result.stderr
    assert flagged.exists()
    assert not ignored.exists()


def test_the_database_url_comes_from_the_config_file(tmp_path):
    path = tmp_path / "from-config.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{path}"\n', encoding="utf-8")
    env = {**NO_SETTINGS, "INVDESK_CONFIG": str(config)}

    result = CliRunner().invoke(cli, ["warehouse", "add", "MAIN", "Main"], obj=None, env=env)

    assert result.exit_code == 0, result.stderr
    assert path.exists()


def test_a_broken_config_file_is_one_error_line_naming_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[database\nurl = ", encoding="utf-8")
    env = {**NO_SETTINGS, "INVDESK_CONFIG": str(config)}

    result = CliRunner().invoke(cli, ["stock"], obj=None, env=env)

    assert result.exit_code not in (0, 1)
    line = assert_one_line_error(result, result.exit_code)
    assert str(config) in line


def test_without_a_command_the_cli_asks_for_one(invdesk):
    result = invdesk()

    assert result.exit_code == 2
    assert "Name a command" in result.stderr
