"""What is on order (sent POs not yet received) and on what terms a product is bought.

The one home of "on order": the Stock page, `stock --json`, every restock policy's suggestion,
the low-stock and forecast reports and `po from-reorder` all ask here, so none of them counts a
purchase twice or forgets one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, and_, func, select, tuple_

from invdesk.db.tables import po_line_t, po_t, supplier_product_t, supplier_t
from invdesk.domain.purchasing import ON_ORDER, POStatus

Key = tuple[int, int]  # (product id, warehouse id)
_CHUNK = 500


class Terms(NamedTuple):
    """How a product is bought from its preferred supplier (price per unit, lead in days)."""

    supplier_id: int
    supplier: str
    pack_size: int
    min_qty: int
    unit_price: Decimal | None
    lead_days: int | None


def open_units() -> ColumnElement[int]:
    """A PO line's units still to come (with `is_open`, never below zero)."""
    return po_line_t.c.ordered - po_line_t.c.received


def is_open(statuses: tuple[str, ...] = ON_ORDER) -> ColumnElement[bool]:
    """A PO line (joined to its PO) that still counts: its PO in `statuses` (on order: sent or
    partly received) and the line not received in full."""
    return and_(po_t.c.status.in_(statuses), po_line_t.c.ordered > po_line_t.c.received)


def effective_lead() -> ColumnElement[int | None]:
    """A supplier link's lead time, else its supplier's default (joined to `supplier`)."""
    return func.coalesce(supplier_product_t.c.lead_days, supplier_t.c.lead_days)


def is_preferred() -> ColumnElement[bool]:
    """The join of a link to its supplier that counts for restocking: the product's preferred
    link, of an active supplier."""
    sp, s = supplier_product_t.c, supplier_t.c
    return and_(s.id == sp.supplier_id, s.active, sp.preferred)


def on_order(
    conn: Connection, *, warehouse_id: int | None = None, keys: Iterable[Key] | None = None
) -> dict[Key, int]:
    """Units on order per (product, warehouse): ordered minus received on sent and partly
    received POs (lines received in full or beyond count nothing). All warehouses, one, or
    the given rows only."""
    return _open(conn, ON_ORDER, warehouse_id, keys)


def drafted(
    conn: Connection, *, warehouse_id: int | None = None, keys: Iterable[Key] | None = None
) -> dict[Key, int]:
    """Units on draft POs per (product, warehouse): planned, not yet promised."""
    return _open(conn, (POStatus.DRAFT.value,), warehouse_id, keys)


def _open(
    conn: Connection,
    statuses: tuple[str, ...],
    warehouse_id: int | None,
    keys: Iterable[Key] | None,
) -> dict[Key, int]:
    line, po = po_line_t.c, po_t.c
    base = (
        select(line.product_id, po.warehouse_id, func.sum(open_units()))
        .join(po_t, po.id == line.order_id)
        .where(is_open(statuses))
        .group_by(line.product_id, po.warehouse_id)
    )
    if warehouse_id is not None:
        base = base.where(po.warehouse_id == warehouse_id)
    if keys is None:
        return {(int(p), int(w)): int(n) for p, w, n in conn.execute(base)}
    wanted = sorted(set(keys))
    found: dict[Key, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        stmt = base.where(tuple_(line.product_id, po.warehouse_id).in_(chunk))
        found.update({(int(p), int(w)): int(n) for p, w, n in conn.execute(stmt)})
    return found


def preferred_terms(conn: Connection, product_ids: Iterable[int] | None = None) -> dict[int, Terms]:
    """Each product's preferred supplier and terms (only products that have one)."""
    sp, s = supplier_product_t.c, supplier_t.c
    base = select(
        sp.product_id,
        s.id,
        s.code,
        sp.pack_size,
        sp.min_qty,
        sp.price,
        effective_lead(),
    ).join(supplier_t, is_preferred())
    rows = []
    if product_ids is None:
        rows = list(conn.execute(base))
    else:
        wanted = sorted(set(product_ids))
        for start in range(0, len(wanted), _CHUNK):
            rows += conn.execute(base.where(sp.product_id.in_(wanted[start : start + _CHUNK])))
    return {
        int(pid): Terms(
            int(sid),
            code,
            int(pack),
            int(minimum),
            None if price is None else unit_price(price, int(pack)),
            None if lead is None else int(lead),
        )
        for pid, sid, code, pack, minimum, price, lead in rows
    }


def unit_price(price: Decimal, pack: int) -> Decimal:
    """A pack's price per unit, to the cent's hundredth (money keeps four places)."""
    return (price / pack).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
