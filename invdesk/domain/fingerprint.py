"""A stable digest of what an operation asks for, to tell a true retry from a reused id or key."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What json.dumps(..., sort_keys=True, default=str, separators=(",", ":")) builds on every call.
_ENCODER = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":"))


def fingerprint(kind: str, payload: Any) -> str:
    """The SHA-256 of `kind` and `payload` as canonical JSON (keys sorted, no spaces)."""
    text = _ENCODER.encode([kind, payload])
    return hashlib.sha256(text.encode()).hexdigest()
