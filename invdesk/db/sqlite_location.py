"""Refuse SQLite files on network shares: their locking is unreliable and a ledger can be corrupted."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invdesk.domain.errors import DatabaseUnavailable

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "lustre",
        "gpfs",
        "virtiofs",
    }
)


def filesystem_type(path: Path, mounts_text: str) -> str | None:
    """The type of the filesystem holding `path`, from a /proc/mounts listing (longest mount point wins)."""
    best: tuple[int, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return None if best is None else best[1]


def is_network_path(path: Path, mounts_text: str | None = None) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(text)[0]
        drive_remote = 4
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return False
    return filesystem_type(path, mounts_text) in NETWORK_FILESYSTEMS


def check_local(path: Path, mounts_text: str | None = None) -> None:
    resolved = path.expanduser().resolve()
    if is_network_path(resolved, mounts_text):
        raise DatabaseUnavailable(
            f"The database file {resolved} is on a network share. SQLite cannot lock files safely "
            "there and stock could be corrupted. Keep the file on this PC's own disk, or let several "
            "PCs share a PostgreSQL server instead."
        )
