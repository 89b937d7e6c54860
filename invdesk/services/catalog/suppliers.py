"""TEMPORARY STUB (pogui branch): the lead's supplier services land on main; removed at merge."""

from __future__ import annotations

from invdesk.db.engine import Database
from invdesk.domain.purchasing import LinkSupplier, SupplierDetails, SupplierLinkView, SupplierView
from invdesk.domain.security import Actor


def create_supplier(db: Database, details: SupplierDetails, actor: Actor) -> SupplierView:
    raise NotImplementedError


def edit_supplier(db: Database, details: SupplierDetails, actor: Actor) -> SupplierView:
    raise NotImplementedError


def list_suppliers(db: Database, actor: Actor, include_inactive: bool = True) -> list[SupplierView]:
    raise NotImplementedError


def get_supplier(db: Database, code: str, actor: Actor) -> SupplierView:
    raise NotImplementedError


def link_supplier(db: Database, link: LinkSupplier, actor: Actor) -> SupplierLinkView:
    raise NotImplementedError


def supplier_links(
    db: Database, actor: Actor, supplier: str | None = None, product: str | None = None
) -> list[SupplierLinkView]:
    raise NotImplementedError
