"""The company's own details, printed at the head of purchase orders and other documents."""

from __future__ import annotations

from dataclasses import dataclass

from invdesk.domain.catalog import ADDRESS_MAX, NAME_MAX
from invdesk.domain.purchasing import PHONE_MAX, email
from invdesk.domain.validation import clean_text

TAX_ID_MAX = 50


@dataclass(frozen=True)
class CompanyView:
    """Empty (name None) until an admin sets it; documents then head with the warehouse."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    tax_id: str | None = None
    version: int = 0


@dataclass(frozen=True)
class CompanyDetails:
    """New details; a field left None keeps its value, "" clears it."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    tax_id: str | None = None
    expected_version: int | None = None


def checked(current: CompanyView, d: CompanyDetails) -> CompanyView:
    """The details after applying `d` to `current`, each field checked."""

    def pick(new: str | None, old: str | None, label: str, key: str, max_len: int) -> str | None:
        if new is None:
            return old
        return clean_text(new, label=label, field=key, max_len=max_len, required=False)

    return CompanyView(
        name=pick(d.name, current.name, "Company name", "name", NAME_MAX),
        address=pick(d.address, current.address, "Address", "address", ADDRESS_MAX),
        phone=pick(d.phone, current.phone, "Phone", "phone", PHONE_MAX),
        email=current.email if d.email is None else email(d.email, field="email"),
        tax_id=pick(d.tax_id, current.tax_id, "Tax id", "tax_id", TAX_ID_MAX),
        version=current.version,
    )
