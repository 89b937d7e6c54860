"""TEMPORARY STUB (pogui branch): the lead's PO services land on main; removed at merge."""

from __future__ import annotations

from invdesk.db.engine import Database
from invdesk.domain.purchasing import CreatePurchase, EditPurchase, POStatus, PurchaseOrderView
from invdesk.domain.security import Actor


def create_po(db: Database, command: CreatePurchase, actor: Actor) -> PurchaseOrderView:
    raise NotImplementedError


def edit_po(db: Database, command: EditPurchase, actor: Actor) -> PurchaseOrderView:
    raise NotImplementedError


def send_po(
    db: Database, number: str, actor: Actor, expected_version: int | None = None
) -> PurchaseOrderView:
    raise NotImplementedError


def cancel_po(
    db: Database,
    number: str,
    actor: Actor,
    reason: str | None = None,
    expected_version: int | None = None,
) -> PurchaseOrderView:
    raise NotImplementedError


def get_po(db: Database, number: str, actor: Actor) -> PurchaseOrderView:
    raise NotImplementedError


def list_pos(
    db: Database,
    actor: Actor,
    status: POStatus | str | None = None,
    supplier: str | None = None,
    warehouse: str | None = None,
) -> list[PurchaseOrderView]:
    raise NotImplementedError
