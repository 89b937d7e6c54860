"""Running `invdesk` in-process with click's CliRunner, on fresh or pre-stocked SQLite files."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from invdesk.cli.main import cli

# The acceptance script: two warehouses, two products (one with a unit and a case barcode),
# receipts (one by case barcode), an issue by unit barcode and a transfer.
SCRIPT: list[list[str]] = [
    ["warehouse", "add", "main", "Main warehouse", "--address", "1 Dock Road"],
    ["warehouse", "add", "SHOP", "Shop"],
    ["product", "add", "CAB-001", "USB-C cable 2 m", "--category", "Electronics",
     "--price", "9.90", "--cost", "3.10",
     "--barcode", "4006381333931", "--barcode", "14006381333938:12"],
    ["product", "add", "TAPE-01", "Packing tape", "--category", "Office",
     "--barcode", "036000291452"],
    ["receive", "CAB-001", "MAIN", "120", "--cost", "3.05", "--ref", "PO-1042"],
    ["receive", "14006381333938", "MAIN", "2"],  # two cases of 12
    ["issue", "4006381333931", "MAIN", "2", "--ref", "ORDER-77"],
    ["transfer", "CAB-001", "MAIN", "SHOP", "24"],
    ["receive", "TAPE-01", "shop", "10"],
    ["issue", "TAPE-01", "SHOP", "3"],
]  # fmt: skip

# (on_hand, reserved, available) per (sku, warehouse) after SCRIPT.
SCRIPT_STOCK = {
    ("CAB-001", "MAIN"): (118, 0, 118),
    ("CAB-001", "SHOP"): (24, 0, 24),
    ("TAPE-01", "SHOP"): (7, 0, 7),
}
SCRIPT_LEDGER_ROWS = 7  # three receipts, two issues, a transfer (an out row and an in row)


@dataclass
class Invdesk:
    """`invdesk --db URL ...` run in this process; `ok` and `json` insist on exit code 0."""

    url: str
    runner: CliRunner

    def __call__(self, *args: str, env: dict[str, str | None] | None = None) -> Result:
        return self.runner.invoke(cli, ["--db", self.url, *args], obj=None, env=env)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json").stdout)

    def levels(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        return {
            (r["sku"], r["warehouse"]): (r["on_hand"], r["reserved"], r["available"])
            for r in self.json("stock")
        }

    def snapshot(self, *, catalog: bool = False) -> dict[str, Any]:
        """What a refused stock command (or, with catalog=True, catalog edit) must leave as it was."""
        if catalog:
            return {
                "products": self.json("product", "list", "--inactive"),
                "warehouses": self.json("warehouse", "list"),
            }
        return {"stock": self.json("stock", "--all"), "history": self.json("history")}

    def run_script(self) -> None:
        for command in SCRIPT:
            self.ok(*command)


def assert_one_line_error(result: Result, exit_code: int) -> str:
    """The CLI's error contract: the exit code, nothing on stdout, one `Error: ` line on stderr."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def invdesk(tmp_path: Path) -> Invdesk:
    """invdesk on a SQLite file that does not exist yet (the CLI creates and migrates it)."""
    return Invdesk(sqlite_url(tmp_path / "x.db"), CliRunner())


@dataclass(frozen=True)
class Template:
    folder: Path
    snapshot: dict[str, Any]
    catalog: dict[str, Any]


@pytest.fixture(scope="session")
def scripted_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("scripted")
    invdesk = Invdesk(sqlite_url(folder / "x.db"), CliRunner())
    invdesk.run_script()
    return Template(folder, invdesk.snapshot(), invdesk.snapshot(catalog=True))


@pytest.fixture
def stocked(scripted_template: Template, tmp_path: Path) -> Invdesk:
    """invdesk on a copy of a SQLite file on which SCRIPT has run."""
    for file in scripted_template.folder.iterdir():
        shutil.copy2(file, tmp_path / file.name)
    return Invdesk(sqlite_url(tmp_path / "x.db"), CliRunner())


@pytest.fixture
def after_script(scripted_template: Template) -> dict[str, Any]:
    """`Invdesk.snapshot()` of the database right after SCRIPT (what `stocked` starts from)."""
    return scripted_template.snapshot


@pytest.fixture
def catalog_after_script(scripted_template: Template) -> dict[str, Any]:
    """`Invdesk.snapshot(catalog=True)` right after SCRIPT."""
    return scripted_template.catalog
