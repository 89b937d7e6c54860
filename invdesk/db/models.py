"""SQLAlchemy typed models: the schema of DESIGN.md section 2 with its constraints and indexes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from invdesk.db.types import (
    BigId,
    IntPK,
    Money,
    MoneyCol,
    Str16,
    Str64,
    Str200,
    Timestamp,
    UTCDateTime,
)
from invdesk.domain.orders import Channel, OrderStatus
from invdesk.domain.restock import AlertKind, AlertStatus, PolicyKind, PolicyScope
from invdesk.domain.stock import MovementKind, ReservationStatus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: type[MovementKind] | type[ReservationStatus]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Category(Base):
    __tablename__ = "category"

    id: Mapped[IntPK]
    name: Mapped[Str64] = mapped_column(unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    # One level of nesting (Clothing > Shirts): a parent is itself top-level (checked in the service).
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("category.id"), index=True)

    parent: Mapped[Category | None] = relationship(remote_side="Category.id", lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class Product(Base):
    __tablename__ = "product"

    id: Mapped[IntPK]
    sku: Mapped[Str64] = mapped_column(unique=True)
    name: Mapped[Str200] = mapped_column(index=True)
    category_id: Mapped[int] = mapped_column(BigId, ForeignKey("category.id"), index=True)
    unit: Mapped[Str16] = mapped_column(default="each")
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[MoneyCol]
    cost: Mapped[MoneyCol]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    # none, lot or serial (domain.tracking.Tracking); a shelf life dates a lot received undated.
    tracking: Mapped[Str16] = mapped_column(default="none", server_default="none")
    shelf_life_days: Mapped[int | None]
    # Lower-cased copies kept by the database, indexed for case-insensitive prefix search.
    sku_key: Mapped[str] = mapped_column(String(64), Computed("lower(sku)", persisted=True))
    name_key: Mapped[str] = mapped_column(String(200), Computed("lower(name)", persisted=True))

    category: Mapped[Category] = relationship(lazy="joined")
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Barcode.id"
    )

    __mapper_args__ = {"version_id_col": version}
    # *_pattern_ops let PostgreSQL answer LIKE 'abc%' from the index whatever the collation.
    __table_args__ = (
        Index("ix_product_sku_key", "sku_key", postgresql_ops={"sku_key": "varchar_pattern_ops"}),
        Index(
            "ix_product_name_key", "name_key", postgresql_ops={"name_key": "varchar_pattern_ops"}
        ),
        Index("ix_product_name_id", "name", "id"),
        CheckConstraint("tracking IN ('none', 'lot', 'serial')", name="tracking_known"),
    )


class Barcode(Base):
    __tablename__ = "barcode"

    id: Mapped[IntPK]
    code: Mapped[Str64] = mapped_column(unique=True)
    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    pack_qty: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")

    __table_args__ = (
        CheckConstraint("pack_qty >= 1", name="pack_qty_positive"),
        Index("ix_barcode_code_prefix", "code", postgresql_ops={"code": "varchar_pattern_ops"}),
    )


class Warehouse(Base):
    __tablename__ = "warehouse"

    id: Mapped[IntPK]
    code: Mapped[Str16] = mapped_column(unique=True)
    name: Mapped[Str200]
    address: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    # Lots expiring within this many days raise an alert here.
    expiry_warning_days: Mapped[int] = mapped_column(default=30, server_default="30")

    __mapper_args__ = {"version_id_col": version}


class StockLevel(Base):
    __tablename__ = "stock_level"

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    avg_cost: Mapped[MoneyCol]

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_level_warehouse", "warehouse_id", "product_id"),
    )


class StockRequest(Base):
    """One row per request id: makes a retried or double-submitted operation apply once."""

    __tablename__ = "stock_request"

    request_id: Mapped[Str64] = mapped_column(primary_key=True)
    kind: Mapped[Str16]
    fingerprint: Mapped[Str64]
    user: Mapped[Str64]
    at: Mapped[Timestamp]


class Movement(Base):
    """The append-only ledger. Never updated or deleted; corrections are new rows."""

    __tablename__ = "movement"

    id: Mapped[IntPK]
    kind: Mapped[Str16]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    reserved_delta: Mapped[int] = mapped_column(BigInteger, default=0)
    units: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money())
    reference: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500))
    user: Mapped[Str64]
    at: Mapped[Timestamp]
    request_id: Mapped[Str64] = mapped_column(ForeignKey("stock_request.request_id"), index=True)
    transfer_id: Mapped[str | None] = mapped_column(String(36))
    reservation_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("reservation.id"))
    # Where and which (NULL: the warehouse's default location; no lot). Sealed when set.
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("location.id"))
    lot_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lot.id"))

    __table_args__ = (
        CheckConstraint(_in("kind", MovementKind), name="kind_known"),
        CheckConstraint("balance_after >= 0", name="balance_not_negative"),
        Index("ix_movement_product_warehouse", "product_id", "warehouse_id", "id"),
        Index("ix_movement_warehouse_id", "warehouse_id", "id"),
        Index("ix_movement_at", "at"),
        Index("ix_movement_lot_id", "lot_id", postgresql_where=text("lot_id IS NOT NULL")),
        # A hold's ledger rows (the server checks each step of a hold has its row): holds only.
        Index(
            "ix_movement_reservation_id",
            "reservation_id",
            postgresql_where=text("reservation_id IS NOT NULL"),
            sqlite_where=text("reservation_id IS NOT NULL"),
        ),
    )


class Reservation(Base):
    """A soft hold on available stock: active until committed, released or expired."""

    __tablename__ = "reservation"

    id: Mapped[IntPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[Str16] = mapped_column(default=ReservationStatus.ACTIVE.value)
    reference: Mapped[str | None] = mapped_column(String(100))
    user: Mapped[Str64]
    created_at: Mapped[Timestamp]
    expires_at: Mapped[Timestamp]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_id: Mapped[Str64] = mapped_column(ForeignKey("stock_request.request_id"), unique=True)

    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint(_in("status", ReservationStatus), name="status_known"),
        Index("ix_reservation_open", "product_id", "warehouse_id", "status"),
        Index("ix_reservation_status_expires", "status", "expires_at"),
    )


def table_of(model: type[Base]) -> Table:
    """A model's Core table, typed as one (for the Core statements of the hot path)."""
    return cast(Table, model.__table__)


class User(Base):
    """A person who logs in. Only a slow salted hash of the password is kept (argon2id)."""

    __tablename__ = "app_user"

    id: Mapped[IntPK]
    username: Mapped[Str64] = mapped_column(unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Str16]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[Timestamp]
    # Login rate limiting: failures since the last success, and no attempt is checked before
    # locked_until (the lock doubles with every further failure).
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("role IN ('clerk', 'manager', 'admin')", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )
    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """Who edited what and when: products, categories, warehouses, policies and users.

    Stock changes are audited by the ledger itself (movement.user, movement.at).
    """

    __tablename__ = "audit_entry"

    id: Mapped[IntPK]
    at: Mapped[Timestamp]
    user: Mapped[Str64]
    action: Mapped[Str16]
    entity: Mapped[Str16]
    entity_key: Mapped[Str200]
    details: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_user_at", "user", "at"),
    )


def _in_values(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


_POLICY_KINDS = tuple(k.value for k in PolicyKind)
_POLICY_SCOPES = tuple(s.value for s in PolicyScope)
_ALERT_KINDS = tuple(k.value for k in AlertKind)
_ALERT_STATUSES = tuple(s.value for s in AlertStatus)
_CHANNELS = tuple(c.value for c in Channel)
_ORDER_STATUSES = tuple(s.value for s in OrderStatus)


class RestockPolicy(Base):
    """A restock rule for a warehouse, or one of its categories or products (the narrowest wins)."""

    __tablename__ = "restock_policy"

    id: Mapped[IntPK]
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    scope: Mapped[Str16]
    # "warehouse", "category:<id>" or "product:<id>": one policy per scope and warehouse.
    scope_key: Mapped[Str64]
    product_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("product.id"))
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("category.id"))
    kind: Mapped[Str16]
    point: Mapped[int] = mapped_column(BigInteger, default=0)
    qty: Mapped[int] = mapped_column(BigInteger, default=0)
    level: Mapped[int] = mapped_column(BigInteger, default=0)
    cover_days: Mapped[int] = mapped_column(default=0)
    lookback_days: Mapped[int] = mapped_column(default=0)
    target_days: Mapped[int] = mapped_column(default=0)
    updated_by: Mapped[Str64]
    updated_at: Mapped[Timestamp] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(_in_values("kind", _POLICY_KINDS), name="kind_known"),
        CheckConstraint(_in_values("scope", _POLICY_SCOPES), name="scope_known"),
        UniqueConstraint("warehouse_id", "scope_key", name="uq_restock_policy_scope"),
    )


class Alert(Base):
    """A low-stock or out-of-stock alert: open -> acknowledged -> resolved (by stock recovering)."""

    __tablename__ = "alert"

    id: Mapped[IntPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    kind: Mapped[Str16]
    status: Mapped[Str16]
    available: Mapped[int] = mapped_column(BigInteger)
    threshold: Mapped[int] = mapped_column(BigInteger)
    raised_at: Mapped[Timestamp]
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[Timestamp] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        CheckConstraint(_in_values("kind", _ALERT_KINDS), name="kind_known"),
        CheckConstraint(_in_values("status", _ALERT_STATUSES), name="status_known"),
        Index("ix_alert_product_warehouse", "product_id", "warehouse_id", "status"),
        Index("ix_alert_status", "status", "id"),
    )


class SalesOrder(Base):
    """An order from a channel; its lines are held by reservations until fulfilled or cancelled."""

    __tablename__ = "sales_order"

    id: Mapped[IntPK]
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    channel: Mapped[Str16]
    status: Mapped[Str16]
    user: Mapped[Str64]
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp] = mapped_column(index=True)
    expires_at: Mapped[Timestamp]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        CheckConstraint(_in_values("channel", _CHANNELS), name="channel_known"),
        CheckConstraint(_in_values("status", _ORDER_STATUSES), name="status_known"),
        Index("ix_sales_order_status", "status", "expires_at"),
    )


class SalesOrderLine(Base):
    __tablename__ = "sales_order_line"

    id: Mapped[IntPK]
    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("sales_order.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    qty: Mapped[int] = mapped_column(BigInteger)
    reservation_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("reservation.id"))

    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        UniqueConstraint("order_id", "line_no", name="uq_sales_order_line_no"),
    )


class WatchedWarehouse(Base):
    """A warehouse whose new alerts a user wants as tray messages. A user without rows watches
    every warehouse. Keyed by user name, not app_user id: a database without accounts (one PC,
    the OS user) has a watch list too."""

    __tablename__ = "watched_warehouse"

    username: Mapped[Str64] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("warehouse.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# Live updates check the newest product edit every few seconds (migration 0002).
Index("ix_product_updated_at", Product.__table__.c.updated_at)


# Tamper evidence (migration 0007): seals over the ledger and the audit trail, the pending bound of
# the next PostgreSQL seal, and the alerts of the scheduled integrity check.
_TRAILS = ("ledger", "audit")


class Seal(Base):
    """Rows first_id..last_id of one trail, hashed in id order and chained onto the previous seal.

    Written only by the sealing job (on PostgreSQL the owner's `invdesk_seal()` function).
    """

    __tablename__ = "seal"

    id: Mapped[IntPK]
    trail: Mapped[Str16]
    first_id: Mapped[int] = mapped_column(BigInteger)
    last_id: Mapped[int] = mapped_column(BigInteger)
    row_count: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[Timestamp]

    __table_args__ = (
        CheckConstraint(_in_values("trail", _TRAILS), name="trail_known"),
        CheckConstraint("first_id <= last_id AND row_count > 0", name="range_valid"),
        UniqueConstraint("trail", "last_id", name="uq_seal_trail_last_id"),
    )


class SealMark(Base):
    """PostgreSQL only: the id bound the next seal of a trail may reach once the transactions in
    `waiting` (virtual transaction ids, comma-separated), which held ids when it was read, end."""

    __tablename__ = "seal_mark"

    trail: Mapped[Str16] = mapped_column(primary_key=True)
    upto: Mapped[int] = mapped_column(BigInteger)
    waiting: Mapped[str] = mapped_column(Text)


class IntegrityCheck(Base):
    """One run of the scheduled integrity check. A run with findings is a "ledger mismatch" alert
    for admins, open until one acknowledges it; runs without findings show when it last ran."""

    __tablename__ = "integrity_check"

    id: Mapped[IntPK]
    checked_at: Mapped[Timestamp]
    checked_by: Mapped[Str64]
    findings: Mapped[int]
    summary: Mapped[str] = mapped_column(String(2000))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_integrity_check_checked_at", "checked_at"),
        Index("ix_integrity_check_open", "findings", "acknowledged_at"),
    )


# --- invdesk serve: API tokens and the answers kept for Idempotency-Key (migration 0008) ---


class ApiToken(Base):
    """A channel's API token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[IntPK]
    name: Mapped[Str64] = mapped_column(unique=True)
    token_hash: Mapped[Str64] = mapped_column(unique=True)
    last_four: Mapped[Str16]
    scopes: Mapped[Str64]  # space-separated: read orders stock
    warehouses: Mapped[str | None] = mapped_column(String(1000))  # space-separated codes; NULL: all
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Timestamp]
    created_by: Mapped[Str64]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(64))


class ApiIdempotency(Base):
    """The first answer to a POST with an Idempotency-Key, per token; `status` NULL while running."""

    __tablename__ = "api_idempotency"

    token_name: Mapped[Str64] = mapped_column(primary_key=True)
    key: Mapped[Str200] = mapped_column(primary_key=True)
    fingerprint: Mapped[Str64]
    status: Mapped[int | None]
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[Timestamp] = mapped_column(index=True)


# --- Events out (issue 11): the outbox, webhooks, their deliveries, alert mail, server jobs. ---


class OutboxEvent(Base):
    """The events of one committed transaction, written by that transaction (never lost with it).

    `events` is a JSON list of {"type", "warehouses", "data"}; event n of row r has the id "r-n".
    Ids are taken before commit, so a later id can commit first: readers never page by id. The
    server's sequencer gives committed rows `seq` in commit order under a lock, and readers (SSE)
    page by `seq`, which has no such gaps.
    """

    __tablename__ = "outbox_event"

    id: Mapped[IntPK]
    created_at: Mapped[Timestamp]
    events: Mapped[str] = mapped_column(Text)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    sequenced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index(
            "ix_outbox_event_unsequenced",
            "id",
            postgresql_where=text("seq IS NULL"),
            sqlite_where=text("seq IS NULL"),
        ),
    )


class Webhook(Base):
    """An endpoint that receives the chosen event types as signed POSTs."""

    __tablename__ = "webhook"

    id: Mapped[IntPK]
    url: Mapped[str] = mapped_column(String(2000))
    # Space-separated event types, e.g. "stock.changed alert.raised".
    event_types: Mapped[str] = mapped_column(String(200))
    # The HMAC key: the server must read it to sign, so it is stored; only admins and the server
    # may SELECT this table.
    secret: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Timestamp]
    created_by: Mapped[Str64]


class OutboundDelivery(Base):
    """One event on its way to one receiver (a webhook, an e-mail address, the chat webhook).

    Created by the sequencer in the transaction that gives the event its place; claimed by one
    server at a time (FOR UPDATE SKIP LOCKED, then a lease in `next_attempt_at`), so a server
    killed mid-POST leaves it pending and another attempt sends the same body and event id.
    """

    __tablename__ = "outbound_delivery"

    id: Mapped[IntPK]
    channel: Mapped[Str16]
    webhook_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("webhook.id", ondelete="CASCADE")
    )
    recipient: Mapped[str] = mapped_column(String(2000))
    outbox_id: Mapped[int] = mapped_column(BigId, ForeignKey("outbox_event.id"))
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[Str16]
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp]
    next_attempt_at: Mapped[Timestamp]
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_code: Mapped[int | None]
    response_text: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'cancelled')", name="status_known"
        ),
        CheckConstraint("channel IN ('webhook', 'email', 'chat')", name="channel_known"),
        Index("ix_outbound_delivery_due", "status", "next_attempt_at"),
        Index("ix_outbound_delivery_webhook", "webhook_id", "id"),
    )


class AlertSubscription(Base):
    """A user's e-mail address and how alerts of their watched warehouses reach it."""

    __tablename__ = "alert_subscription"

    username: Mapped[Str64] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    mode: Mapped[Str16]
    # The day (UTC, ISO date) of the last digest sent: a server restarted that day sends none again.
    last_digest_on: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (CheckConstraint("mode IN ('immediate', 'digest', 'off')", name="mode_known"),)


class JobRun(Base):
    """When a server job last ran and how it ended: with several servers, a job due is run once."""

    __tablename__ = "job_run"

    name: Mapped[Str64] = mapped_column(primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ok: Mapped[bool | None] = mapped_column(Boolean)
    message: Mapped[str | None] = mapped_column(String(500))
