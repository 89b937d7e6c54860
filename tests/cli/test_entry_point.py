"""The installed `invdesk` script and `python -m invdesk` run the same command line.

Each run starts a fresh interpreter (seconds of imports), so the runs start together, once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.conftest import Invdesk

INVDESK = Path(sys.executable).with_name("invdesk")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Start every subprocess at once; collect (returncode, stdout, stderr) per name."""
    folder = tmp_path_factory.mktemp("entry")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVDESK_")}
    commands = {
        "script": [str(INVDESK), "--db", f"sqlite:///{folder}/a.db", "warehouse", "add", "MAIN", "M"],
        "module": [sys.executable, "-m", "invdesk", "--db", f"sqlite:///{folder}/b.db", "issue",
                   "X", "MAIN", "abc"],
    }  # fmt: skip
    started = {
        name: subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for name, command in commands.items()
    }
    results = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = (process.returncode, stdout, stderr)
    return folder, results


def test_installed_script_runs_a_command_against_a_sqlite_file(runs):
    folder, results = runs

    assert results["script"] == (0, "Added warehouse MAIN (M).\n", "")
    saved = Invdesk(f"sqlite:///{folder}/a.db", CliRunner()).json("warehouse", "list")
    assert [w["code"] for w in saved] == ["MAIN"]


def test_python_dash_m_invdesk_reports_bad_input_as_one_line_with_exit_code_2(runs):
    _, results = runs

    assert results["module"] == (2, "", "Error: Quantity must be a whole number, not “abc”.\n")
