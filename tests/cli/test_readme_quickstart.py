"""The README's command-line quickstart, parsed from README.md and run as written on a fresh database."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from tests.cli.conftest import Invdesk

README = Path(__file__).resolve().parents[2] / "README.md"
_ASSIGN = re.compile(r"^(\w+)=\$\((.*)\)$")


def quickstart_commands() -> list[str]:
    """The shell lines of the Quickstart section's block that runs `invdesk` commands."""
    section = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    block = next(b for b in blocks if "invdesk product add" in b)
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def run_line(invdesk: Invdesk, line: str, variables: dict[str, str]) -> None:
    """One line the way a shell runs it: `VAR=$(invdesk ...)` captures the output, "$VAR" expands."""
    line = line.split("  #")[0].strip()
    target = None
    assigned = _ASSIGN.match(line)
    if assigned:
        target, line = assigned.groups()
    for name, value in variables.items():
        line = line.replace(f"${name}", value)
    words = shlex.split(line, comments=True)
    assert words[0] == "invdesk", line
    result = invdesk(*words[1:])
    assert result.exit_code == 0, (line, result.stdout, result.stderr, result.exception)
    if target:
        variables[target] = result.stdout.strip()


def test_the_readme_quickstart_runs_as_written_on_a_fresh_database(tmp_path):
    invdesk = Invdesk(f"sqlite:///{tmp_path}/fresh.db", CliRunner())
    commands = quickstart_commands()
    assert any("--category" in c for c in commands) and len(commands) >= 10

    variables: dict[str, str] = {}
    for line in commands:
        run_line(invdesk, line, variables)

    product = invdesk.json("product", "show", "CAB-001")
    assert (product["category"], product["description"]) == ("Cables", "USB-C to USB-C, 60 W")
    levels = invdesk.levels()
    # 120 received, 2 issued, 24 to the shop, counted 93 in MAIN, 5 held then committed.
    assert levels[("CAB-001", "MAIN")] == (88, 0, 88)
    assert levels[("CAB-001", "SHOP")] == (24, 0, 24)
