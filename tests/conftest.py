"""Test configuration shared by every layer: headless Qt, and the SQLite/PostgreSQL databases."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.logins",
    "tests.fixtures.replica",
    "tests.fixtures.scram",
]
