"""Purchasing: suppliers, what each sells us, purchase orders, their lines and their receipts.

A PO's number is made from its id (`PO-000123`); ids are never reused (AUTOINCREMENT on SQLite, a
sequence on PostgreSQL) and nobody may delete a PO, so a number is never given twice. Each delivery
booked against a PO line is one `po_receipt` row, append-only, written in the receipt's stock
transaction: supplier lead times and on-time rates are measured from these.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from invdesk.db.models import Base
from invdesk.db.types import BigId, IntPK, Money, Str16, Str64, Timestamp, UTCDateTime
from invdesk.domain.purchasing import POStatus


class Supplier(Base):
    __tablename__ = "supplier"

    id: Mapped[IntPK]
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))
    lead_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(String(2000))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("code", name="uq_supplier_code"),
        CheckConstraint("lead_days IS NULL OR lead_days >= 0", name="lead_days_known"),
    )


class SupplierProduct(Base):
    """What one supplier sells of one product: their SKU, price per pack, pack, minimum, lead time."""

    __tablename__ = "supplier_product"

    id: Mapped[IntPK]
    supplier_id: Mapped[int] = mapped_column(BigId, ForeignKey("supplier.id"))
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    supplier_sku: Mapped[str | None] = mapped_column(String(64))
    price: Mapped[Decimal | None] = mapped_column(Money())
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    min_qty: Mapped[int] = mapped_column(Integer, default=0)
    lead_days: Mapped[int | None] = mapped_column(Integer)
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("supplier_id", "product_id", name="uq_supplier_product"),
        CheckConstraint("pack_size >= 1 AND min_qty >= 0", name="pack_known"),
        # One preferred supplier per product, said by the database itself.
        Index(
            "ux_supplier_product_preferred",
            "product_id",
            unique=True,
            postgresql_where=text("preferred"),
            sqlite_where=text("preferred"),
        ),
        Index("ix_supplier_product_product_id", "product_id"),
    )


def _statuses() -> str:
    return ", ".join(repr(s.value) for s in POStatus)


class PurchaseOrder(Base):
    __tablename__ = "purchase_order"

    id: Mapped[IntPK]
    number: Mapped[str | None] = mapped_column(String(20))
    supplier_id: Mapped[int] = mapped_column(BigId, ForeignKey("supplier.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    status: Mapped[Str16] = mapped_column(default=POStatus.DRAFT.value)
    expected: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(String(2000))
    created_by: Mapped[Str64]
    created_at: Mapped[Timestamp]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("number", name="uq_purchase_order_number"),
        CheckConstraint(f"status IN ({_statuses()})", name="status_known"),
        Index("ix_purchase_order_status", "status", "warehouse_id"),
        Index("ix_purchase_order_supplier", "supplier_id", "status"),
        {"sqlite_autoincrement": True},
    )


class PurchaseOrderLine(Base):
    """Ordered and received units of one product on a PO (one line per product), at a unit price."""

    __tablename__ = "purchase_order_line"

    id: Mapped[IntPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("purchase_order.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    ordered: Mapped[int] = mapped_column(BigInteger)
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal | None] = mapped_column(Money())
    received: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        UniqueConstraint("order_id", "product_id", name="uq_purchase_order_line_product"),
        CheckConstraint("ordered > 0 AND received >= 0 AND pack_size >= 1", name="qty_known"),
        Index("ix_purchase_order_line_product", "product_id", "order_id"),
    )


class PurchaseReceipt(Base):
    """One delivery of one PO line, booked with its ledger rows (request id) in one transaction."""

    __tablename__ = "po_receipt"

    id: Mapped[IntPK]
    line_id: Mapped[int] = mapped_column(BigId, ForeignKey("purchase_order_line.id"))
    units: Mapped[int] = mapped_column(BigInteger)
    request_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[Str64]
    at: Mapped[Timestamp]

    __table_args__ = (
        CheckConstraint("units > 0", name="units_positive"),
        Index("ix_po_receipt_line_id", "line_id"),
    )
