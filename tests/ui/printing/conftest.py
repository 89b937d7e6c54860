"""Label printing tests keep their printer settings in the test's own config file."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("INVDESK_CONFIG", str(path))
    return path
