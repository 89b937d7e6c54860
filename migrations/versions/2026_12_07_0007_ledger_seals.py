"""Seals over the ledger and the audit trail, the owner's sealing function, integrity check runs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
GENESIS = "0" * 64
MAX_ROWS_PER_SEAL = 100_000
# pg_try_advisory_xact_lock key: one sealer at a time across every PC ("invdseal").
SEAL_LOCK_KEY = 0x696E76647365616C

# The canonical row text of invdesk/domain/seals.py, in SQL. Written out here (a migration never
# imports app code); the tests seal on PostgreSQL and verify in Python, which proves they agree.
_TEXT = (
    "coalesce(replace(replace(replace({0}, '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), '\\N')"
)
_INT = "coalesce({0}::text, '\\N')"
_TIME = "coalesce((extract(epoch FROM {0}) * 1000000)::bigint::text, '\\N')"


def _row_text(fields: Sequence[tuple[str, str]]) -> str:
    parts = [
        {"text": _TEXT, "int": _INT, "time": _TIME}[kind].format(f'"{name}"')
        for name, kind in fields
    ]
    return " || E'\\t' || ".join(parts) + " || E'\\n'"


LEDGER_TEXT = _row_text(
    [
        ("id", "int"),
        ("kind", "text"),
        ("product_id", "int"),
        ("warehouse_id", "int"),
        ("qty", "int"),
        ("reserved_delta", "int"),
        ("units", "int"),
        ("balance_after", "int"),
        ("unit_cost", "int"),
        ("reference", "text"),
        ("reason", "text"),
        ("user", "text"),
        ("at", "time"),
        ("request_id", "text"),
        ("transfer_id", "text"),
        ("reservation_id", "int"),
    ]
)
AUDIT_TEXT = _row_text(
    [
        ("id", "int"),
        ("at", "time"),
        ("user", "text"),
        ("action", "text"),
        ("entity", "text"),
        ("entity_key", "text"),
        ("details", "text"),
    ]
)
# Seals rows [from, upto] of one trail in batches; only ever called by invdesk_seal() (as owner).
SEAL_RANGE = """
CREATE FUNCTION invdesk_seal_range(p_trail text, p_upto bigint) RETURNS integer
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
    v_from bigint;
    v_prev text;
    v_first bigint;
    v_last bigint;
    v_count bigint;
    v_hash text;
    v_made integer := 0;
BEGIN
    SELECT last_id, hash INTO v_from, v_prev FROM seal
        WHERE trail = p_trail ORDER BY last_id DESC LIMIT 1;
    v_from := coalesce(v_from, 0);
    v_prev := coalesce(v_prev, '{genesis}');
    LOOP
        IF p_trail = 'ledger' THEN
            SELECT count(*), min(id), max(id),
                   encode(sha256(convert_to(v_prev || E'\\n' || coalesce(string_agg(t, '' ORDER BY id), ''), 'UTF8')), 'hex')
              INTO v_count, v_first, v_last, v_hash
              FROM (SELECT id, {ledger_text} AS t FROM movement
                     WHERE id > v_from AND id <= p_upto ORDER BY id LIMIT {batch}) AS s;
        ELSE
            SELECT count(*), min(id), max(id),
                   encode(sha256(convert_to(v_prev || E'\\n' || coalesce(string_agg(t, '' ORDER BY id), ''), 'UTF8')), 'hex')
              INTO v_count, v_first, v_last, v_hash
              FROM (SELECT id, {audit_text} AS t FROM audit_entry
                     WHERE id > v_from AND id <= p_upto ORDER BY id LIMIT {batch}) AS s;
        END IF;
        EXIT WHEN v_count = 0;
        INSERT INTO seal (trail, first_id, last_id, row_count, prev_hash, hash, sealed_at)
            VALUES (p_trail, v_first, v_last, v_count, v_prev, v_hash, clock_timestamp());
        v_from := v_last;
        v_prev := v_hash;
        v_made := v_made + 1;
    END LOOP;
    RETURN v_made;
END
$$
"""

# Ids are taken before commit, so "every row up to id N" is final only once no transaction that
# took an id <= N is still running. nextval() holds a RowExclusiveLock on the sequence until its
# transaction ends, so pg_locks names every transaction that may still add a row. A call reads the
# sequence's position N, then the transactions holding its lock: with none, it seals up to N at
# once; otherwise it notes N and them, and a later call seals up to N once they have all ended
# (newer ones hold ids above N). So writers never wait for a seal, and a seal never covers a row
# still in flight.
SEAL = """
CREATE FUNCTION invdesk_seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    v_trail text;
    v_seq regclass;
    v_mark seal_mark%ROWTYPE;
    v_upto bigint;
    v_waiting text[];
    v_made integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock({lock_key}) THEN
        RETURN 0;  -- another PC is sealing right now
    END IF;
    FOREACH v_trail IN ARRAY ARRAY['ledger', 'audit'] LOOP
        v_seq := pg_get_serial_sequence(
            CASE v_trail WHEN 'ledger' THEN 'movement' ELSE 'audit_entry' END, 'id')::regclass;
        SELECT * INTO v_mark FROM seal_mark WHERE trail = v_trail;
        IF FOUND THEN
            IF EXISTS (SELECT 1 FROM pg_locks
                        WHERE locktype = 'relation' AND relation = v_seq
                          AND mode = 'RowExclusiveLock'
                          AND virtualtransaction = ANY (string_to_array(v_mark.waiting, ','))) THEN
                CONTINUE;  -- a transaction holding an id up to the noted bound is still running
            END IF;
            v_made := v_made + invdesk_seal_range(v_trail, v_mark.upto);
            DELETE FROM seal_mark WHERE trail = v_trail;
        END IF;
        v_upto := coalesce(pg_sequence_last_value(v_seq), 0);
        v_waiting := ARRAY(SELECT virtualtransaction FROM pg_locks
                            WHERE locktype = 'relation' AND relation = v_seq
                              AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid());
        IF cardinality(v_waiting) = 0 THEN
            v_made := v_made + invdesk_seal_range(v_trail, v_upto);
        ELSE
            INSERT INTO seal_mark (trail, upto, waiting)
                VALUES (v_trail, v_upto, array_to_string(v_waiting, ','));
        END IF;
    END LOOP;
    RETURN v_made;
END
$$
"""


def _upgrade_postgresql() -> None:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    op.execute(
        SEAL_RANGE.format(
            schema=schema,
            genesis=GENESIS,
            ledger_text=LEDGER_TEXT,
            audit_text=AUDIT_TEXT,
            batch=MAX_ROWS_PER_SEAL,
        )
    )
    op.execute(SEAL.format(schema=schema, lock_key=SEAL_LOCK_KEY))
    # Functions are executable by everyone unless revoked; clients get EXECUTE on invdesk_seal()
    # from the privileges map, and nothing on the range function.
    op.execute("REVOKE ALL ON FUNCTION invdesk_seal_range(text, bigint) FROM PUBLIC")
    op.execute("REVOKE ALL ON FUNCTION invdesk_seal() FROM PUBLIC")


def upgrade() -> None:
    op.create_table(
        "seal",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("trail", sa.String(length=16), nullable=False),
        sa.Column("first_id", sa.BigInteger(), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("trail IN ('ledger', 'audit')", name=op.f("ck_seal_trail_known")),
        sa.CheckConstraint(
            "first_id <= last_id AND row_count > 0", name=op.f("ck_seal_range_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal")),
        sa.UniqueConstraint("trail", "last_id", name="uq_seal_trail_last_id"),
    )
    op.create_table(
        "seal_mark",
        sa.Column("trail", sa.String(length=16), nullable=False),
        sa.Column("upto", sa.BigInteger(), nullable=False),
        sa.Column("waiting", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("trail", name=op.f("pk_seal_mark")),
    )
    op.create_table(
        "integrity_check",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(length=64), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=2000), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_check")),
    )
    with op.batch_alter_table("integrity_check") as batch_op:
        batch_op.create_index("ix_integrity_check_checked_at", ["checked_at"], unique=False)
        batch_op.create_index(
            "ix_integrity_check_open", ["findings", "acknowledged_at"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION invdesk_seal()")
        op.execute("DROP FUNCTION invdesk_seal_range(text, bigint)")
    with op.batch_alter_table("integrity_check") as batch_op:
        batch_op.drop_index("ix_integrity_check_open")
        batch_op.drop_index("ix_integrity_check_checked_at")
    op.drop_table("integrity_check")
    op.drop_table("seal_mark")
    op.drop_table("seal")
