"""PostgreSQL tests skip with a reason locally without a server, and fail the run under CI=true."""

from __future__ import annotations

import pytest

NO_SERVER = "postgresql://postgres@127.0.0.1:1/test"


def _pytest_with_pg_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, **env: str
) -> pytest.RunResult:
    """Run one test that needs the PostgreSQL server, with only our database fixtures loaded: a
    whole pytest session, in this process (a new interpreter took 5-10 s to start)."""
    pytester.makepyfile(test_needs_postgres="def test_needs_postgres(pg_server_url):\n    pass\n")
    monkeypatch.delenv("CI", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return pytester.runpytest_inprocess(
        "-q", "-rs", "--noconftest", "-n", "0", "-p", "tests.fixtures.databases",
        "-p", "no:cacheprovider", "-p", "no:qt", "-p", "no:randomly",
    )  # fmt: skip


def test_without_ci_an_unreachable_server_skips_with_the_reason(pytester, monkeypatch):
    done = _pytest_with_pg_fixture(pytester, monkeypatch, INVDESK_TEST_DATABASE_URL=NO_SERVER)

    assert done.ret == 0, done.stdout.str()
    assert "1 skipped" in done.stdout.str()
    assert "did not answer" in done.stdout.str()


def test_under_ci_an_unreachable_server_fails_the_run(pytester, monkeypatch):
    done = _pytest_with_pg_fixture(
        pytester, monkeypatch, CI="true", INVDESK_TEST_DATABASE_URL=NO_SERVER
    )

    assert done.ret == 1, done.stdout.str()
    assert "PostgreSQL is required in CI" in done.stdout.str()
