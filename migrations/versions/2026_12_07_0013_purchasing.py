"""Purchasing: suppliers, what each sells us, purchase orders, their lines and receipts.

* `supplier` and `supplier_product` (supplier SKU, price per pack, pack, minimum, lead time, one
  preferred supplier per product by a partial unique index).
* `purchase_order` (number PO-000123 from its id, never reused: AUTOINCREMENT on SQLite, a
  sequence on PostgreSQL) and `purchase_order_line` (ordered and received units, unit price).
* `company`: the company's name and address (one row), printed at the head of documents.
* `po_receipt`: one append-only row per delivery of a line, written in the receipt's stock
  transaction; supplier lead times and on-time rates are measured from it.
* PostgreSQL: stock put into a location locks the location's row (FOR SHARE), so a location
  cannot be deactivated while units move into it (a race left open by 0012).
* PostgreSQL guards what a column grant cannot say: a line's received units never go down, a
  received or cancelled PO stays so, a sent PO never goes back to draft, and a receipt's user is
  the login's (privileges.TABLES holds the grants).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE = "USING ERRCODE = 'check_violation'"
TRIGGERS = (
    ("location_guard", "movement"),
    ("po_guard", "purchase_order"),
    ("po_line_guard", "purchase_order_line"),
    ("po_receipt_stamp", "po_receipt"),
)


def _guards(schema: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {schema}"
    return [
        # Stock put into a location holds the location's row (FOR SHARE) until it commits, and a
        # deactivation locks it FOR UPDATE before counting what it holds: a location cannot be
        # emptied-and-deactivated while units are moving into it (issue 13's race). The owner's
        # function takes the lock: a clerk has no UPDATE on location, which FOR SHARE would need.
        f"""
CREATE FUNCTION invdesk_location_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    PERFORM 1 FROM location WHERE id = NEW.location_id AND active FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'location % is inactive: stock cannot go there', NEW.location_id
            {_REFUSE};
    END IF;
    RETURN NEW;
END
$$""",
        f"""
CREATE FUNCTION invdesk_po_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    IF OLD.number IS NOT NULL AND NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'purchase order % keeps its number', OLD.number {_REFUSE};
    END IF;
    IF NEW.status <> OLD.status AND OLD.status IN ('received', 'cancelled') THEN
        RAISE EXCEPTION 'purchase order % is %: it cannot become %',
            OLD.number, OLD.status, NEW.status {_REFUSE};
    END IF;
    IF NEW.status = 'draft' AND OLD.status <> 'draft' THEN
        RAISE EXCEPTION 'purchase order % was sent: it cannot go back to draft',
            OLD.number {_REFUSE};
    END IF;
    RETURN NEW;
END
$$""",
        f"""
CREATE FUNCTION invdesk_po_line_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    IF NEW.received < OLD.received THEN
        RAISE EXCEPTION 'received units of a purchase order line never go down' {_REFUSE};
    END IF;
    IF NEW.order_id <> OLD.order_id OR NEW.product_id <> OLD.product_id THEN
        RAISE EXCEPTION 'a purchase order line keeps its order and product' {_REFUSE};
    END IF;
    RETURN NEW;
END
$$""",
        f"""
CREATE FUNCTION invdesk_po_receipt_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
{path} AS $$
BEGIN
    NEW."user" := invdesk_actor(NEW."user");
    RETURN NEW;
END
$$""",
        "CREATE TRIGGER location_guard BEFORE INSERT ON movement FOR EACH ROW "
        "WHEN (NEW.location_id IS NOT NULL AND NEW.qty > 0) "
        "EXECUTE FUNCTION invdesk_location_guard()",
        "CREATE TRIGGER po_guard BEFORE UPDATE ON purchase_order "
        "FOR EACH ROW EXECUTE FUNCTION invdesk_po_guard()",
        "CREATE TRIGGER po_line_guard BEFORE UPDATE ON purchase_order_line "
        "FOR EACH ROW EXECUTE FUNCTION invdesk_po_line_guard()",
        "CREATE TRIGGER po_receipt_stamp BEFORE INSERT ON po_receipt "
        "FOR EACH ROW EXECUTE FUNCTION invdesk_po_receipt_stamp()",
    ]


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("tax_id", sa.String(length=50), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_company_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
    )
    op.create_table(
        "supplier",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("lead_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "lead_days IS NULL OR lead_days >= 0", name=op.f("ck_supplier_lead_days_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("code", name="uq_supplier_code"),
    )
    op.create_table(
        "purchase_order",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column(
            "supplier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'partial', 'received', 'cancelled')",
            name=op.f("ck_purchase_order_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_purchase_order_supplier_id_supplier")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouse.id"],
            name=op.f("fk_purchase_order_warehouse_id_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order")),
        sa.UniqueConstraint("number", name="uq_purchase_order_number"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_order_status", ["status", "warehouse_id"], unique=False)
        batch_op.create_index("ix_purchase_order_supplier", ["supplier_id", "status"], unique=False)

    op.create_table(
        "purchase_order_line",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("ordered", sa.BigInteger(), nullable=False),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=True),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "ordered > 0 AND received >= 0 AND pack_size >= 1",
            name=op.f("ck_purchase_order_line_qty_known"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_order.id"],
            name=op.f("fk_purchase_order_line_order_id_purchase_order"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_purchase_order_line_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_line")),
        sa.UniqueConstraint("order_id", "product_id", name="uq_purchase_order_line_product"),
    )
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchase_order_line_product", ["product_id", "order_id"], unique=False
        )

    op.create_table(
        "supplier_product",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "supplier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("supplier_sku", sa.String(length=64), nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=True),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("min_qty", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=True),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "pack_size >= 1 AND min_qty >= 0", name=op.f("ck_supplier_product_pack_known")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_supplier_product_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_supplier_product_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_product")),
        sa.UniqueConstraint("supplier_id", "product_id", name="uq_supplier_product"),
    )
    with op.batch_alter_table("supplier_product", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_product_product_id", ["product_id"], unique=False)
        batch_op.create_index(
            "ux_supplier_product_preferred",
            ["product_id"],
            unique=True,
            postgresql_where=sa.text("preferred"),
            sqlite_where=sa.text("preferred"),
        )

    op.create_table(
        "po_receipt",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("line_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("units > 0", name=op.f("ck_po_receipt_units_positive")),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["purchase_order_line.id"],
            name=op.f("fk_po_receipt_line_id_purchase_order_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_po_receipt")),
    )
    with op.batch_alter_table("po_receipt", schema=None) as batch_op:
        batch_op.create_index("ix_po_receipt_line_id", ["line_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in _guards(schema):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        for trigger, _table in TRIGGERS:
            op.execute(f"DROP FUNCTION invdesk_{trigger}()")
    with op.batch_alter_table("po_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_po_receipt_line_id")

    op.drop_table("po_receipt")
    with op.batch_alter_table("supplier_product", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_supplier_product_preferred",
            postgresql_where=sa.text("preferred"),
            sqlite_where=sa.text("preferred"),
        )
        batch_op.drop_index("ix_supplier_product_product_id")

    op.drop_table("supplier_product")
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_order_line_product")

    op.drop_table("purchase_order_line")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_order_supplier")
        batch_op.drop_index("ix_purchase_order_status")

    op.drop_table("purchase_order")
    op.drop_table("supplier")
    op.drop_table("company")
