"""API tokens for channels (web shops, POS): names, scopes, warehouse limits, and what they allow."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from invdesk.domain.errors import PermissionDenied, ValidationError
from invdesk.domain.security import Actor, Role

TOKEN_NAME_MAX = 32  # "token:" + the name must fit the ledger's 64-character user column
TOKEN_PREFIX = "token:"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Scope(enum.StrEnum):
    READ = "read"  # inventory and alerts
    ORDERS = "orders"  # place, fulfil, cancel and look up orders
    STOCK = "stock"  # replenish


class TokenRefused(PermissionDenied):
    """No token, an unknown one, or a revoked one (HTTP 401)."""


class RateLimited(PermissionDenied):
    """The token sent more requests than its rate allows (HTTP 429)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def clean_token_name(value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    if not text:
        raise ValidationError("Enter a name for the token (e.g. the shop's name).", field="name")
    if len(text) > TOKEN_NAME_MAX or not _NAME.match(text):
        raise ValidationError(
            f"A token name has at most {TOKEN_NAME_MAX} letters, digits and . _ - "
            "(no spaces), e.g. web-shop.",
            field="name",
        )
    return text


def parse_scopes(values: Iterable[object]) -> frozenset[Scope]:
    scopes = set()
    for value in values:
        try:
            scopes.add(Scope(str(value).strip().lower()))
        except ValueError:
            names = ", ".join(s.value for s in Scope)
            raise ValidationError(f"Unknown scope “{value}”: use {names}.", field="scope") from None
    if not scopes:
        raise ValidationError(
            "Give the token at least one scope (read, orders or stock).", field="scope"
        )
    return frozenset(scopes)


@dataclass(frozen=True)
class TokenGrant:
    """What one token may do: its scopes and, if limited, the warehouse codes it may see and touch."""

    name: str
    scopes: frozenset[Scope]
    warehouses: frozenset[str] | None  # None: every warehouse

    @property
    def actor(self) -> Actor:
        """Who the ledger and audit trail name for this token's requests."""
        return Actor(TOKEN_PREFIX + self.name, Role.CLERK)

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(
                f"Token {self.name} does not have the “{scope.value}” scope; an administrator "
                f"can add a token that has it (invdesk token add NAME --scope {scope.value}).",
            )

    def sees(self, warehouse: str) -> bool:
        return self.warehouses is None or warehouse.upper() in self.warehouses

    def require_warehouse(self, warehouse: str, *, field: str = "warehouse") -> None:
        """Refuse a request that names a warehouse outside the token's limits."""
        if not self.sees(warehouse):
            raise PermissionDenied(
                f"Token {self.name} may not use warehouse {warehouse.upper()}.", field=field
            )


@dataclass(frozen=True)
class TokenView:
    name: str
    scopes: tuple[Scope, ...]
    warehouses: tuple[str, ...]
    active: bool
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    last_four: str
