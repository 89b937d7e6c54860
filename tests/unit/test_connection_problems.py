"""Connection failures are named by kind, each with a way forward."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from invdesk.services.connection import classify

URL = "postgresql://clerk@db-server:5432/shop"


class DriverError(Exception):
    def __init__(self, text: str, sqlstate: str | None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("text", "sqlstate", "kind", "hint"),
    [
        ('password authentication failed for user "clerk"', "28P01", "auth", "Check the user name"),
        ("fe_sendauth: no password supplied", None, "auth", "password"),
        ('database "shop" does not exist', "3D000", "no_database", "Correct the name"),
        ("server does not support SSL, but SSL was required", None, "tls", "TLS mode"),
        ("connection refused", None, "unreachable", "Check that PostgreSQL is running"),
    ],
)
def test_each_failure_gets_its_kind_and_hint(text, sqlstate, kind, hint):
    error = OperationalError("connect", {}, DriverError(text, sqlstate))

    problem = classify(error, URL)

    assert problem.kind == kind
    assert hint in problem.message
    assert problem.exit_code == 7
