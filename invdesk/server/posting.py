"""POST handling shared by every endpoint: Idempotency-Key, the first answer kept, errors as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Response

from invdesk.domain.errors import DatabaseUnavailable, InvdeskError
from invdesk.domain.fingerprint import fingerprint
from invdesk.domain.tokens import TokenGrant
from invdesk.server import errors
from invdesk.server.state import ServerState
from invdesk.services.channels import idempotency

# What an endpoint does once the key is settled: (status, answer), given the stock request id
# that the key implies (None without a key).
Work = Callable[[str | None], tuple[int, Any]]
REPLAYED = "Idempotent-Replayed"


def _json(status: int, content: bytes, **headers: str) -> Response[bytes]:
    return Response(content, status_code=status, media_type="application/json", headers=headers)


def answer(
    state: ServerState,
    grant: TokenGrant,
    key: str | None,
    request: tuple[str, Any],
    work: Work,
) -> Response[bytes]:
    """Run `work` once per Idempotency-Key: a repeat with the same `request` (path, body) gets the
    first answer (also a refusal), another request with the same key is refused with 422."""
    if key is None:
        status, body = _run(work, None)
        return _json(status, msgspec.json.encode(body))
    clean = idempotency.clean_key(key)
    digest = fingerprint("api", msgspec.to_builtins(request))
    first = idempotency.begin(state.db, grant, clean, digest)
    if first is not None:
        return _json(first.status, first.body.encode(), **{REPLAYED: "true"})
    try:
        status, body = _run(work, idempotency.request_id(grant, clean))
    except BaseException:
        # Unavailable or a bug: nothing is known to have happened; a retry may run it again.
        idempotency.release(state.db, grant, clean)
        raise
    content = msgspec.json.encode(body)
    idempotency.finish(state.db, grant, clean, idempotency.Answer(status, content.decode()))
    return _json(status, content)


def _run(work: Work, request_id: str | None) -> tuple[int, Any]:
    """The endpoint's answer; a known refusal is an answer too (kept for the key like a success)."""
    try:
        return work(request_id)
    except DatabaseUnavailable:
        raise
    except InvdeskError as error:
        return errors.describe(error)
