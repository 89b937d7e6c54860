"""TEMPORARY STUB (pogui branch): the lead's receiving service lands on main; removed at merge."""

from __future__ import annotations

from invdesk.db.engine import Database
from invdesk.domain.purchasing import PurchaseReceipt, ReceivePurchase
from invdesk.domain.security import Actor


def receive_po(db: Database, command: ReceivePurchase, actor: Actor) -> PurchaseReceipt:
    raise NotImplementedError
