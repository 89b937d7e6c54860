"""Connection failures are named by kind, each with a way forward."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from invdesk.db.engine import translate
from invdesk.domain.errors import DatabaseUnavailable
from invdesk.services.system.connection import classify

URL = "postgresql://clerk@db-server:5432/shop"


class DriverError(Exception):
    def __init__(self, text: str, sqlstate: str | None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("text", "sqlstate", "kind", "hint"),
    [
        ('password authentication failed for user "clerk"', "28P01", "auth", "Check the password"),
        ("fe_sendauth: no password supplied", None, "auth", "asks for a password"),
        ('role "clerk" does not exist', "28000", "no_role", "has no user “clerk”"),
        ('database "shop" does not exist', "3D000", "no_database", "Correct the name"),
        ("server does not support SSL, but SSL was required", None, "tls", "TLS mode"),
        ("connection refused", None, "unreachable", "Check that PostgreSQL is running"),
        ("could not extend file: No space left on device", "53100", "disk_full", "disk at"),
        ("cannot execute INSERT in a read-only transaction", "25006", "read_only", "no changes"),
        ("the database system is starting up", "57P03", "restarting", "try again in a minute"),
    ],
)
def test_each_failure_gets_its_kind_and_hint(text, sqlstate, kind, hint):
    error = OperationalError("connect", {}, DriverError(text, sqlstate))

    problem = classify(error, URL)

    assert problem.kind == kind
    assert hint in problem.message
    assert problem.exit_code == 7


def test_no_two_causes_share_a_sentence():
    causes = [
        ('password authentication failed for user "clerk"', "28P01"),
        ('role "clerk" does not exist', "28000"),
        ('database "shop" does not exist', "3D000"),
        ("connection refused", None),
        ("could not extend file: No space left on device", "53100"),
        ("cannot execute INSERT in a read-only transaction", "25006"),
    ]
    messages = {
        classify(OperationalError("x", {}, DriverError(t, s)), URL).message for t, s in causes
    }

    assert len(messages) == len(causes)
    assert not [m for m in messages if "Check that" in m and "does not answer" not in m]


SQLITE_URL = "sqlite:////data/invdesk.db"


@pytest.mark.parametrize(
    ("text", "kind", "hint"),
    [
        ("database or disk is full", "disk_full", "The disk that holds the database file"),
        ("attempt to write a readonly database", "read_only", "may not write"),
        ("unable to open database file", "cannot_open", "cannot be opened"),
        ("file is not a database", "damaged", "is damaged (file is not a database)"),
        ("database disk image is malformed", "damaged", "restore the newest backup"),
    ],
)
def test_each_sqlite_file_problem_gets_its_own_sentence(text, kind, hint):
    error = OperationalError("x", {}, sqlite3.OperationalError(text))

    problem = classify(error, SQLITE_URL)

    assert problem.kind == kind
    assert hint in problem.message
    assert "/data/invdesk.db" in problem.message
    assert "server" not in problem.message
    assert problem.exit_code == (8 if kind == "damaged" else 7)


def test_a_statement_failing_on_a_full_disk_reads_the_same_as_at_connect():
    error = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    translated = translate(error, SQLITE_URL)

    assert isinstance(translated, DatabaseUnavailable)
    assert translated.message == classify(error, SQLITE_URL).message
