"""The canonical text of a ledger or audit row, and the hash chain of seals built over it.

One encoding for both databases: SQLite seals are computed here, PostgreSQL seals by the owner's
function `invdesk_seal()` (migration 0007), and `verify` recomputes both here. A row is its fields
in table order, joined by TAB, ended by a newline: integers in decimal, times as integer
microseconds since 1970-01-01 UTC, NULL as \\N, text with backslash, TAB and newline escaped as
\\\\, \\t and \\n (so no two different rows share a text). A seal's hash is the SHA-256 (hex) of the
previous seal's hash, a newline, then the texts of every row it covers, in id order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

LEDGER = "ledger"
AUDIT = "audit"
TRAILS = (LEDGER, AUDIT)
# The first seal of a trail chains onto this.
GENESIS = "0" * 64
# A seal covers at most this many rows, so the PostgreSQL function never builds a text of more
# than a few tens of megabytes; a longer backlog becomes several seals.
MAX_ROWS_PER_SEAL = 100_000

# Field order of each trail's rows, as hashed (the table's columns; unit_cost as stored minor units).
LEDGER_FIELDS = (
    "id",
    "kind",
    "product_id",
    "warehouse_id",
    "qty",
    "reserved_delta",
    "units",
    "balance_after",
    "unit_cost",
    "reference",
    "reason",
    "user",
    "at",
    "request_id",
    "transfer_id",
    "reservation_id",
    # Where and which (issue 13): in a row's text only when one is set, so rows sealed before
    # them keep their text (LEDGER_OPTIONAL_TAIL).
    "location_id",
    "lot_id",
)
LEDGER_OPTIONAL_TAIL = 2
AUDIT_FIELDS = ("id", "at", "user", "action", "entity", "entity_key", "details")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NULL = "\\N"


def _text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return value


def _time(value: datetime) -> str:
    at = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return str((at - _EPOCH) // _MICROSECOND)


def _refuse(value: object) -> str:
    raise TypeError(f"no canonical text for {type(value).__name__}")


# By exact type, which is also what keeps a bool (an int subclass) out.
_ENCODE: dict[type, Callable[[Any], str]] = {
    int: str,
    str: _text,
    type(None): lambda _: _NULL,
    datetime: _time,
}


def row_text(values: Sequence[object]) -> bytes:
    """One row's canonical text (UTF-8, newline-terminated)."""
    encode = _ENCODE.get
    return ("\t".join([encode(type(v), _refuse)(v) for v in values]) + "\n").encode()


class SealHasher:
    """Feeds rows one at a time (memory stays flat however many rows a seal covers).

    `optional_tail`: that many last fields are left out of a row's text when all are NULL."""

    def __init__(self, prev_hash: str, optional_tail: int = 0) -> None:
        self._sha = hashlib.sha256(prev_hash.encode() + b"\n")
        self.rows = 0
        self._tail = optional_tail

    def add(self, values: Sequence[object]) -> None:
        tail = self._tail
        if tail and all(v is None for v in values[-tail:]):
            values = values[:-tail]
        self._sha.update(row_text(values))
        self.rows += 1

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def hasher_for(trail: str, prev_hash: str) -> SealHasher:
    """A hasher for a trail's rows (the ledger's where-and-which fields are its optional tail)."""
    return SealHasher(prev_hash, LEDGER_OPTIONAL_TAIL if trail == LEDGER else 0)


@dataclass(frozen=True)
class SealView:
    """One seal: rows first_id..last_id of a trail (row_count of them), chained onto prev_hash."""

    trail: str
    id: int
    first_id: int
    last_id: int
    row_count: int
    prev_hash: str
    hash: str
    sealed_at: datetime
