"""The connection dialog: each failure explained, and no password written to the config file."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import text

from invdesk.config import read_config
from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.ui.connection_dialog import ConnectionDialog, postgres_url

SECRET = "s3cret-Pa55word"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    fake = MemoryKeyring()
    keyring.set_keyring(fake)
    yield fake
    keyring.set_keyring(previous)


@pytest.fixture
def env(tmp_path):
    return {"INVDESK_CONFIG": str(tmp_path / "config.toml")}


def _dialog(qtbot, env, **kwargs):
    dialog = ConnectionDialog(env=env, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _server(dialog, url):
    dialog.set_url(url)
    assert dialog.server.isChecked()


def _connect(qtbot, dialog):
    with qtbot.waitSignal(dialog.attempt_finished, timeout=20_000):
        dialog.try_connect()


def _close(dialog):
    if dialog.database is not None:
        dialog.database.dispose()


def test_a_stopped_server_is_reported_with_what_to_do(qtbot, env):
    dialog = _dialog(qtbot, env)
    _server(dialog, "postgresql://invdesk@127.0.0.1:1/invdesk")

    _connect(qtbot, dialog)

    assert dialog.result() == 0 and dialog.database is None
    assert dialog.problem is not None and dialog.problem.kind == "unreachable"
    shown = dialog.error.text()
    assert "127.0.0.1:1 does not answer" in shown
    assert "Check that PostgreSQL is running" in shown
    assert not read_config(env_path(env))  # nothing saved after a failure


def env_path(env):
    from pathlib import Path

    return Path(env["INVDESK_CONFIG"])


def test_a_local_file_is_created_and_remembered(qtbot, env, tmp_path):
    dialog = _dialog(qtbot, env)
    dialog.path.setText(str(tmp_path / "shop.db"))

    _connect(qtbot, dialog)
    try:
        assert dialog.database is not None
        assert read_config(env_path(env)) == {"database": {"url": f"sqlite:///{tmp_path}/shop.db"}}
    finally:
        _close(dialog)


def test_a_database_from_a_newer_invdesk_is_refused(qtbot, env, tmp_path):
    db = Database.open(f"sqlite:///{tmp_path}/new.db")
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    db.dispose()
    dialog = _dialog(qtbot, env, initial_url=f"sqlite:///{tmp_path}/new.db")

    _connect(qtbot, dialog)

    assert dialog.problem is not None and dialog.problem.kind == "newer"
    assert "Install that version" in dialog.error.text()


@pytest.mark.postgres
def test_an_empty_server_database_offers_to_create_the_tables(qtbot, env, pg_database_factory):
    url = pg_database_factory()
    dialog = _dialog(qtbot, env)
    _server(dialog, url)

    _connect(qtbot, dialog)
    assert dialog.problem is not None and dialog.problem.kind == "empty"
    assert dialog.create_tables.isVisible()

    with qtbot.waitSignal(dialog.attempt_finished, timeout=20_000):
        dialog.create_tables.click()
    try:
        assert dialog.database is not None
        assert migrate.schema_state(dialog.database) == "current"
    finally:
        _close(dialog)


@pytest.mark.postgres
def test_an_older_schema_is_upgraded_from_the_dialog(qtbot, env, pg_database_factory):
    from alembic import command

    url = pg_database_factory()
    db = Database.open(url)
    config = migrate.alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    db.dispose()
    dialog = _dialog(qtbot, env)
    _server(dialog, url)

    _connect(qtbot, dialog)
    assert dialog.problem is not None and dialog.problem.kind == "behind"
    assert "invdesk --db URL --user ADMIN db upgrade" in dialog.error.text()
    assert dialog.upgrade.isVisible()

    with qtbot.waitSignal(dialog.attempt_finished, timeout=20_000):
        dialog.upgrade.click()  # no accounts yet: no login asked
    try:
        assert dialog.database is not None
        assert migrate.schema_state(dialog.database) == "current"
    finally:
        _close(dialog)


@pytest.mark.postgres
def test_an_unknown_database_name_is_explained(qtbot, env, pg_server_url):
    dialog = _dialog(qtbot, env)
    _server(dialog, pg_server_url)
    dialog.dbname.setText("no_such_database_here")

    _connect(qtbot, dialog)

    assert dialog.problem is not None and dialog.problem.kind == "no_database"
    assert "no database “no_such_database_here”" in dialog.error.text()


@pytest.mark.postgres
def test_the_password_goes_to_the_keyring_never_to_the_config_file(
    qtbot, env, pg_url, memory_keyring
):
    dialog = _dialog(qtbot, env)
    _server(dialog, pg_url)
    dialog.password.setText(SECRET)  # the test server trusts every password
    dialog.remember.setChecked(True)

    _connect(qtbot, dialog)
    try:
        assert dialog.database is not None
        saved_url = read_config(env_path(env))["database"]["url"]
        assert SECRET not in env_path(env).read_text(encoding="utf-8")
        assert saved_url == dialog.url and "@" in saved_url and ":" + SECRET not in saved_url
        assert list(memory_keyring.saved.values()) == [SECRET]
    finally:
        _close(dialog)

    again = _dialog(qtbot, env, initial_url=saved_url)
    assert again.password.text() == ""  # asked or taken from the keyring, never shown pre-filled


def test_a_postgres_address_is_built_without_a_password():
    assert postgres_url("db-server", 5432, "invdesk", "clerk") == (
        "postgresql://clerk@db-server:5432/invdesk"
    )
    assert postgres_url("::1", 5433, "shop", "a b", "require") == (
        "postgresql://a%20b@[::1]:5433/shop?sslmode=require"
    )


def test_the_dialog_renders_a_failed_connection_next_to_the_server_fields(qtbot, env, tmp_path):
    dialog = _dialog(qtbot, env)
    _server(dialog, "postgresql://invdesk@127.0.0.1:1/invdesk")
    _connect(qtbot, dialog)
    assert dialog.grab().save(str(tmp_path / "connection.png"))
    # The server fields are the ones in use, the error is on screen and the dialog stays open.
    assert dialog.server_box.isEnabled() and not dialog.local_box.isEnabled()
    assert dialog.error.isVisible() and "127.0.0.1" in dialog.error.text()
    assert dialog.isVisible() and dialog.database is None


def test_without_a_keyring_the_dialog_says_so_and_offers_no_remember(qtbot, env):
    from keyring.backends.fail import Keyring as NoKeyring

    from invdesk import credentials

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        dialog = ConnectionDialog(env=env)
        qtbot.addWidget(dialog)
    finally:
        keyring.set_keyring(previous)

    assert dialog.keyring_note.text() == credentials.NO_KEYRING
    assert not dialog.remember.isEnabled()
