"""The outbox: a transaction's outward events, written by that transaction as one row.

Stock code never calls this: `events.run` hands it the events a transaction collected, just before
the commit. One INSERT per transaction (not per ledger row) keeps the stock hot path within a few
per cent of what it was. Readers: the server's sequencer (`services.delivery`) and SSE.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, insert, select

from invdesk.db.direct import Direct
from invdesk.db.tables import order_line_t, outbox_t, product_t, warehouse_t

# inline(): no RETURNING of the new id (nobody needs it, and a clerk may INSERT but not SELECT).
_INSERT = Direct(insert(outbox_t).inline(), columns=("created_at", "events"))
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

EVENT_TYPES = (
    "stock.changed",
    "alert.raised",
    "alert.acknowledged",
    "alert.resolved",
    "order.changed",
)


@dataclass(frozen=True)
class Outbound:
    """One event as the outside sees it. Scoped by warehouse code; an event known only by its
    warehouse id (alerts) or its order (order changes) gets its codes looked up when written."""

    type: str
    data: dict[str, Any]
    warehouse: str | None = None
    warehouse_id: int | None = None
    order_id: int | None = None


class HasOutbound(Protocol):
    def outbound(self) -> Outbound | None: ...


def write(conn: Connection, at: datetime, collected: Sequence[HasOutbound]) -> None:
    """Append the outward events among `collected` to the outbox, in `conn`'s transaction."""
    items = []
    for event in collected:
        out = event.outbound()
        if out is None:
            continue
        if out.warehouse is not None:  # stock changes: everything is at hand (the hot path)
            items.append({"type": out.type, "warehouses": [out.warehouse], "data": out.data})
        else:
            items.append(_completed(conn, out))
    if items:
        _INSERT.run(conn, {"created_at": at, "events": _dumps(items)})


def _completed(conn: Connection, out: Outbound) -> dict[str, Any]:
    data = dict(out.data)
    if out.order_id is not None:
        codes = conn.execute(
            select(warehouse_t.c.code)
            .join(order_line_t, order_line_t.c.warehouse_id == warehouse_t.c.id)
            .where(order_line_t.c.order_id == out.order_id)
            .distinct()
            .order_by(warehouse_t.c.code)
        ).scalars()
        warehouses = list(codes)
        data["warehouses"] = warehouses
    else:
        pid = data.pop("product_id", None)
        sku = select(product_t.c.sku).where(product_t.c.id == pid).scalar_subquery()
        code = select(warehouse_t.c.code).where(warehouse_t.c.id == out.warehouse_id)
        row = conn.execute(select(sku.label("sku"), code.scalar_subquery().label("code"))).one()
        data["sku"], data["warehouse"] = row.sku, row.code
        warehouses = [row.code]
    return {"type": out.type, "warehouses": warehouses, "data": data}


def write_one(conn: Connection, at: datetime, item: dict[str, Any]) -> int:
    """Append one event made outside stock code (a webhook test); returns its outbox row id."""
    new_id: int = conn.execute(
        insert(outbox_t).values(created_at=at, events=_dumps([item])).returning(outbox_t.c.id)
    ).scalar_one()
    return new_id
