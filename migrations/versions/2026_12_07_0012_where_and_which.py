"""Where and which: locations, putaway, lots and serials, quants, transit, count sheets.

The one schema step of issue 13: the stock grain becomes (product, warehouse, location, lot).
* `quant` holds stock at that grain; NULL location is the warehouse's implicit default location
  and NULL lot is "no lot". Every current counter becomes one such quant, so no unit is lost and
  a shop without bins or lots sees no change.
* The ledger gains `location_id` and `lot_id`; each ledger row moves its quant by a trigger, on
  both databases (PostgreSQL: inside the owner's `invdesk_movement_post`, which already moves the
  counter; SQLite: `movement_quant`), so quants always add up to the ledger and clients hold no
  right to write them. Moves between locations (`move_out`/`move_in`) leave the counter alone.
* Seals: a ledger row's canonical text gains its location and lot only when one is set, so every
  row sealed before this step keeps its text and its seal.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 07:00:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_KINDS = (
    "receive",
    "transfer_out",
    "transfer_in",
    "issue",
    "return",
    "return_damaged",
    "adjust",
    "reserve",
    "release",
    "expire",
)
NEW_KINDS = ("move_out", "move_in", "ship", "transit_in")
ALERT_KINDS = ("low_stock", "out_of_stock")
NEW_ALERT_KINDS = ("lot_expiring", "lot_expired")


def _sibling(name: str) -> ModuleType:
    """An earlier migration of this chain, to reuse its SQL (a migration never imports app code)."""
    path = next(Path(__file__).parent.glob(f"*_{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"invdesk_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kinds(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


# Update first: PostgreSQL checks an INSERT's row against the CHECKs before ON CONFLICT, so an
# upsert could not take units out. The counter row is locked by now, so no one else adds this
# quant between the two statements; a take from a quant that does not exist fails the CHECK.
_QUANT_UPSERT = """
        UPDATE quant q SET on_hand = q.on_hand + NEW.qty
        WHERE q.product_id = NEW.product_id AND q.warehouse_id = NEW.warehouse_id
          AND coalesce(q.location_id, 0) = coalesce(NEW.location_id, 0)
          AND coalesce(q.lot_id, 0) = coalesce(NEW.lot_id, 0);
        IF NOT FOUND THEN
            INSERT INTO quant (product_id, warehouse_id, location_id, lot_id, on_hand)
            VALUES (NEW.product_id, NEW.warehouse_id, NEW.location_id, NEW.lot_id, NEW.qty);
        END IF;"""

# The ledger row moves its counter and its quant. Runs as the owner: clients have no UPDATE there.
MOVEMENT_POST = f"""
CREATE OR REPLACE FUNCTION invdesk_movement_post() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER {{path}} AS $$
DECLARE
    trusted boolean := pg_has_role(session_user, 'invdesk_owner', 'MEMBER');
    new_on_hand bigint;
    new_avg bigint;
BEGIN
    IF trusted AND current_setting('invdesk.load_ledger', true) = 'on' THEN
        RETURN NEW;  -- a bulk load (demo data) states its rows and writes its counters itself
    END IF;
    IF NOT trusted THEN
        IF NOT (NEW."user" LIKE 'token:%'
                AND pg_has_role(session_user, 'invdesk_server', 'MEMBER')) THEN
            NEW."user" := session_user;
        END IF;
        NEW."at" := clock_timestamp();
    END IF;
    IF (NEW.qty = 0 AND NEW.reserved_delta = 0) OR NEW.kind IN ('move_out', 'move_in') THEN
        -- Nothing for the counter: a damaged return, or a move inside the warehouse.
        SELECT s.on_hand INTO new_on_hand FROM stock_level s
        WHERE s.product_id = NEW.product_id AND s.warehouse_id = NEW.warehouse_id;
        NEW.balance_after := coalesce(new_on_hand, 0);
        IF NEW.qty <> 0 THEN{_QUANT_UPSERT}
        END IF;
        RETURN NEW;
    END IF;
    UPDATE stock_level s SET
        on_hand = s.on_hand + NEW.qty,
        reserved = s.reserved + NEW.reserved_delta,
        avg_cost = CASE
            WHEN NEW.qty > 0 AND NEW.unit_cost IS NOT NULL
                AND NEW.kind IN ('receive', 'transfer_in', 'transit_in')
            THEN (s.on_hand * s.avg_cost + NEW.qty * NEW.unit_cost + (s.on_hand + NEW.qty) / 2)
                / (s.on_hand + NEW.qty)
            ELSE s.avg_cost
        END
    WHERE s.product_id = NEW.product_id AND s.warehouse_id = NEW.warehouse_id
    RETURNING s.on_hand, s.avg_cost INTO new_on_hand, new_avg;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no stock row for product % in warehouse %',
            NEW.product_id, NEW.warehouse_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.balance_after := new_on_hand;
    IF NEW.kind IN ('issue', 'transfer_out', 'return', 'adjust', 'ship') THEN
        NEW.unit_cost := new_avg;  -- goods leave (or are counted) at the average cost
    END IF;
    IF NEW.qty <> 0 THEN{_QUANT_UPSERT}
    END IF;
    RETURN NEW;
END
$$"""

# SQLite: the services move the counter; the row moves its quant here, in the same statement.
SQLITE_QUANT_TRIGGER = """
CREATE TRIGGER movement_quant AFTER INSERT ON movement WHEN NEW.qty <> 0
BEGIN
    INSERT OR IGNORE INTO quant (product_id, warehouse_id, location_id, lot_id, on_hand)
    VALUES (NEW.product_id, NEW.warehouse_id, NEW.location_id, NEW.lot_id, 0);
    UPDATE quant SET on_hand = on_hand + NEW.qty
    WHERE product_id = NEW.product_id AND warehouse_id = NEW.warehouse_id
      AND coalesce(location_id, 0) = coalesce(NEW.location_id, 0)
      AND coalesce(lot_id, 0) = coalesce(NEW.lot_id, 0);
END"""


def _ledger_text(seals: ModuleType) -> str:
    """The sealed text of a ledger row: as before, plus location and lot when either is set."""
    base = seals.LEDGER_TEXT.removesuffix(" || E'\\n'")
    grain = seals._row_text([("location_id", "int"), ("lot_id", "int")]).removesuffix(" || E'\\n'")
    return (
        f"{base} || CASE WHEN location_id IS NULL AND lot_id IS NULL THEN '' "
        f"ELSE E'\\t' || {grain} END || E'\\n'"
    )


def _seal_range(ledger_text: str) -> str:
    seals = _sibling("0007")
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    return seals.SEAL_RANGE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).format(
        schema=schema,
        genesis=seals.GENESIS,
        ledger_text=ledger_text,
        audit_text=seals.AUDIT_TEXT,
        batch=seals.MAX_ROWS_PER_SEAL,
    )


def _create_tables() -> None:
    op.create_table(
        "location",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("warehouse_id", BIG_ID, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("parent_id", BIG_ID, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "type IN ('storage', 'receiving', 'shipping', 'quarantine')",
            name=op.f("ck_location_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["location.id"], name=op.f("fk_location_parent_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_location_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("warehouse_id", "code", name="uq_location_warehouse_code"),
    )
    op.create_index("ix_location_parent_id", "location", ["parent_id"])
    op.create_table(
        "putaway",
        sa.Column("product_id", BIG_ID, nullable=False),
        sa.Column("warehouse_id", BIG_ID, nullable=False),
        sa.Column("location_id", BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_putaway_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_putaway_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_putaway_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("product_id", "warehouse_id", name=op.f("pk_putaway")),
    )
    op.create_index("ix_putaway_location_id", "putaway", ["location_id"])
    op.create_table(
        "lot",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("product_id", BIG_ID, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("serial", sa.Boolean(), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("produced", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_lot_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot")),
        sa.UniqueConstraint("product_id", "number", name="uq_lot_product_number"),
    )
    op.create_index("ix_lot_expiry", "lot", ["expiry"])
    op.create_table(
        "quant",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("product_id", BIG_ID, nullable=False),
        sa.Column("warehouse_id", BIG_ID, nullable=False),
        sa.Column("location_id", BIG_ID, nullable=True),
        sa.Column("lot_id", BIG_ID, nullable=True),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_quant_on_hand_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_quant_location_id_location")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_quant_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_quant_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_quant_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quant")),
    )
    op.create_index(
        "ux_quant_grain",
        "quant",
        [
            "product_id",
            "warehouse_id",
            sa.text("coalesce(location_id, 0)"),
            sa.text("coalesce(lot_id, 0)"),
        ],
        unique=True,
    )
    op.create_index(
        "ix_quant_lot_id", "quant", ["lot_id"], postgresql_where=sa.text("lot_id IS NOT NULL")
    )
    op.create_index(
        "ix_quant_location_id",
        "quant",
        ["location_id"],
        postgresql_where=sa.text("location_id IS NOT NULL"),
    )
    op.create_table(
        "shipment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.Column("destination_id", BIG_ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("shipped_by", sa.String(length=64), nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('in_transit', 'partial', 'received', 'closed')",
            name=op.f("ck_shipment_status_known"),
        ),
        sa.CheckConstraint("source_id <> destination_id", name=op.f("ck_shipment_two_warehouses")),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["warehouse.id"],
            name=op.f("fk_shipment_destination_id_warehouse"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["warehouse.id"], name=op.f("fk_shipment_source_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment")),
    )
    op.create_index("ix_shipment_route", "shipment", ["source_id", "destination_id", "status"])
    op.create_index("ix_shipment_destination", "shipment", ["destination_id", "status"])
    op.create_table(
        "shipment_line",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", BIG_ID, nullable=False),
        sa.Column("lot_id", BIG_ID, nullable=True),
        sa.Column("shipped", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("short", sa.BigInteger(), nullable=False),
        sa.Column("unit_cost", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("shipped > 0", name=op.f("ck_shipment_line_shipped_positive")),
        sa.CheckConstraint(
            "received >= 0 AND short >= 0 AND received + short <= shipped",
            name=op.f("ck_shipment_line_within_shipped"),
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_shipment_line_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_shipment_line_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipment.id"],
            name=op.f("fk_shipment_line_shipment_id_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_line")),
    )
    op.create_index("ix_shipment_line_shipment_id", "shipment_line", ["shipment_id"])
    op.create_table(
        "count_sheet",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("warehouse_id", BIG_ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=True),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("opened_position", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'posted', 'cancelled')", name=op.f("ck_count_sheet_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_count_sheet_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_sheet")),
        sa.UniqueConstraint("request_id", name=op.f("uq_count_sheet_request_id")),
    )
    op.create_index("ix_count_sheet_warehouse", "count_sheet", ["warehouse_id", "status"])
    op.create_table(
        "count_line",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("sheet_id", BIG_ID, nullable=False),
        sa.Column("product_id", BIG_ID, nullable=False),
        sa.Column("location_id", BIG_ID, nullable=True),
        sa.Column("lot_id", BIG_ID, nullable=True),
        sa.Column("expected", sa.BigInteger(), nullable=True),
        sa.Column("counted", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("counted_by", sa.String(length=64), nullable=True),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_delta", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "counted IS NULL OR counted >= 0", name=op.f("ck_count_line_counted_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_count_line_location_id_location")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_count_line_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_count_line_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["count_sheet.id"], name=op.f("fk_count_line_sheet_id_count_sheet")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_line")),
    )
    op.create_index(
        "ux_count_line_grain",
        "count_line",
        [
            "sheet_id",
            "product_id",
            sa.text("coalesce(location_id, 0)"),
            sa.text("coalesce(lot_id, 0)"),
        ],
        unique=True,
    )
    op.create_index("ix_count_line_product", "count_line", ["product_id", "counted_at"])


def upgrade() -> None:
    _create_tables()
    postgresql = op.get_bind().dialect.name == "postgresql"
    # Plain ADD COLUMN (SQLite cannot copy a table with generated columns, as batch mode would);
    # SQLite's product has no CHECK on tracking, the service checks it there.
    op.add_column(
        "product",
        sa.Column("tracking", sa.String(length=16), server_default="none", nullable=False),
    )
    op.add_column("product", sa.Column("shelf_life_days", sa.Integer(), nullable=True))
    if postgresql:
        op.create_check_constraint(
            "tracking_known", "product", "tracking IN ('none', 'lot', 'serial')"
        )
    op.add_column(
        "warehouse",
        sa.Column("expiry_warning_days", sa.Integer(), server_default="30", nullable=False),
    )
    # SQLite copies the ledger to change its CHECK on kinds; the copy loses the append-only
    # triggers, which are made again below.
    with op.batch_alter_table("movement") as batch_op:
        batch_op.add_column(sa.Column("location_id", BIG_ID, nullable=True))
        batch_op.add_column(sa.Column("lot_id", BIG_ID, nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_movement_location_id_location"), "location", ["location_id"], ["id"]
        )
        batch_op.create_foreign_key(op.f("fk_movement_lot_id_lot"), "lot", ["lot_id"], ["id"])
        batch_op.drop_constraint(op.f("ck_movement_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", _kinds(OLD_KINDS + NEW_KINDS))
        batch_op.create_index(
            "ix_movement_lot_id", ["lot_id"], postgresql_where=sa.text("lot_id IS NOT NULL")
        )
    with op.batch_alter_table("alert") as batch_op:
        batch_op.drop_constraint(op.f("ck_alert_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", _kinds(ALERT_KINDS + NEW_ALERT_KINDS))
    # Every unit held today: a quant in the default location, with no lot.
    op.execute(
        "INSERT INTO quant (product_id, warehouse_id, location_id, lot_id, on_hand) "
        "SELECT product_id, warehouse_id, NULL, NULL, on_hand FROM stock_level"
    )
    if postgresql:
        schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
        op.execute(MOVEMENT_POST.format(path=f"SET search_path = pg_catalog, {schema}"))
        op.execute(_seal_range(_ledger_text(_sibling("0007"))))
    else:
        _guard_ledger()
        op.execute(SQLITE_QUANT_TRIGGER)


def _guard_ledger() -> None:
    """SQLite: the ledger's append-only triggers of migration 0003, on the copied table."""
    for statement in _sibling("0003")._guard("movement", "sqlite"):
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
        old = next(f for f in _sibling("0006")._functions(schema) if "invdesk_movement_post()" in f)
        op.execute(old.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
        op.execute(_seal_range(_sibling("0007").LEDGER_TEXT))
    else:
        op.execute("DROP TRIGGER movement_quant")
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DELETE FROM alert WHERE " + _kinds(NEW_ALERT_KINDS))
    with op.batch_alter_table("alert") as batch_op:
        batch_op.drop_constraint(op.f("ck_alert_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", _kinds(ALERT_KINDS))
    with op.batch_alter_table("movement") as batch_op:
        batch_op.drop_index("ix_movement_lot_id")
        batch_op.drop_constraint(op.f("ck_movement_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", _kinds(OLD_KINDS))
        batch_op.drop_constraint(op.f("fk_movement_lot_id_lot"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_movement_location_id_location"), type_="foreignkey")
        batch_op.drop_column("lot_id")
        batch_op.drop_column("location_id")
    if not postgresql:
        _guard_ledger()
    op.drop_column("warehouse", "expiry_warning_days")
    if postgresql:
        op.drop_constraint(op.f("ck_product_tracking_known"), "product", type_="check")
    op.drop_column("product", "shelf_life_days")
    op.drop_column("product", "tracking")
    for table in ("count_line", "count_sheet", "shipment_line", "shipment", "quant", "lot"):
        op.drop_table(table)
    op.drop_table("putaway")
    op.drop_table("location")
