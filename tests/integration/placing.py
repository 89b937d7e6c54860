"""Stock put into a location for a test: units moved out of the warehouse's default location."""

from __future__ import annotations

from sqlalchemy import text

from invdesk.db.engine import Database


def place(db: Database, sku: str, warehouse: str, location: str, qty: int) -> None:
    """Move `qty` of `sku` from the default location of `warehouse` to `location` (both quants
    must exist or be made; the counter does not change, as with a move between bins)."""
    ids = """(SELECT p.id FROM product p WHERE p.sku = :sku),
             (SELECT w.id FROM warehouse w WHERE w.code = :wh)"""
    loc = """(SELECT l.id FROM location l JOIN warehouse w ON w.id = l.warehouse_id
              WHERE w.code = :wh AND l.code = :loc)"""

    def work(conn) -> None:  # type: ignore[no-untyped-def]
        args = {"sku": sku, "wh": warehouse, "loc": location, "qty": qty}
        conn.execute(
            text(
                "UPDATE quant SET on_hand = on_hand - :qty WHERE location_id IS NULL "
                "AND lot_id IS NULL AND product_id = (SELECT id FROM product WHERE sku = :sku) "
                "AND warehouse_id = (SELECT id FROM warehouse WHERE code = :wh)"
            ),
            args,
        )
        conn.execute(
            text(
                f"INSERT INTO quant (product_id, warehouse_id, location_id, lot_id, on_hand) "
                f"VALUES ({ids}, {loc}, NULL, :qty)"
            ),
            args,
        )

    db.run(work)
