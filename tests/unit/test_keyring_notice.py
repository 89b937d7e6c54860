"""A PC without a keyring service is told once (remembered in the config folder), not at every command."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from invdesk import credentials

URL = "postgresql://clerk@db-server:5432/shop"


@pytest.fixture
def no_keyring(monkeypatch, tmp_path):
    monkeypatch.setenv("INVDESK_CONFIG", str(tmp_path / "config" / "config.toml"))
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield tmp_path / "config"
    keyring.set_keyring(previous)


def test_the_missing_keyring_is_said_once_on_this_pc(no_keyring, caplog):
    with caplog.at_level(logging.WARNING, logger="invdesk.credentials"):
        assert credentials.url_with_saved_password(URL) == URL
        assert credentials.url_with_saved_password(URL) == URL
        assert credentials.save_password(URL, "secret") is False

    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.startswith("This PC has no working system keyring")
    assert "said once on this PC" in warning
    assert (no_keyring / credentials.NOTICE_FILE).exists()


def test_the_connection_dialog_can_say_why_passwords_are_not_remembered(no_keyring):
    assert credentials.keyring_problem() == credentials.NO_KEYRING
