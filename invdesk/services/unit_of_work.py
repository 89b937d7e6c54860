"""The unit of work for edits of master data: one ORM session on one transaction, audited.

Every edit runs through `edit_session`: the ORM changes and their audit rows commit together or
not at all; a stale optimistic-lock version and a duplicate unique key become the domain's
Conflict with the sentence a person sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from invdesk.db.engine import Database
from invdesk.domain.errors import Conflict
from invdesk.services import audit_trail

_UNIQUE_MESSAGES = {
    "uq_product_sku": ("sku", "Another product already has this SKU."),
    "uq_barcode_code": ("barcode", "This barcode already belongs to another product."),
    "uq_category_name": ("category", "A category with this name already exists."),
    "uq_warehouse_code": ("code", "A warehouse with this code already exists."),
    "uq_location_warehouse_code": ("code", "This warehouse already has a location with this code."),
}


def edit_session[T](db: Database, work: Callable[[Session], T]) -> T:
    """Run ORM edits in one transaction; stale versions and duplicate keys become Conflict."""

    def run(conn: Connection) -> T:
        with orm_session(conn) as session:
            result = work(session)
            session.flush()
            return result

    try:
        return db.run(run)
    except StaleDataError:
        raise Conflict(
            "This record was changed by someone else. Reload it and try again."
        ) from None
    except IntegrityError as error:
        text = str(error.orig)
        for constraint, (field, message) in _UNIQUE_MESSAGES.items():
            if constraint in text or constraint.split("_", 1)[1].replace("_", ".", 1) in text:
                raise Conflict(message, field=field) from None
        raise


@contextmanager
def orm_session(conn: Connection) -> Iterator[Session]:
    session = Session(bind=conn, expire_on_commit=False, autoflush=True)
    audit_trail.track(session)
    try:
        yield session
    finally:
        session.close()


def check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and expected != current:
        raise Conflict(f"{what} was changed by someone else. Reload it and try again.")
