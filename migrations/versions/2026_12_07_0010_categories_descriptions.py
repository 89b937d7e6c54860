"""Categories nest one level (Clothing > Shirts); products get a description.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("category") as batch_op:
        batch_op.add_column(
            sa.Column(
                "parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.create_index(batch_op.f("ix_category_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_category_parent_id_category"), "category", ["parent_id"], ["id"]
        )
    with op.batch_alter_table("product") as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # A batch copy of product would write its generated columns; SQLite drops a column itself.
        op.execute("ALTER TABLE product DROP COLUMN description")
    else:
        op.drop_column("product", "description")
    with op.batch_alter_table("category") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_category_parent_id_category"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_category_parent_id"))
        batch_op.drop_column("parent_id")
