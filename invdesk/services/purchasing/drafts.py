"""From reorder suggestions to draft purchase orders: one per preferred supplier and warehouse.

Quantities are rounded up to the supplier's pack and minimum. A suggestion with no preferred
supplier is listed apart; one whose product is already on a draft PO for that warehouse is left
alone (a draft is not on order yet, so the suggestion still shows it, and a second run must not
draft it twice). All drafts are made in one transaction: all, or none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.purchasing_models import Supplier
from invdesk.db.tables import product_t, warehouse_t
from invdesk.domain import purchasing as p
from invdesk.domain.errors import ValidationError
from invdesk.domain.restock import Suggestion
from invdesk.domain.security import Actor, Permission, require
from invdesk.services.purchasing.orders import PlannedLine, add_draft, load
from invdesk.services.reads.on_order import drafted, preferred_terms
from invdesk.services.reads.reorder import suggestions
from invdesk.services.stock import events
from invdesk.services.unit_of_work import edit_session


def drafts_from_reorder(
    db: Database,
    actor: Actor,
    warehouse: str | None = None,
    picks: Sequence[tuple[str, str]] | None = None,
) -> p.DraftsFromReorder:
    """Draft POs for today's purchase suggestions (one warehouse's, or all), or only for the
    (warehouse code, SKU) pairs in `picks`. Raises PermissionDenied, ValidationError for a pick
    that is not a purchase suggestion."""
    require(actor, Permission.PURCHASING)
    wanted = [s for s in suggestions(db, actor, warehouse) if s.action == "purchase"]
    if picks is not None:
        chosen = {(w.strip().upper(), sku.strip()) for w, sku in picks}
        known = {(s.warehouse, s.sku) for s in wanted}
        missing = sorted(chosen - known)
        if missing:
            w, sku = missing[0]
            raise ValidationError(
                f"{sku} in {w} is not a purchase suggestion any more; refresh the list.",
                field="picks",
            )
        wanted = [s for s in wanted if (s.warehouse, s.sku) in chosen]

    def work(session: Session) -> p.DraftsFromReorder:
        conn = session.connection()
        ids = _ids(conn, wanted)
        terms = preferred_terms(conn, {pid for pid, _wid in ids.values()})
        on_draft = drafted(conn, keys=ids.values())
        groups: dict[tuple[int, int], list[tuple[Suggestion, PlannedLine]]] = defaultdict(list)
        unsupplied: list[Suggestion] = []
        already: list[Suggestion] = []
        for s in wanted:
            pid, wid = ids[(s.warehouse, s.sku)]
            if (pid, wid) in on_draft:
                already.append(s)
                continue
            found = terms.get(pid)
            if found is None:
                unsupplied.append(s)
                continue
            line = PlannedLine(pid, s.sku, p.order_quantity(s.suggested_qty, found.pack_size,
                                                         found.min_qty), found.unit_price)  # fmt: skip
            line.pack = found.pack_size
            groups[(found.supplier_id, wid)].append((s, line))
        made = []
        now = db.now()
        for (supplier_id, wid), lines in sorted(groups.items()):
            supplier = session.get(Supplier, supplier_id)
            assert supplier is not None
            po_id = add_draft(
                session, actor, now, supplier, wid, [line for _s, line in lines],
                notes="Drafted from the reorder suggestions.", details={"from": "reorder"},
            )  # fmt: skip
            made.append(load(conn, po_id))
        return p.DraftsFromReorder(tuple(made), tuple(unsupplied), tuple(already))

    made = edit_session(db, work)
    if made.orders:
        events.bus(db).publish([events.PurchasingChanged(po.id) for po in made.orders])
    return made


def _ids(conn: Connection, wanted: list[Suggestion]) -> dict[tuple[str, str], tuple[int, int]]:
    """(warehouse code, SKU) -> (product id, warehouse id) for the suggestions."""
    skus = sorted({s.sku for s in wanted})
    codes = sorted({s.warehouse for s in wanted})
    products: dict[str, int] = {}
    for start in range(0, len(skus), 500):
        chunk = skus[start : start + 500]
        products.update(
            {sku: int(i) for i, sku in conn.execute(
                select(product_t.c.id, product_t.c.sku).where(product_t.c.sku.in_(chunk)))}
        )  # fmt: skip
    houses = {
        code: int(i)
        for i, code in conn.execute(
            select(warehouse_t.c.id, warehouse_t.c.code).where(warehouse_t.c.code.in_(codes))
        )
    }
    return {(s.warehouse, s.sku): (products[s.sku], houses[s.warehouse]) for s in wanted}
