"""The dashboard's figures: a few cheap aggregate queries, one read transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import BigInteger, func, select, type_coerce

from invdesk.db.engine import Database
from invdesk.db.models import StockLevel, table_of
from invdesk.domain.orders import OrderStatus
from invdesk.domain.restock import UNRESOLVED, AlertStatus, AlertView
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.stock import MovementView
from invdesk.domain.validation import from_minor
from invdesk.services import alerts, ledger
from invdesk.services.alert_rules import alert_t
from invdesk.services.orders import order_t

_level = table_of(StockLevel)


@dataclass(frozen=True)
class Kpis:
    stock_value: Decimal
    below_threshold: int
    """Stock rows (product in a warehouse) with an unresolved low- or out-of-stock alert."""
    open_alerts: int
    movements_today: int
    open_orders: int


@dataclass(frozen=True)
class Dashboard:
    kpis: Kpis
    newest_alerts: list[AlertView]
    recent_movements: list[MovementView]


def kpis(db: Database, actor: Actor) -> Kpis:
    """Stock value at average cost, rows below threshold, open alerts, today's movements, open orders."""
    require(actor, Permission.VIEW)
    now = db.now()
    local_midnight = datetime.combine(now.astimezone().date(), time(0), now.astimezone().tzinfo)
    s, a, o, m = _level.c, alert_t.c, order_t.c, ledger.movement_t.c
    with db.read() as conn:
        value = conn.execute(
            select(func.coalesce(func.sum(s.on_hand * type_coerce(s.avg_cost, BigInteger)), 0))
        ).scalar_one()
        pairs = (
            select(a.product_id, a.warehouse_id).where(a.status.in_(UNRESOLVED)).distinct()
        ).subquery()
        below = conn.execute(select(func.count()).select_from(pairs)).scalar_one()
        open_alerts = conn.execute(
            select(func.count()).select_from(alert_t).where(a.status == AlertStatus.OPEN.value)
        ).scalar_one()
        today = conn.execute(
            select(func.count()).select_from(ledger.movement_t).where(m.at >= local_midnight)
        ).scalar_one()
        open_orders = conn.execute(
            select(func.count()).select_from(order_t).where(o.status == OrderStatus.OPEN.value)
        ).scalar_one()
    return Kpis(from_minor(int(value)), int(below), int(open_alerts), int(today), int(open_orders))


def dashboard(db: Database, actor: Actor, *, rows: int = 10) -> Dashboard:
    """The KPIs, the newest unresolved alerts and the most recent ledger rows."""
    figures = kpis(db, actor)
    newest = alerts.list_alerts(db, actor, limit=rows)
    m = ledger.movement_t.c
    with db.read() as conn:
        recent = [
            ledger.to_view(row)
            for row in conn.execute(ledger.select_views().order_by(m.id.desc()).limit(rows))
        ]
    return Dashboard(figures, newest, recent)
