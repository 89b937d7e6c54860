"""Users (with login rate limiting), the edit audit table, and append-only guards on both trails.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 11:43:33.279066
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The ledger and the audit trail are append-only: the database itself refuses to change or delete
# their rows, so neither a bug nor a hand-typed statement through the application's role can
# rewrite history.
APPEND_ONLY = ("movement", "audit_entry")
PG_FUNCTION = """
CREATE FUNCTION invdesk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % of its rows is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _guard(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION invdesk_append_only()"
        ]
    return [
        f"CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for op_name in ("UPDATE", "DELETE")
    ]


def _unguard(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER {table}_append_only ON {table}"]
    return [f"DROP TRIGGER {table}_no_{op_name}" for op_name in ("update", "delete")]


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('clerk', 'manager', 'admin')", name=op.f("ck_app_user_role_known")
        ),
        sa.CheckConstraint(
            "failed_logins >= 0", name=op.f("ck_app_user_failed_logins_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("details", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_user_at", ["user", "at"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
    for table in APPEND_ONLY:
        for statement in _guard(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in _unguard(table, dialect):
            op.execute(statement)
    if dialect == "postgresql":
        op.execute("DROP FUNCTION invdesk_append_only()")

    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_user_at")
        batch_op.drop_index("ix_audit_entry_at")

    op.drop_table("audit_entry")
    op.drop_table("app_user")
