"""Where and which: locations (bins), putaway, lots and serials, quants, transit and count sheets.

The stock grain below the warehouse counter (DESIGN.md section 2). A quant is the stock of one
product in one warehouse, location and lot; NULL location is the warehouse's implicit default
location and NULL lot is "no lot", so a shop without bins or lots has one quant per counter and
sees no change. Quants are kept by the database from the ledger (a trigger on each ledger row, on
both databases), under the counter row's lock, so they always add up to the ledger.
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
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from invdesk.db.models import Base
from invdesk.db.types import BigId, IntPK, Money, Str16, Str64, Timestamp, UTCDateTime
from invdesk.domain.tracking import LocationType


def _known(column: str, values: type[LocationType]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Location(Base):
    """A bin, shelf or zone of a warehouse; codes are unique in their warehouse."""

    __tablename__ = "location"

    id: Mapped[IntPK]
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[Str16] = mapped_column(default=LocationType.STORAGE.value)
    # A zone: another location of the same warehouse (checked in the service).
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("location.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code", name="uq_location_warehouse_code"),
        CheckConstraint(_known("type", LocationType), name="type_known"),
        Index("ix_location_parent_id", "parent_id"),
    )


class Putaway(Base):
    """Where a product goes when it is received in a warehouse (its default location there)."""

    __tablename__ = "putaway"

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(BigId, ForeignKey("location.id"), index=True)


class Lot(Base):
    """A lot (batch) of a product, or one serial number of a serial-tracked product."""

    __tablename__ = "lot"

    id: Mapped[IntPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    number: Mapped[str] = mapped_column(String(40))
    serial: Mapped[bool] = mapped_column(Boolean, default=False)
    expiry: Mapped[date | None] = mapped_column(Date)
    produced: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[Timestamp]
    created_by: Mapped[Str64]

    __table_args__ = (
        UniqueConstraint("product_id", "number", name="uq_lot_product_number"),
        Index("ix_lot_expiry", "expiry"),
    )


class Quant(Base):
    """Stock of one product in one warehouse, location (NULL: default) and lot (NULL: none)."""

    __tablename__ = "quant"

    id: Mapped[IntPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("location.id"))
    lot_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lot.id"))
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        # One row per grain; NULLs are folded to 0 so "default location, no lot" is one key on
        # both databases (PostgreSQL's NULLS NOT DISTINCT has no SQLite twin).
        Index(
            "ux_quant_grain",
            "product_id",
            "warehouse_id",
            func.coalesce(text("location_id"), 0),
            func.coalesce(text("lot_id"), 0),
            unique=True,
        ),
        Index("ix_quant_lot_id", "lot_id", postgresql_where=text("lot_id IS NOT NULL")),
        Index(
            "ix_quant_location_id", "location_id", postgresql_where=text("location_id IS NOT NULL")
        ),
    )


class Shipment(Base):
    """A transfer in two steps: shipped from the source, in transit, received at the destination.

    Its id is the transfer id its ledger rows carry."""

    __tablename__ = "shipment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    destination_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    status: Mapped[Str16] = mapped_column(default="in_transit")
    reference: Mapped[str | None] = mapped_column(String(100))
    shipped_by: Mapped[Str64]
    shipped_at: Mapped[Timestamp]
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        CheckConstraint(
            "status IN ('in_transit', 'partial', 'received', 'closed')", name="status_known"
        ),
        CheckConstraint("source_id <> destination_id", name="two_warehouses"),
        Index("ix_shipment_route", "source_id", "destination_id", "status"),
        Index("ix_shipment_destination", "destination_id", "status"),
    )


class ShipmentLine(Base):
    """What a shipment carries, what arrived and what was found short."""

    __tablename__ = "shipment_line"

    id: Mapped[IntPK]
    shipment_id: Mapped[str] = mapped_column(String(36), ForeignKey("shipment.id"), index=True)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    lot_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lot.id"))
    shipped: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    short: Mapped[int] = mapped_column(BigInteger, default=0)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money())

    __table_args__ = (
        CheckConstraint("shipped > 0", name="shipped_positive"),
        CheckConstraint(
            "received >= 0 AND short >= 0 AND received + short <= shipped", name="within_shipped"
        ),
    )


class CountSheet(Base):
    """A stock count of a warehouse (or a zone, locations or products), posted as differences."""

    __tablename__ = "count_sheet"

    id: Mapped[IntPK]
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouse.id"))
    status: Mapped[Str16] = mapped_column(default="open")
    scope: Mapped[str | None] = mapped_column(String(500))
    opened_by: Mapped[Str64]
    opened_at: Mapped[Timestamp]
    posted_by: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The newest ledger id when the sheet was opened: a line whose product moved after it and
    # before the line was counted is flagged for a recount.
    opened_position: Mapped[int | None] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("status IN ('open', 'posted', 'cancelled')", name="status_known"),
        Index("ix_count_sheet_warehouse", "warehouse_id", "status"),
    )


class CountLine(Base):
    """One product (and location, lot) of a count sheet: what was expected, what was counted, and
    the ledger position when it was counted, so posting books only the difference seen then."""

    __tablename__ = "count_line"

    id: Mapped[IntPK]
    sheet_id: Mapped[int] = mapped_column(BigId, ForeignKey("count_sheet.id"))
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("product.id"))
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("location.id"))
    lot_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lot.id"))
    expected: Mapped[int | None] = mapped_column(BigInteger)
    counted: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int | None] = mapped_column(BigInteger)
    counted_by: Mapped[str | None] = mapped_column(String(64))
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_delta: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("counted IS NULL OR counted >= 0", name="counted_not_negative"),
        Index(
            "ux_count_line_grain",
            "sheet_id",
            "product_id",
            func.coalesce(text("location_id"), 0),
            func.coalesce(text("lot_id"), 0),
            unique=True,
        ),
        Index("ix_count_line_product", "product_id", "counted_at"),
    )
