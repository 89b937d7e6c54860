"""Watched warehouses: which warehouses' new alerts each user gets as tray messages.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watched_warehouse",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column(
            "warehouse_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouse.id"],
            name=op.f("fk_watched_warehouse_warehouse_id_warehouse"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("username", "warehouse_id", name=op.f("pk_watched_warehouse")),
    )
    with op.batch_alter_table("watched_warehouse") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watched_warehouse_warehouse_id"), ["warehouse_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("watched_warehouse") as batch_op:
        batch_op.drop_index(batch_op.f("ix_watched_warehouse_warehouse_id"))
    op.drop_table("watched_warehouse")
