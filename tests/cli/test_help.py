"""--help lists every command a script can use, and each command explains itself."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from invdesk.cli.main import cli

TOP_LEVEL = {
    "db", "demo", "product", "warehouse", "receive", "issue", "transfer", "return", "adjust",
    "reserve", "commit", "release", "stock", "history", "verify",
}  # fmt: skip
GROUPS = {
    "db": {"upgrade"},
    "product": {"add", "list", "show", "edit"},
    "warehouse": {"add", "list"},
}
LEAVES = [[name] for name in sorted(TOP_LEVEL - set(GROUPS))] + [
    [group, name] for group, names in sorted(GROUPS.items()) for name in sorted(names)
]


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], obj=None)
    assert result.exit_code == 0, result.output
    return result.stdout


def _listed_commands(help_text: str) -> set[str]:
    section = help_text.split("Commands:", 1)[1]
    return {line.split()[0] for line in section.splitlines() if line.startswith("  ")}


def test_help_lists_every_command():
    assert _listed_commands(_help()) >= TOP_LEVEL


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_group_help_lists_its_sub_commands(group):
    assert _listed_commands(_help(group)) >= GROUPS[group]


@pytest.mark.parametrize("command", LEAVES, ids=" ".join)
def test_every_command_has_its_own_help(command):
    text = _help(*command)

    usage = text.splitlines()[0]
    assert usage.startswith("Usage: ")
    assert f" {' '.join(command)} " in usage
    assert len(text.splitlines()) > 3


def test_short_h_is_help_too():
    assert CliRunner().invoke(cli, ["-h"], obj=None).stdout == _help()


def test_version_is_printed():
    result = CliRunner().invoke(cli, ["--version"], obj=None)

    assert result.exit_code == 0
    assert result.stdout.startswith("invdesk, version ")
