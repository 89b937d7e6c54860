"""Initial schema: catalog, warehouses, stock levels, the ledger, requests and reservations.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:37:20.741967
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("name", name=op.f("uq_category_name")),
    )
    category = sa.table(
        "category",
        sa.column("name", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        category,
        [
            {"name": name, "active": True, "version": 1}
            for name in ("Electronics", "Food", "Clothing", "Tools", "Office", "Other")
        ],
    )
    op.create_table(
        "stock_request",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_stock_request")),
    )
    op.create_table(
        "warehouse",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse")),
        sa.UniqueConstraint("code", name=op.f("uq_warehouse_code")),
    )
    op.create_table(
        "product",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_product_category_id_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_product_sku")),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_name"), ["name"], unique=False)

    op.create_table(
        "barcode",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("pack_qty", sa.Integer(), nullable=False),
        sa.CheckConstraint("pack_qty >= 1", name=op.f("ck_barcode_pack_qty_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_barcode_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barcode")),
        sa.UniqueConstraint("code", name=op.f("uq_barcode_code")),
    )
    with op.batch_alter_table("barcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_barcode_product_id"), ["product_id"], unique=False)

    op.create_table(
        "reservation",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'committed', 'released', 'expired')",
            name=op.f("ck_reservation_status_known"),
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_reservation_qty_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_reservation_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["stock_request.request_id"],
            name=op.f("fk_reservation_request_id_stock_request"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_reservation_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
        sa.UniqueConstraint("request_id", name=op.f("uq_reservation_request_id")),
    )
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reservation_open", ["product_id", "warehouse_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_reservation_status_expires", ["status", "expires_at"], unique=False
        )

    op.create_table(
        "stock_level",
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("reserved", sa.BigInteger(), nullable=False),
        sa.Column("avg_cost", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_stock_level_on_hand_not_negative")),
        sa.CheckConstraint(
            "reserved >= 0 AND reserved <= on_hand",
            name=op.f("ck_stock_level_reserved_within_on_hand"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_stock_level_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_stock_level_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("product_id", "warehouse_id", name=op.f("pk_stock_level")),
    )
    with op.batch_alter_table("stock_level", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_level_warehouse", ["warehouse_id", "product_id"], unique=False
        )

    op.create_table(
        "movement",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("reserved_delta", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("unit_cost", sa.BigInteger(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("transfer_id", sa.String(length=36), nullable=True),
        sa.Column(
            "reservation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint(
            "kind IN ('receive', 'issue', 'transfer_out', 'transfer_in', 'return', 'return_damaged', 'adjust', 'reserve', 'release', 'expire')",
            name=op.f("ck_movement_kind_known"),
        ),
        sa.CheckConstraint("balance_after >= 0", name=op.f("ck_movement_balance_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_movement_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["stock_request.request_id"],
            name=op.f("fk_movement_request_id_stock_request"),
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_movement_reservation_id_reservation"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_movement_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement")),
    )
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.create_index("ix_movement_at", ["at"], unique=False)
        batch_op.create_index(
            "ix_movement_product_warehouse", ["product_id", "warehouse_id", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_movement_request_id"), ["request_id"], unique=False)
        batch_op.create_index("ix_movement_warehouse_id", ["warehouse_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.drop_index("ix_movement_warehouse_id")
        batch_op.drop_index(batch_op.f("ix_movement_request_id"))
        batch_op.drop_index("ix_movement_product_warehouse")
        batch_op.drop_index("ix_movement_at")

    op.drop_table("movement")
    with op.batch_alter_table("stock_level", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_level_warehouse")

    op.drop_table("stock_level")
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index("ix_reservation_status_expires")
        batch_op.drop_index("ix_reservation_open")

    op.drop_table("reservation")
    with op.batch_alter_table("barcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_barcode_product_id"))

    op.drop_table("barcode")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_name"))
        batch_op.drop_index(batch_op.f("ix_product_category_id"))

    op.drop_table("product")
    op.drop_table("warehouse")
    op.drop_table("stock_request")
    op.drop_table("category")
