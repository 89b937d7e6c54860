"""Locations (bins) of a warehouse: add, edit under optimistic locking, deactivate, list; putaway.

A warehouse without locations keeps its one implicit default location (NULL in the ledger and
the quants), so nothing here is needed by a shop without bins. Master data like warehouses:
managers edit it, every edit is audited in its own transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.grain_models import Location, Putaway
from invdesk.db.tables import quant_t
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.locations import AddLocation, EditLocation, LocationView, PutawayView
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.tracking import (
    LOCATION_CODE_MAX,
    LOCATION_NAME_MAX,
    LocationType,
    location_code,
    location_type,
)
from invdesk.domain.validation import clean_text
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import WarehouseRef, product_ref, warehouse_ref
from invdesk.services.unit_of_work import check_version, edit_session


def _code(value: object, field: str = "code") -> str:
    code = location_code(value, field=field)
    if code is None:
        raise ValidationError("Location code cannot be empty.", field=field)
    if not all(ch.isalnum() or ch in "-_./" for ch in code):
        raise ValidationError(
            "A location code may hold only letters, digits and - _ . /", field=field
        )
    return code


def _name(value: object) -> str | None:
    return clean_text(value, label="Name", field="name", max_len=LOCATION_NAME_MAX, required=False)


def _key(warehouse: WarehouseRef, code: str) -> str:
    return f"{warehouse.code}/{code}"


def _find(session: Session, warehouse: WarehouseRef, code: object, field: str) -> Location:
    text = _code(code, field)
    found = session.scalar(
        select(Location).where(Location.warehouse_id == warehouse.id, Location.code == text)
    )
    if found is None:
        raise NotFound(f"Warehouse {warehouse.code} has no location “{text}”.", field=field)
    return found


def _zone(session: Session, warehouse: WarehouseRef, code: object, of: Location | None) -> int:
    """The id of the zone `code` names: an active location of the same warehouse, and never the
    location itself or one inside it (a zone cannot contain itself)."""
    zone = _find(session, warehouse, code, "zone")
    if not zone.active:
        raise ValidationError(f"Location {zone.code} is inactive.", field="zone")
    step: Location | None = zone
    while step is not None and of is not None:
        if step.id == of.id:
            raise ValidationError(
                f"Location {of.code} cannot be inside {zone.code}: {zone.code} is inside it.",
                field="zone",
            )
        step = session.get(Location, step.parent_id) if step.parent_id is not None else None
    return zone.id


def _code_of(session: Session, location_id: int | None) -> str | None:
    found = session.get(Location, location_id) if location_id is not None else None
    return None if found is None else found.code


def _units_at(conn: Connection, location_ids: list[int]) -> dict[int, int]:
    """Units held per location, by the quants' location index (in chunks: a big warehouse may
    have more bins than a statement takes parameters)."""
    q = quant_t.c
    found: dict[int, int] = {}
    for start in range(0, len(location_ids), 1000):
        rows = conn.execute(
            select(q.location_id, func.sum(q.on_hand))
            .where(q.location_id.in_(location_ids[start : start + 1000]))
            .group_by(q.location_id)
        )
        found.update({lid: int(units or 0) for lid, units in rows})
    return found


def _views(session: Session, warehouse: WarehouseRef, found: list[Location]) -> list[LocationView]:
    codes = {loc.id: loc.code for loc in found}
    missing = {loc.parent_id for loc in found if loc.parent_id and loc.parent_id not in codes}
    for lid in missing:
        parent = session.get(Location, lid)
        codes[lid] = parent.code if parent is not None else "?"
    units = _units_at(session.connection(), [loc.id for loc in found]) if found else {}
    return [
        LocationView(
            id=loc.id,
            warehouse=warehouse.code,
            code=loc.code,
            name=loc.name,
            type=LocationType(loc.type),
            zone=codes.get(loc.parent_id) if loc.parent_id else None,
            active=loc.active,
            version=loc.version,
            on_hand=units.get(loc.id, 0),
        )
        for loc in found
    ]


def add_location(db: Database, cmd: AddLocation, actor: Actor) -> LocationView:
    """Add a location to a warehouse. Raises ValidationError (bad code, type or zone), NotFound
    (warehouse or zone), Conflict (the code is taken in that warehouse)."""
    require(actor, Permission.CATALOG)
    code, name, kind = _code(cmd.code), _name(cmd.name), location_type(cmd.type)

    def work(session: Session) -> LocationView:
        warehouse = warehouse_ref(session.connection(), cmd.warehouse)
        taken = select(Location.id).where(
            Location.warehouse_id == warehouse.id, Location.code == code
        )
        if session.scalar(taken) is not None:
            raise Conflict(
                f"Warehouse {warehouse.code} already has a location {code}.", field="code"
            )
        location = Location(
            warehouse_id=warehouse.id, code=code, name=name, type=kind.value, active=True
        )
        if cmd.zone:
            location.parent_id = _zone(session, warehouse, cmd.zone, None)
        session.add(location)
        session.flush()
        details = {"name": name, "type": kind.value, "zone": location_code(cmd.zone)}
        audit_trail.record(
            session.connection(), actor, db.now(), "create", "location", _key(warehouse, code),
            {k: v for k, v in details.items() if v is not None},
        )  # fmt: skip
        return _views(session, warehouse, [location])[0]

    return edit_session(db, work)


def edit_location(db: Database, cmd: EditLocation, actor: Actor) -> LocationView:
    """Change a location's name, type, zone or active flag; a stale `expected_version` raises
    Conflict; deactivating a location that holds stock raises ValidationError with the units."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> LocationView:
        conn = session.connection()
        warehouse = warehouse_ref(conn, cmd.warehouse)
        location = _find(session, warehouse, cmd.code, "code")
        key = _key(warehouse, location.code)
        check_version(location.version, cmd.expected_version, f"Location {key}")
        extra: dict[str, list[object]] = {}
        # Every look-up before the first change: a query in between would flush the change and
        # count one edit as two versions.
        if cmd.zone is not None:
            zone_id = _zone(session, warehouse, cmd.zone, location) if cmd.zone else None
            before, after = _code_of(session, location.parent_id), _code_of(session, zone_id)
            if before != after:
                extra["zone"] = [before, after]
            location.parent_id = zone_id
        if cmd.name is not None:
            location.name = _name(cmd.name)
        if cmd.type is not None:
            location.type = location_type(cmd.type).value
        if cmd.active is False and location.active:
            # Stock going in holds the row FOR SHARE until it commits (migration 0013's trigger
            # on PostgreSQL; SQLite writes one at a time): wait for it, then count.
            conn.execute(select(Location.id).where(Location.id == location.id).with_for_update())
            _refuse_if_stocked(conn, location, key)
            cleared = conn.execute(delete(Putaway).where(Putaway.location_id == location.id))
            if cleared.rowcount:
                extra["putaway"] = [f"{cleared.rowcount} product(s)", None]
        if cmd.active is not None:
            location.active = cmd.active
        audit_trail.record_edit(session, actor, db.now(), "location", key, location, extra)
        session.flush()
        return _views(session, warehouse, [location])[0]

    return edit_session(db, work)


def deactivate_location(
    db: Database, warehouse: str, code: str, actor: Actor, expected_version: int | None = None
) -> LocationView:
    """Deactivate a location (see edit_location); it must hold no stock. Products put away there
    go back to the default location."""
    return edit_location(
        db, EditLocation(warehouse, code, expected_version=expected_version, active=False), actor
    )


def _refuse_if_stocked(conn: Connection, location: Location, key: str) -> None:
    units = _units_at(conn, [location.id]).get(location.id, 0)
    if units:
        raise ValidationError(
            f"Location {key} still holds {units:,} unit(s); move them out before deactivating it.",
            field="active",
        )


def list_locations(
    db: Database, warehouse: str, actor: Actor, include_inactive: bool = True
) -> list[LocationView]:
    """The locations of a warehouse by code, each with the units it holds now."""
    require(actor, Permission.VIEW)
    # From the primary: the editing screens list right after their own change.
    with db.read() as conn, Session(bind=conn) as session:
        wh = warehouse_ref(conn, warehouse)
        stmt = select(Location).where(Location.warehouse_id == wh.id).order_by(Location.code)
        if not include_inactive:
            stmt = stmt.where(Location.active.is_(True))
        return _views(session, wh, list(session.scalars(stmt)))


def set_putaway(
    db: Database, product: str, warehouse: str, location: str | None, actor: Actor
) -> PutawayView:
    """Make `location` the place receipts of `product` into `warehouse` go (None or "" clears it:
    receipts go to the default location). Raises NotFound, or ValidationError for an inactive
    location."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> PutawayView:
        conn = session.connection()
        wh = warehouse_ref(conn, warehouse)
        item = product_ref(conn, product)
        row = session.get(Putaway, (item.id, wh.id))
        key = f"{item.sku}@{wh.code}"
        before = _code_of(session, row.location_id if row is not None else None)
        code: str | None = None
        if location:
            target = _find(session, wh, location, "location")
            if not target.active:
                raise ValidationError(f"Location {target.code} is inactive.", field="location")
            code = target.code
            if row is None:
                session.add(Putaway(product_id=item.id, warehouse_id=wh.id, location_id=target.id))
            else:
                row.location_id = target.id
        elif row is not None:
            session.delete(row)
        if before != code:
            audit_trail.record(
                conn, actor, db.now(), "edit", "putaway", key, {"location": [before, code]}
            )
        return PutawayView(item.sku, wh.code, code)

    return edit_session(db, work)


def find_location(db: Database, actor: Actor, warehouse: str, code: str) -> LocationView | None:
    """The active location a scanned or typed `code` names in `warehouse`, or None (the code is
    something else: a product, or nothing known). Never raises for the code itself."""
    require(actor, Permission.VIEW)
    try:
        text = location_code(code) if len(code.strip()) <= LOCATION_CODE_MAX else None
    except ValidationError:  # control characters (a GS1 scan's separator): no location's code
        return None
    if text is None:
        return None
    with db.read() as conn, Session(bind=conn) as session:
        wh = warehouse_ref(conn, warehouse)
        found = session.scalar(
            select(Location).where(
                Location.warehouse_id == wh.id, Location.code == text, Location.active.is_(True)
            )
        )
        return None if found is None else _views(session, wh, [found])[0]
