"""Every failure leaves as {"error": {"code", "message", "field"?}}; never a stack trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from invdesk.domain.errors import (
    Conflict,
    DatabaseUnavailable,
    DuplicateRequest,
    InsufficientStock,
    InvdeskError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from invdesk.domain.orders import OrderShort
from invdesk.domain.tokens import RateLimited, TokenRefused
from invdesk.server import metrics
from invdesk.services.channels.idempotency import KeyReused

log = logging.getLogger(__name__)
_MISSING = re.compile(r"missing required field `([^`]+)`")
_EXPECTED = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
# msgspec's names of JSON types, as a message says them.
_SAID = {
    "int": "a whole number",
    "str": "text",
    "float": "a number with a fraction",
    "bool": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}

# Most specific first: the first class an error is an instance of gives its status and code.
_KINDS: tuple[tuple[type[InvdeskError], int, str], ...] = (
    (TokenRefused, 401, "unauthorized"),
    (RateLimited, 429, "rate_limited"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (InsufficientStock, 409, "insufficient_stock"),
    (DuplicateRequest, 409, "duplicate_request"),
    (Conflict, 409, "conflict"),
    (KeyReused, 422, "idempotency_key_reused"),
    (ValidationError, 422, "invalid"),
    (DatabaseUnavailable, 503, "unavailable"),
)
# The services name inputs as the desktop's fields; the API's body calls them otherwise.
_API_FIELDS = {"product": "sku", "ttl": "hold_minutes"}


def describe(error: InvdeskError) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of a known failure."""
    status, code = 400, "bad_request"
    for kind, kind_status, kind_code in _KINDS:
        if isinstance(error, kind):
            status, code = kind_status, kind_code
            break
    body: dict[str, Any] = {"code": code, "message": error.message}
    if error.field:
        body["field"] = _API_FIELDS.get(error.field, error.field)
    if isinstance(error, OrderShort):
        body["lines"] = [
            {"sku": line.sku, "requested": line.requested, "available": line.available}
            for line in error.lines
        ]
        metrics.OVERSELL_REFUSALS.inc(len(error.lines))
    elif isinstance(error, InsufficientStock):
        metrics.OVERSELL_REFUSALS.inc()
    return status, {"error": body}


def wrong_type(path: str, detail: str) -> ValidationError | None:
    """A body value of the wrong JSON type ("qty": "5" or 1.5 or true for a whole number) as the
    422 any bad value gets, named by its own key (`qty` of `$.lines[0].qty`); None if `detail`
    (msgspec's message) says something else."""
    found = _EXPECTED.search(detail)
    if found is None:
        return None
    keys = [k for k in re.split(r"[.\[\]$]+", path) if k and not k.isdigit()]
    field = keys[-1] if keys else "body"
    expected = " or ".join(_SAID.get(k.strip(), k.strip()) for k in found.group(1).split("|"))
    got = _SAID.get(found.group(2), found.group(2))
    return ValidationError(f"“{field}” must be {expected}, not {got}.", field=field)


def headers_for(error: InvdeskError) -> dict[str, str]:
    if isinstance(error, RateLimited):
        return {"Retry-After": str(error.retry_after)}
    return {}


def on_known(_request: Request[Any, Any, Any], error: InvdeskError) -> Response[Any]:
    status, body = describe(error)
    return Response(body, status_code=status, headers=headers_for(error))


def on_bad_request(_request: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    """A body or query that does not parse: name the first field at fault."""
    problems = error.extra if isinstance(error.extra, list) else []
    first = problems[0] if problems and isinstance(problems[0], dict) else {}
    field = first.get("key")
    detail = str(first.get("message") or error.detail)
    if first.get("source") == "body" and field:
        invalid = wrong_type(str(field), detail)
        if invalid is not None:  # a value, not the request, is at fault: as any bad value
            return on_known(_request, invalid)
    missing = _MISSING.search(detail)
    if missing:
        field = missing.group(1)
        message = f"The request lacks “{field}”."
    else:
        message = f"“{field}”: {detail}." if field else f"{detail}."
    body: dict[str, Any] = {"code": "bad_request", "message": message}
    if field:
        body["field"] = field
    return Response({"error": body}, status_code=400)


def on_http(_request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    code = codes.get(error.status_code, "bad_request" if error.status_code < 500 else "internal")
    body = {"code": code, "message": str(error.detail)}
    return Response({"error": body}, status_code=error.status_code)


def on_bug(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """A bug: logged here with its trace; the caller learns only that it failed."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    body = {
        "code": "internal",
        "message": "The server could not complete this request; it was logged. Nothing was "
        "changed unless a retry with the same Idempotency-Key says otherwise.",
    }
    return Response({"error": body}, status_code=500)


HANDLERS: dict[type[Exception] | int, Any] = {
    # Routing failures (no such path or method) are matched by status before any handler runs.
    404: on_http,
    405: on_http,
    InvdeskError: on_known,
    ValidationException: on_bad_request,
    HTTPException: on_http,
    Exception: on_bug,
}
