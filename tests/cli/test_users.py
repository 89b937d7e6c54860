"""The command line with accounts: bootstrap, login, roles, audit, backups."""

from __future__ import annotations

import json

import pytest

from invdesk.cli.main import cli
from tests.cli.conftest import assert_one_line_error

BOSS_PW = "boss password 1"
ANN_PW = "ann password 1"


@pytest.fixture
def with_users(invdesk):
    """A database with an admin (boss) and a clerk (ann), made through the CLI."""
    result = invdesk(
        "user", "add", "boss", "--role", "admin", env={"INVDESK_NEW_PASSWORD": BOSS_PW}
    )
    assert result.exit_code == 0, result.stderr
    as_boss = {"INVDESK_USER": "boss", "INVDESK_PASSWORD": BOSS_PW}
    result = invdesk(
        "user", "add", "ann", "--role", "clerk", env={**as_boss, "INVDESK_NEW_PASSWORD": ANN_PW}
    )
    assert result.exit_code == 0, result.stderr
    return invdesk


def as_user(name, password):
    return {"INVDESK_USER": name, "INVDESK_PASSWORD": password}


def test_the_first_user_is_added_without_login_and_must_be_an_admin(invdesk):
    refused = invdesk("user", "add", "ann", "--role", "clerk", env={"INVDESK_NEW_PASSWORD": ANN_PW})
    assert_one_line_error(refused, 2)
    assert "first account must be an admin" in refused.stderr

    added = invdesk("user", "add", "boss", "--role", "admin", env={"INVDESK_NEW_PASSWORD": BOSS_PW})
    assert added.exit_code == 0
    assert added.stdout == "Added boss (admin).\n"


def test_the_new_password_is_asked_twice_when_not_in_the_environment(invdesk):
    result = invdesk.runner.invoke(
        cli,
        ["--db", invdesk.url, "user", "add", "boss", "--role", "admin"],
        input=f"{BOSS_PW}\n{BOSS_PW}\n",
        env={"INVDESK_NEW_PASSWORD": None},
    )
    assert result.exit_code == 0, result.output
    assert BOSS_PW not in result.output


def test_once_users_exist_every_command_needs_a_login(with_users):
    for command in (["stock"], ["product", "list"], ["warehouse", "list"], ["audit"]):
        result = with_users(*command, env={"INVDESK_USER": None})
        line = assert_one_line_error(result, 6)
        assert "log in with --user NAME" in line


def test_a_wrong_password_exits_6(with_users):
    result = with_users("stock", env=as_user("ann", "not her password"))
    assert assert_one_line_error(result, 6) == "Error: Wrong user name or password."


def test_the_user_flag_reads_the_password_from_a_prompt(with_users):
    result = with_users.runner.invoke(
        cli,
        ["--db", with_users.url, "--user", "ann", "stock"],
        input=f"{ANN_PW}\n",
        env={"INVDESK_PASSWORD": None, "INVDESK_USER": None},
    )
    assert result.exit_code == 0, result.output


def test_a_clerk_moves_stock_but_cannot_edit_products_or_see_the_audit(with_users):
    boss, ann = as_user("boss", BOSS_PW), as_user("ann", ANN_PW)
    assert with_users("warehouse", "add", "MAIN", "Main", env=boss).exit_code == 0
    assert (
        with_users("product", "add", "P-1", "Thing", "--category", "Tools", env=boss).exit_code == 0
    )
    assert with_users("receive", "P-1", "MAIN", "5", env=ann).exit_code == 0

    refused = with_users("product", "edit", "P-1", "--name", "Renamed", env=ann)
    assert "ann (clerk) is not allowed" in assert_one_line_error(refused, 6)
    assert_one_line_error(with_users("audit", env=ann), 6)
    assert_one_line_error(with_users("user", "list", env=ann), 6)


def test_audit_shows_edits_and_stock_moves_by_user(with_users):
    boss, ann = as_user("boss", BOSS_PW), as_user("ann", ANN_PW)
    with_users("warehouse", "add", "MAIN", "Main", env=boss)
    with_users("product", "add", "P-1", "Thing", "--category", "Tools", env=boss)
    with_users("product", "edit", "P-1", "--name", "Better thing", env=boss)
    with_users("receive", "P-1", "MAIN", "5", "--ref", "PO-9", env=ann)

    rows = json.loads(with_users("audit", "--json", env=boss).stdout)
    seen = [(r["user"], r["action"], r["entity"], r["key"]) for r in rows]
    assert seen[0] == ("ann", "receive", "product", "P-1")
    assert ("boss", "edit", "product", "P-1") in seen
    assert ("boss", "create", "warehouse", "MAIN") in seen
    assert ("boss", "create", "user", "ann") in seen
    edit = next(r for r in rows if r["action"] == "edit")
    assert edit["details"] == {"name": ["Thing", "Better thing"]}  # an object, not a string
    assert rows[0]["details"] == {"change": "+5 in MAIN (PO-9)"}

    only_ann = json.loads(with_users("audit", "--user", "ann", "--json", env=boss).stdout)
    assert {r["user"] for r in only_ann} == {"ann"}
    future = with_users("audit", "--since", "2999-01-01", env=boss)
    assert future.stdout == "Nothing recorded for this selection.\n"


def test_users_are_listed_and_deactivated_by_an_admin(with_users):
    boss = as_user("boss", BOSS_PW)
    assert with_users("user", "deactivate", "ann", env=boss).exit_code == 0
    listed = json.loads(with_users("user", "list", "--json", env=boss).stdout)
    assert [(u["username"], u["role"], u["active"]) for u in listed] == [
        ("ann", "clerk", False),
        ("boss", "admin", True),
    ]
    assert_one_line_error(with_users("stock", env=as_user("ann", ANN_PW)), 6)


def test_a_clerk_changes_her_own_password(with_users):
    ann = as_user("ann", ANN_PW)
    result = with_users(
        "user", "passwd", "ann", env={**ann, "INVDESK_NEW_PASSWORD": "fresh pass 9"}
    )
    assert result.exit_code == 0, result.stderr
    assert with_users("stock", env=as_user("ann", "fresh pass 9")).exit_code == 0


def test_backup_and_restore_round_trip(stocked, tmp_path):
    backup_file = tmp_path / "copy.db"
    before = stocked.levels()
    assert stocked("db", "backup", str(backup_file)).exit_code == 0
    stocked.ok("issue", "CAB-001", "MAIN", "5")
    assert stocked.levels() != before

    refused = stocked.runner.invoke(
        cli, ["--db", stocked.url, "db", "restore", str(backup_file)], input="n\n"
    )
    assert refused.exit_code == 1  # click.Abort
    assert stocked.levels() != before
    restored = stocked("db", "restore", str(backup_file), "--yes")
    assert restored.exit_code == 0, restored.stderr
    assert stocked.levels() == before
    assert stocked.ok("verify").exit_code == 0


def test_backup_refuses_to_overwrite_a_file(stocked, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    assert_one_line_error(stocked("db", "backup", str(target)), 5)
    assert target.read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(stocked, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    line = assert_one_line_error(stocked("db", "restore", str(junk), "--yes"), 2)
    assert "not an intact invdesk database" in line


def test_no_password_is_in_the_database_files_or_the_config(with_users, tmp_path):
    with_users("stock", env=as_user("ann", "a wrong guess 1"))  # a failed login leaves no trace
    with_users("stock", env=as_user("ann", ANN_PW))
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert any(p.name == "x.db" for p in files)
    blob = b"".join(p.read_bytes() for p in files)
    for secret in (BOSS_PW, ANN_PW, "a wrong guess 1"):
        assert secret.encode() not in blob
