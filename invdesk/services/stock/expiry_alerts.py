"""Lot expiry alerts: lots expiring within a warehouse's warning days, expired stock on hand.

Low-stock alerts follow the ledger (alert_rules, in the stock transaction); expiry follows the
calendar: a lot expires overnight without any ledger row. So these alerts are brought in step by
a pass over the quants, run by `invdesk serve` as a scheduled job and by the desktop at start and
hourly. One alert per product, warehouse and kind (LOT_EXPIRING, LOT_EXPIRED): `available` is the
units concerned, `threshold` the warning days. An alert whose stock is gone (issued, written off,
moved away) is resolved by the next pass; acknowledging one keeps it until then, as for stock.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from invdesk.db.engine import Database
from invdesk.db.tables import alert_t, lot_t, product_t, quant_t, warehouse_t
from invdesk.domain.restock import LOT_KINDS, UNRESOLVED, AlertKind, ExpiryCheck
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.stock import alert_rules, events

_q, _lot, _w, _a = quant_t.c, lot_t.c, warehouse_t.c, alert_t.c
_LOCK_KEY = 0x1E7A_0013  # one pass at a time across desktops and servers (PostgreSQL)
Key = tuple[int, int, str]


def check_expiry(db: Database, actor: Actor, *, today: date | None = None) -> ExpiryCheck:
    """Raise the lot expiry alerts that are due and resolve those whose stock is gone.

    `today` (default: the database clock's date, UTC) is the first day a lot is not yet
    expired on: a lot expiring today is expiring, one that expired yesterday is expired.
    Raises PermissionDenied without the stock right (alerts are written like stock's).
    """
    require(actor, Permission.STOCK)

    def work(conn: Connection) -> ExpiryCheck:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
        day = today or db.now().date()
        wanted, names = _due(conn, day)
        current = {
            (r.product_id, r.warehouse_id, r.kind): r.id
            for r in conn.execute(
                select(_a.id, _a.product_id, _a.warehouse_id, _a.kind).where(
                    _a.kind.in_(LOT_KINDS), _a.status.in_(UNRESOLVED)
                )
            )
        }
        at = db.now()
        resolved = 0
        for (pid, wid, kind), alert_id in sorted(current.items()):
            if (pid, wid, kind) not in wanted:
                alert_rules.resolve_alert(conn, alert_id, pid, wid, at)
                resolved += 1
        raised = 0
        for key, (units, days) in sorted(wanted.items()):
            if key not in current:
                pid, wid, kind = key
                sku, code = names[(pid, wid)]
                alert_rules.raise_alert(conn, pid, wid, AlertKind(kind), units, days, at, sku, code)
                raised += 1
        return ExpiryCheck(raised, resolved, len(wanted))

    return events.run(db, work)


def _due(
    conn: Connection, day: date
) -> tuple[dict[Key, tuple[int, int]], dict[tuple[int, int], tuple[str, str]]]:
    """Units per (product, warehouse, kind) that should be alerted, with the warning days; and
    the SKU and warehouse code of each (product, warehouse)."""
    widest = conn.execute(select(func.max(_w.expiry_warning_days))).scalar() or 0
    rows = conn.execute(
        select(
            _q.product_id,
            _q.warehouse_id,
            _lot.expiry,
            _q.on_hand,
            _w.expiry_warning_days,
            product_t.c.sku,
            _w.code,
        )
        .select_from(quant_t)
        .join(lot_t, _lot.id == _q.lot_id)
        .join(warehouse_t, _w.id == _q.warehouse_id)
        .join(product_t, product_t.c.id == _q.product_id)
        .where(_q.on_hand > 0, _lot.expiry <= day + timedelta(days=int(widest)))
    )
    wanted: dict[Key, tuple[int, int]] = {}
    names: dict[tuple[int, int], tuple[str, str]] = {}
    for pid, wid, expiry, on_hand, days, sku, code in rows:
        if expiry < day:
            kind = AlertKind.LOT_EXPIRED.value
        elif expiry <= day + timedelta(days=days):
            kind = AlertKind.LOT_EXPIRING.value
        else:
            continue
        units, _days = wanted.get((pid, wid, kind), (0, days))
        wanted[(pid, wid, kind)] = (units + int(on_hand), days)
        names[(pid, wid)] = (sku, code)
    return wanted, names
