"""Restock policies, alerts, sales orders and their lines; an index for live-update checks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:48:03.109734
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sales_order",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('web_shop', 'pos', 'marketplace', 'manual')",
            name=op.f("ck_sales_order_channel_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'fulfilled', 'cancelled', 'expired')",
            name=op.f("ck_sales_order_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_order")),
        sa.UniqueConstraint("reference", name=op.f("uq_sales_order_reference")),
    )
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.create_index("ix_sales_order_status", ["status", "expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sales_order_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "alert",
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
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("available", sa.BigInteger(), nullable=False),
        sa.Column("threshold", sa.BigInteger(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('low_stock', 'out_of_stock')", name=op.f("ck_alert_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name=op.f("ck_alert_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_alert_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_alert_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alert_product_warehouse", ["product_id", "warehouse_id", "status"], unique=False
        )
        batch_op.create_index("ix_alert_status", ["status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "restock_policy",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column(
            "product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "category_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("point", sa.BigInteger(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.BigInteger(), nullable=False),
        sa.Column("cover_days", sa.Integer(), nullable=False),
        sa.Column("lookback_days", sa.Integer(), nullable=False),
        sa.Column("target_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('reorder_point', 'min_max', 'days_of_cover')",
            name=op.f("ck_restock_policy_kind_known"),
        ),
        sa.CheckConstraint(
            "scope IN ('product', 'category', 'warehouse')",
            name=op.f("ck_restock_policy_scope_known"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_restock_policy_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_restock_policy_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouse.id"],
            name=op.f("fk_restock_policy_warehouse_id_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restock_policy")),
        sa.UniqueConstraint("warehouse_id", "scope_key", name="uq_restock_policy_scope"),
    )
    with op.batch_alter_table("restock_policy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restock_policy_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "sales_order_line",
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
        sa.Column(
            "warehouse_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column(
            "reservation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_sales_order_line_qty_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_order.id"],
            name=op.f("fk_sales_order_line_order_id_sales_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_sales_order_line_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_sales_order_line_reservation_id_reservation"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouse.id"],
            name=op.f("fk_sales_order_line_warehouse_id_warehouse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_order_line")),
        sa.UniqueConstraint("order_id", "line_no", name="uq_sales_order_line_no"),
    )
    with op.batch_alter_table("sales_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sales_order_line_order_id"), ["order_id"], unique=False
        )

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index("ix_product_updated_at", ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index("ix_product_updated_at")

    with op.batch_alter_table("sales_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_order_line_order_id"))

    op.drop_table("sales_order_line")
    with op.batch_alter_table("restock_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restock_policy_updated_at"))

    op.drop_table("restock_policy")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_updated_at"))
        batch_op.drop_index("ix_alert_status")
        batch_op.drop_index("ix_alert_product_warehouse")

    op.drop_table("alert")
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_order_updated_at"))
        batch_op.drop_index("ix_sales_order_status")

    op.drop_table("sales_order")
