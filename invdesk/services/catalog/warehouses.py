"""Warehouses: create, edit under optimistic locking, deactivate, list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.models import Warehouse
from invdesk.domain.catalog import ADDRESS_MAX, NAME_MAX, EditWarehouse, WarehouseView
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.restock import warning_days
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import clean_text, required_text
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import warehouse_code
from invdesk.services.unit_of_work import check_version, edit_session


def _view(w: Warehouse) -> WarehouseView:
    return WarehouseView(
        w.id, w.code, w.name, w.address, w.active, w.version, w.expiry_warning_days
    )


def _by_code(session: Session, code: object) -> Warehouse:
    text = warehouse_code(code, field="code")
    found = session.scalar(select(Warehouse).where(Warehouse.code == text))
    if found is None:
        raise NotFound(f"No warehouse has the code “{text}”.", field="code")
    return found


def create_warehouse(
    db: Database, code: str, name: str, actor: Actor, address: str | None = None
) -> WarehouseView:
    """Add a warehouse; its code (letters, digits, - and _) is stored in capitals."""
    require(actor, Permission.CATALOG)
    clean_code = warehouse_code(code, field="code")
    if not all(ch.isalnum() or ch in "-_" for ch in clean_code):
        raise ValidationError(
            "A warehouse code may hold only letters, digits, - and _.", field="code"
        )
    clean_name = required_text(name, label="Name", field="name", max_len=NAME_MAX)
    clean_address = clean_text(
        address, label="Address", field="address", max_len=ADDRESS_MAX, required=False
    )

    def work(session: Session) -> WarehouseView:
        if session.scalar(select(Warehouse.id).where(Warehouse.code == clean_code)):
            raise Conflict(f"A warehouse with code {clean_code} already exists.", field="code")
        warehouse = Warehouse(code=clean_code, name=clean_name, address=clean_address, active=True)
        session.add(warehouse)
        session.flush()
        audit_trail.record(
            session.connection(), actor, db.now(), "create", "warehouse", clean_code,
            {"name": clean_name},
        )  # fmt: skip
        return _view(warehouse)

    return edit_session(db, work)


def edit_warehouse(db: Database, cmd: EditWarehouse, actor: Actor) -> WarehouseView:
    """Change a warehouse's name, address, active flag or expiry warning days; a stale version
    raises Conflict."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> WarehouseView:
        warehouse = _by_code(session, cmd.code)
        check_version(warehouse.version, cmd.expected_version, f"Warehouse {warehouse.code}")
        if cmd.name is not None:
            warehouse.name = required_text(cmd.name, label="Name", field="name", max_len=NAME_MAX)
        if cmd.address is not None:
            warehouse.address = clean_text(
                cmd.address, label="Address", field="address", max_len=ADDRESS_MAX, required=False
            )
        if cmd.active is not None:
            warehouse.active = cmd.active
        if cmd.expiry_warning_days is not None:
            warehouse.expiry_warning_days = warning_days(cmd.expiry_warning_days)
        audit_trail.record_edit(session, actor, db.now(), "warehouse", warehouse.code, warehouse)
        session.flush()
        return _view(warehouse)

    return edit_session(db, work)


def list_warehouses(
    db: Database, actor: Actor, include_inactive: bool = True
) -> list[WarehouseView]:
    require(actor, Permission.VIEW)
    stmt = select(Warehouse).order_by(Warehouse.code)
    if not include_inactive:
        stmt = stmt.where(Warehouse.active.is_(True))
    with db.read() as conn, Session(bind=conn) as session:
        return [_view(w) for w in session.scalars(stmt)]


def get_warehouse(db: Database, code: str, actor: Actor) -> WarehouseView:
    require(actor, Permission.VIEW)
    with db.read() as conn, Session(bind=conn) as session:
        return _view(_by_code(session, code))
