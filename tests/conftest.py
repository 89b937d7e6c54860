"""Test configuration shared by every layer: headless Qt, the SQLite/PostgreSQL databases, and how
xdist spreads the tests over its workers."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Temporary files in memory when the machine has a RAM disk and TMPDIR names no other place:
# SQLite waits for the disk at every commit (synchronous = FULL, as in the app), which is most of
# the wall time of a test that stocks a shop on a file. Durability across a power cut is not
# what a test can check; every kill -9 test still kills a process, whose writes the kernel keeps.
RAM_DISK = Path("/dev/shm")
if "TMPDIR" not in os.environ and RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
    os.environ["TMPDIR"] = str(RAM_DISK)  # xdist workers and the tests' children inherit it
    tempfile.tempdir = None  # tempfile asks again

pytest_plugins = [
    "pytester",  # tests/test_ci_postgres.py runs a pytest session of its own
    "tests.fixtures.databases",
    "tests.fixtures.logins",
    "tests.fixtures.replica",
    "tests.fixtures.scram",
]

# Modules whose tests share a fixture that is costly to set up (a running server, a primary with
# its standby, a seeded database): all their tests go to one worker, so it is set up once per run
# rather than once per worker, and again whenever the worker comes back to the module. "kind":
# one unit per database kind, so the SQLite and the PostgreSQL halves can run side by side.
SHARED_SETUP = {
    "tests/server/test_api_access.py": "serve",  # the session's servers (tests/server/conftest)
    "tests/server/test_api_orders.py": "serve",
    "tests/server/test_api_stock.py": "serve",
    "tests/integration/test_read_replica.py": "module",
    "tests/integration/test_role_matrix.py": "kind",
    "tests/integration/test_bad_input.py": "kind",
    "tests/security/test_attacks.py": "module",
    "tests/security/test_own_password.py": "module",  # a PostgreSQL server checking passwords
    "tests/cli/test_restock_cli.py": "module",
    "tests/cli/test_entry_point.py": "module",
}
_KIND = re.compile(r"\b(sqlite|postgresql)\b")


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """Accounts' argon2id hashes at argon2's lowest cost in the tests: the same code, without a
    tenth of a second of hashing per account and login (hundreds in the suite). The app keeps
    argon2's recommended cost (`invdesk.services.catalog.users`)."""
    from argon2 import PasswordHasher

    from invdesk.services.catalog import users

    kept = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    users._hasher = kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run that passed gives back the memory its temporary files took on the RAM disk (the
    files of a failed run stay, as pytest keeps them, for a look)."""
    config = session.config
    factory = getattr(config, "_tmp_path_factory", None)
    if exitstatus != 0 or hasattr(config, "workerinput") or factory is None:
        return
    if config.option.basetemp is None and factory._basetemp is not None:
        basetemp = Path(factory._basetemp)
        if basetemp.is_relative_to(RAM_DISK.resolve()):
            shutil.rmtree(basetemp, ignore_errors=True)


def work_unit(nodeid: str) -> str | None:
    """The name of the unit of work a test belongs to, or None for a unit of its own."""
    module, _, rest = nodeid.partition("::")
    how = SHARED_SETUP.get(module)
    if how is None:
        return None
    if how == "module":
        return module
    kind = _KIND.search(rest.partition("[")[2])
    unit = "serve" if how == "serve" else module
    return f"{unit}[{kind.group(1)}]" if kind else unit


def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """`--dist loadgroup` with the units of SHARED_SETUP. (xdist's own xdist_group marks do not
    reach its scheduler with pytest 9.2: pytest-xdist issue 1386.) The largest units are handed
    out first, so the last minutes are not one worker running a big unit alone."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class SharedSetupScheduling(LoadGroupScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid) or str(super()._split_scope(nodeid))

    return SharedSetupScheduling(config, log)
