"""PostgreSQL tests skip with a reason locally without a server, and fail the run under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NO_SERVER = "postgresql://postgres@127.0.0.1:1/test"


def _pytest_with_pg_fixture(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run one test that needs the PostgreSQL server, with only our database fixtures loaded
    (in this process: -n 0, not the addopts' xdist workers, which take seconds to start)."""
    test = tmp_path / "test_needs_postgres.py"
    test.write_text("def test_needs_postgres(pg_server_url):\n    pass\n", encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(test), "-q", "-rs", "--noconftest", "-n", "0",
         "-p", "tests.fixtures.databases", "-p", "no:cacheprovider", "-p", "no:qt",
         "-p", "no:randomly"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_without_ci_an_unreachable_server_skips_with_the_reason(tmp_path):
    done = _pytest_with_pg_fixture(tmp_path, INVDESK_TEST_DATABASE_URL=NO_SERVER)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    assert "did not answer" in done.stdout


def test_under_ci_an_unreachable_server_fails_the_run(tmp_path):
    done = _pytest_with_pg_fixture(tmp_path, CI="true", INVDESK_TEST_DATABASE_URL=NO_SERVER)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "PostgreSQL is required in CI" in done.stdout
