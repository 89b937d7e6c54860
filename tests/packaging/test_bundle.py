"""The PyInstaller bundle runs: --version, then packaging/smoke.sh (a database, an account, a list).

Slow and opt-in: runs when dist/invdesk exists and INVDESK_TEST_BUNDLE=1 (build it first with
packaging/build.sh). CI: `packaging/build.sh` builds and runs the same smoke script.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / "dist" / "invdesk" / ("invdesk.exe" if os.name == "nt" else "invdesk")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("INVDESK_TEST_BUNDLE") != "1" or not EXE.exists(),
        reason="set INVDESK_TEST_BUNDLE=1 after packaging/build.sh to test the bundle",
    ),
]


def test_the_bundle_reports_its_version():
    result = subprocess.run([str(EXE), "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout.startswith("invdesk, version ")


def test_the_bundle_passes_the_smoke_script():
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "smoke.sh"), str(EXE)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: OK" in result.stdout
