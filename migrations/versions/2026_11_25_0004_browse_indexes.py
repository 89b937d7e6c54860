"""Browse indexes: lower-cased SKU and name for prefix search, name order, barcode prefixes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATTERN = "varchar_pattern_ops"


def _recreate() -> str:
    # SQLite cannot ALTER TABLE ADD a stored generated column: copy the table instead.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("product", recreate=_recreate()) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sku_key",
                sa.String(length=64),
                sa.Computed("lower(sku)", persisted=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "name_key",
                sa.String(length=200),
                sa.Computed("lower(name)", persisted=True),
                nullable=True,
            )
        )
    with op.batch_alter_table("product") as batch_op:
        batch_op.create_index(
            "ix_product_sku_key", ["sku_key"], postgresql_ops={"sku_key": PATTERN}
        )
        batch_op.create_index(
            "ix_product_name_key", ["name_key"], postgresql_ops={"name_key": PATTERN}
        )
        batch_op.create_index("ix_product_name_id", ["name", "id"])
    with op.batch_alter_table("barcode") as batch_op:
        batch_op.create_index("ix_barcode_code_prefix", ["code"], postgresql_ops={"code": PATTERN})


def downgrade() -> None:
    with op.batch_alter_table("barcode") as batch_op:
        batch_op.drop_index("ix_barcode_code_prefix")
    with op.batch_alter_table("product") as batch_op:
        batch_op.drop_index("ix_product_name_id")
        batch_op.drop_index("ix_product_name_key")
        batch_op.drop_index("ix_product_sku_key")
    with op.batch_alter_table("product", recreate=_recreate()) as batch_op:
        batch_op.drop_column("name_key")
        batch_op.drop_column("sku_key")
