"""Stock put into a location for a test: moved out of the warehouse's default location."""

from __future__ import annotations

from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.domain.stock import MoveStock
from invdesk.services.stock import moves


def place(db: Database, sku: str, warehouse: str, location: str, qty: int) -> None:
    """Move `qty` of `sku` from the default location of `warehouse` to `location` (ledger rows:
    the counter stays, the quants move)."""
    moves.move(db, MoveStock(sku, warehouse, None, location, qty), SYSTEM)
