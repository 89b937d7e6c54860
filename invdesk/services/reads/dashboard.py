"""The dashboard's alert and order figures; stock figures and recent movements: browse.dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from invdesk.db.engine import Database
from invdesk.db.tables import alert_t, order_t
from invdesk.domain.orders import OrderStatus
from invdesk.domain.restock import UNRESOLVED, AlertStatus, AlertView
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.reads import alerts


@dataclass(frozen=True)
class Attention:
    """What needs someone: rows below threshold, open alerts and orders, the newest alerts."""

    below_threshold: int
    """Stock rows (product in a warehouse) with an unresolved low- or out-of-stock alert."""
    open_alerts: int
    open_orders: int
    newest_alerts: list[AlertView]


def attention(db: Database, actor: Actor, *, rows: int = 10) -> Attention:
    """Counts of unresolved stock rows, open alerts and open orders; the newest `rows` alerts."""
    require(actor, Permission.VIEW)
    a, o = alert_t.c, order_t.c
    with db.read() as conn:
        pairs = (
            select(a.product_id, a.warehouse_id).where(a.status.in_(UNRESOLVED)).distinct()
        ).subquery()
        below = conn.execute(select(func.count()).select_from(pairs)).scalar_one()
        open_alerts = conn.execute(
            select(func.count()).select_from(alert_t).where(a.status == AlertStatus.OPEN.value)
        ).scalar_one()
        open_orders = conn.execute(
            select(func.count()).select_from(order_t).where(o.status == OrderStatus.OPEN.value)
        ).scalar_one()
    newest = alerts.list_alerts(db, actor, limit=rows)
    return Attention(int(below), int(open_alerts), int(open_orders), newest)
