"""A SQLite file on a network share is refused: its locking is unreliable and could corrupt stock."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from invdesk.db import sqlite_location
from invdesk.db.engine import Database, make_engine
from invdesk.db.sqlite_location import check_local, filesystem_type, is_network_path
from invdesk.domain.errors import DatabaseUnavailable

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
fileserver:/export/shop /mnt/shop nfs4 rw,relatime,vers=4.2 0 0
//nas/stock /mnt/nas cifs rw,vers=3.0 0 0
/dev/sdb1 /mnt/nas/local-cache ext4 rw 0 0
//nas/my\\040docs /mnt/my\\040docs cifs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/ann/invdesk.db", "ext4"),
        ("/", "ext4"),
        ("/mnt/shop/invdesk.db", "nfs4"),
        ("/mnt/shop", "nfs4"),
        ("/mnt/nas/stock/invdesk.db", "cifs"),
        ("/mnt/nas/local-cache/invdesk.db", "ext4"),  # the longest mount point wins
        ("/mnt/shopfront/invdesk.db", "ext4"),  # a name prefix is not a parent directory
        ("/mnt/my docs/invdesk.db", "cifs"),  # /proc/mounts writes a space as \040
    ],
)
def test_filesystem_type_is_the_one_of_the_longest_enclosing_mount(path, expected):
    assert filesystem_type(Path(path), MOUNTS) == expected


def test_filesystem_type_is_unknown_without_an_enclosing_mount():
    assert filesystem_type(Path("/data/x.db"), "garbage\n/dev/sdc1 /srv ext4 rw 0 0\n") is None


@pytest.mark.parametrize(
    "path", ["/mnt/shop/invdesk.db", "/mnt/nas/stock/invdesk.db", "/mnt/my docs/invdesk.db"]
)
def test_paths_on_nfs_and_cifs_mounts_are_network_paths(path):
    assert is_network_path(Path(path), MOUNTS)


@pytest.mark.parametrize("path", ["/", "/home/ann/invdesk.db", "/mnt/nas/local-cache/x.db"])
def test_paths_on_local_disks_are_not_network_paths(path):
    assert not is_network_path(Path(path), MOUNTS)


@pytest.mark.parametrize("path", [r"\\server\share\x.db", "//server/share/x.db"])
def test_unc_paths_are_network_paths_whatever_the_mounts_say(path):
    assert is_network_path(Path(path), MOUNTS)
    assert is_network_path(PureWindowsPath(path), "")  # type: ignore[arg-type]


def test_check_local_refuses_a_file_on_a_network_mount_and_says_why(tmp_path):
    mounts = f"/dev/sda1 / ext4 rw 0 0\nsrv:/share {tmp_path.resolve()} nfs4 rw 0 0\n"

    with pytest.raises(DatabaseUnavailable) as caught:
        check_local(tmp_path / "invdesk.db", mounts)

    assert "network share" in caught.value.message
    assert "PostgreSQL" in caught.value.message
    assert caught.value.exit_code == 7


def test_check_local_accepts_a_file_on_a_local_disk(tmp_path):
    check_local(tmp_path / "invdesk.db", "/dev/sda1 / ext4 rw 0 0\n")


@pytest.fixture
def everything_is_a_network_share(monkeypatch):
    monkeypatch.setattr(sqlite_location, "is_network_path", lambda path, mounts=None: True)


def test_make_engine_refuses_a_sqlite_file_on_a_network_share(
    tmp_path, everything_is_a_network_share
):
    folder = tmp_path / "share"

    with pytest.raises(DatabaseUnavailable, match="network share"):
        make_engine(f"sqlite:///{folder}/invdesk.db")

    assert not folder.exists()  # refused before anything was created there


def test_database_open_refuses_an_existing_sqlite_file_on_a_network_share(
    tmp_path, everything_is_a_network_share
):
    path = tmp_path / "invdesk.db"
    path.touch()

    with pytest.raises(DatabaseUnavailable, match="network share"):
        Database.open(f"sqlite:///{path}")


def test_in_memory_sqlite_and_postgresql_urls_are_not_checked(everything_is_a_network_share):
    make_engine("sqlite://").dispose()
    make_engine("postgresql://invdesk@db-server/invdesk").dispose()


def test_an_unsupported_database_is_refused_with_a_hint():
    with pytest.raises(DatabaseUnavailable, match="use a sqlite:/// file or a postgresql://"):
        make_engine("mysql://root@localhost/shop")
