"""Stock documents saved on this PC as they are scanned, so a crash or power cut loses none.

Each open document is one small JSON file in the user data dir (`drafts/<request id>.json`),
rewritten atomically (a temporary file, flushed to disk, renamed over the old one) after every
change and removed once the document is posted or discarded. At the next start the window
offers the drafts of the same user on the same database again; the draft keeps the document's
request id, so a post that did reach the database before the crash applies once.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from invdesk.config import APP_NAME

ENV_DATA_DIR = "INVDESK_DATA_DIR"
"""Overrides the user data dir (tests, a portable install)."""


def drafts_dir() -> Path:
    base = os.environ.get(ENV_DATA_DIR)
    root = Path(base) if base else platformdirs.user_data_path(APP_NAME, appauthor=False)
    return root / "drafts"


@dataclass(frozen=True)
class Draft:
    """One unposted document: which dialog, its header fields and its lines as typed."""

    kind: str
    request_id: str
    database: str
    user: str
    header: dict[str, Any] = field(default_factory=dict)
    lines: list[dict[str, str]] = field(default_factory=list)
    saved_at: str = ""

    @property
    def units(self) -> int:
        total = 0
        for line in self.lines:
            qty = line.get("qty", "")
            total += int(qty) * int(line.get("pack", "1") or 1) if qty.isdigit() else 0
        return total

    def describe(self) -> str:
        """E.g. 'A receipt with 14 lines (66 units), saved at 00:31 UTC on 2026-12-07'."""
        count = len(self.lines)
        saved = f", saved at {self.saved_at[11:16]} UTC on {self.saved_at[:10]}"
        return (
            f"{self.kind_title()} with {count} line{'s' if count != 1 else ''} "
            f"({self.units:,} units){saved if len(self.saved_at) >= 16 else ''}"
        )

    def kind_title(self) -> str:
        return {
            "ReceiveDialog": "A receipt",
            "IssueDialog": "An issue",
            "TransferDialog": "A transfer",
            "ReturnDialog": "A return",
            "MoveDialog": "A move",
        }.get(self.kind, "A stock document")


class DraftStore:
    """The drafts folder of this PC and user account."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or drafts_dir()

    def path(self, request_id: str) -> Path:
        return self.directory / f"{request_id}.json"

    def save(self, draft: Draft) -> None:
        """Write the draft so that a crash at any moment leaves the old or the new one whole."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamped = {**draft.__dict__, "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
        data = json.dumps(stamped, ensure_ascii=False).encode("utf-8")
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path(draft.request_id))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _sync_directory(self.directory)

    def remove(self, request_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(request_id).unlink()

    def load(self, database: str, user: str) -> list[Draft]:
        """This user's drafts on this database, oldest first; unreadable files are skipped."""
        found: list[Draft] = []
        if not self.directory.is_dir():
            return found
        for path in sorted(self.directory.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                draft = Draft(**raw)
            except (OSError, ValueError, TypeError):
                continue
            if draft.database == database and draft.user == user:
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at)


def _sync_directory(directory: Path) -> None:
    """The rename itself reaches the disk (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
